// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// Two-arm comparisons (`orrmeta compare`): one Mantel–Haenszel (OR, RR) or Peto fit per
/// operation, O(k) with no allocation; one GLMM fit (UM.FS, CM.EL; k ≤ 100) per operation. The trials pair cohort i (treatment) with cohort i + 1
/// (control, cyclically), as `scripts/bench/metafor-bench.R` does for `rma.mh`/`rma.peto`.
enum CompareBenchmarks {
  static func run(datasets: [BenchDataset], options: BenchOptions) -> [BenchResult] {
    var results = [BenchResult]()
    for d in datasets where d.k >= 2 {
      let trials = (0..<d.k).map { i in
        let j = (i + 1) % d.k
        return try! TwoArmStudy(
          label: "t\(i)", eventsTreat: d.events[i], totalTreat: d.totals[i], eventsControl: d.events[j], totalControl: d.totals[j])
      }
      for (method, measure) in [("MH", ComparisonMeasure.OR), ("MH", .RR), ("Peto", .OR)] {
        let effects = try! TwoArmEffectSizes(
          studies: trials, measure: method == "Peto" ? .PETO : measure, add: 0.5, to: .only0, drop00: true)
        func once() -> Double {
          if method == "Peto" { return (try? PetoFit.fit(studies: trials, effects: effects))?.wald.estimate ?? .nan }
          return (try? MantelHaenszelFit.fit(studies: trials, measure: measure, effects: effects))?.wald.estimate ?? .nan
        }
        let estimate = once()
        let samples = options.quick ? 5 : (d.k >= 100_000 ? 9 : 21)
        let t = Stopwatch.measure(samples: samples) { consume(once()) }
        let allocations = AllocationCounter.perCall(iterations: max(3, min(1000, 1_000_000 / d.k))) { consume(once()) }
        results.append(BenchResult(
          task: "fit_compare", method: "\(method) \(measure.rawValue)", dataset: d.name, k: d.k,
          operation: method == "Peto" ? "rma.peto fit" : "rma.mh fit", threads: 1, minSeconds: t.min, medianSeconds: t.median,
          cpuSeconds: t.cpu, samples: t.samples, operationsPerSample: t.operationsPerSample,
          allocationsPerOperation: allocations, note: "log estimate = \(estimate)"))
      }
      if d.k <= 100 {
        for model in ComparisonGLMMModel.allCases { results.append(glmm(trials, model: model, dataset: d, options: options)) }
      }
    }
    return results
  }

  /// One two-arm GLMM fit (`rma.glmm(measure = "OR", model = "UM.FS" | "CM.EL")`, metafor's
  /// defaults: nAGQ = 7 for UM.FS), the whole analysis as `orrmeta compare --method GLMM` runs it.
  static func glmm(_ trials: [TwoArmStudy], model: ComparisonGLMMModel, dataset d: BenchDataset, options: BenchOptions) -> BenchResult {
    let settings = ComparisonSettings(measure: .OR, method: .GLMM, model: model)
    func once() -> Double { (try? ComparisonAnalysis(studies: trials, settings: settings))?.pooled.estimate ?? .nan }
    let estimate = once()
    let t = Stopwatch.measure(samples: options.quick ? 3 : 9) { consume(once()) }
    let allocations = AllocationCounter.perCall(iterations: 3) { consume(once()) }
    return BenchResult(
      task: "fit_compare", method: "GLMM \(model.rawValue) OR", dataset: d.name, k: d.k, operation: "rma.glmm fit",
      threads: 1, minSeconds: t.min, medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples,
      operationsPerSample: t.operationsPerSample, allocationsPerOperation: allocations, note: "log estimate = \(estimate)")
  }
}
