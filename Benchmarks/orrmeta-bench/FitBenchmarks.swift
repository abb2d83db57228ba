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
    }
    return results
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
