// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// One intercept-only fit (`RandomEffectsModel.fit` on buffers: τ̂², μ̂, SE, z, p, CI, PI, Q and
/// its p-value, I², H²) per operation, for DL, REML and PM at each k.
enum FitBenchmarks {
  static let methods: [TauSquaredMethod] = [.DL, .REML, .PM]

  static func run(datasets: [BenchDataset], options: BenchOptions) -> [BenchResult] {
    var results = [BenchResult]()
    for d in datasets {
      for method in methods {
        results.append(fit(d, method: method, control: .tight, options: options))
      }
      if d.name == "k66" || d.name == "alk" {
        var r = fit(d, method: .REML, control: .metafor, options: options)
        r.task = "fit_metafor_control"
        results.append(r)
      }
      if d.name == "k66" { results += ThreeLevelBenchmarks.run(d, options: options) }
      if d.name == "k66" { results += ThreeLevelGLMMBenchmarks.run(d, options: options) }
      if d.k <= 1000 { results.append(glmm(d, options: options)) }
    }
    return results
  }

  /// One binomial-normal GLMM fit (`BinomialNormalModel.fit`, 7-point adaptive Gauss–Hermite,
  /// metafor's `rma.glmm(measure = "PLO")` defaults) from the cohorts' counts.
  static func glmm(_ d: BenchDataset, options: BenchOptions) -> BenchResult {
    let studies = (0..<d.k).map { try! ProportionStudy(label: "c\($0)", events: d.events[$0], total: d.totals[$0]) }
    func once() -> GLMMFit? { try? BinomialNormalModel.fit(studies: studies, nAGQ: 7) }
    let f = once()
    let t = Stopwatch.measure(samples: options.quick ? 5 : 21) { consume(once()?.estimate ?? 0) }
    let allocations = AllocationCounter.perCall(iterations: 100) { consume(once()?.estimate ?? 0) }
    return BenchResult(
      task: "fit_glmm", method: "GLMM", dataset: d.name, k: d.k, operation: "GLMM fit (nAGQ = 7)", threads: 1,
      minSeconds: t.min, medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples,
      operationsPerSample: t.operationsPerSample, allocationsPerOperation: allocations,
      note: f.map { "tau2 = \($0.tau2)" } ?? "fit failed")
  }

  static func fit(_ d: BenchDataset, method: TauSquaredMethod, control: FitControl, options: BenchOptions) -> BenchResult {
    d.yi.withUnsafeBufferPointer { y in
      d.vi.withUnsafeBufferPointer { v in
        func once() -> ModelFit {
          try! RandomEffectsModel.fit(y: y, v: v, method: method, test: .z, level: .ninetyFive, control: control)
        }
        let f = once()
        let samples = options.quick ? 5 : (d.k >= 100_000 ? 9 : 21)
        let t = Stopwatch.measure(samples: samples) { consume(once().estimate) }
        let allocations = AllocationCounter.perCall(iterations: max(3, min(1000, 1_000_000 / d.k))) {
          consume(once().estimate)
        }
        var note = "tau2 = \(f.tau2.tau2)"
        if method.isIterative { note += ", \(f.tau2.iterations) iterations" }
        return BenchResult(
          task: "fit", method: method.rawValue, dataset: d.name, k: d.k, operation: "fit", threads: 1,
          minSeconds: t.min, medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples, operationsPerSample: t.operationsPerSample,
          allocationsPerOperation: allocations, note: note)
      }
    }
  }
}
