// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// Leave-one-out + influence, GOSH and bootstrap on one dataset (k = 66).
enum SensitivityBenchmarks {
  static func analysis(_ d: BenchDataset, method: TauSquaredMethod) -> SensitivityAnalysis {
    try! SensitivityAnalysis(
      yi: d.yi, vi: d.vi, sampleSizes: d.totals.map(Double.init), method: method,
      backTransformation: EffectMeasure.PLO.backTransformation)
  }

  /// `caseDeletion()`: the k deletion fits with leave-one-out rows, influence diagnostics and
  /// Baujat coordinates (metafor's `leave1out` + `influence`).
  static func caseDeletion(_ d: BenchDataset, options: BenchOptions) -> [BenchResult] {
    [TauSquaredMethod.DL, .REML, .PM].map { method in
      let a = analysis(d, method: method)
      let t = Stopwatch.measure(samples: options.quick ? 5 : 21) {
        consume(try! a.caseDeletion().influence[0].cookDistance)
      }
      let allocations = AllocationCounter.perCall(iterations: 20) { consume(try! a.caseDeletion().leaveOneOut[0].estimate) }
      return BenchResult(
        task: "leave1out_influence", method: method.rawValue, dataset: d.name, k: d.k,
        operation: "leave-one-out + influence + Baujat (k refits)", threads: 1, minSeconds: t.min,
        medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples, operationsPerSample: t.operationsPerSample,
        allocationsPerOperation: allocations, note: nil)
    }
  }

  /// GOSH with 10⁶ random subsets (metafor `gosh(res, subsets = 1e6)`) on all cores, and the
  /// exhaustive Gray-code walk over all 2¹⁹ − 1 subsets of the first 19 cohorts.
  static func gosh(_ d: BenchDataset, options: BenchOptions) -> [BenchResult] {
    var results = [BenchResult]()
    let subsets = options.quick ? 100_000 : 1_000_000
    var configurations: [(TauSquaredMethod, Int)] = [(.DL, options.threads), (.REML, options.threads), (.PM, options.threads)]
    if !options.quick && options.threads > 1 { configurations += [(.DL, 1), (.REML, 1)] }
    for (method, threads) in configurations {
      let a = analysis(d, method: method)
      let run = { try! a.gosh(GoshOptions(maxSubsets: subsets, seed: 1, threads: threads)) }
      let allocations = AllocationCounter.during { consume(run().estimate[0]) }
      let t = Stopwatch.measure(samples: options.quick ? 1 : 5, minSampleSeconds: 0) { consume(run().estimate[0]) }
      results.append(BenchResult(
        task: "gosh_random", method: method.rawValue, dataset: d.name, k: d.k,
        operation: "\(subsets) random subsets", threads: threads, minSeconds: t.min, medianSeconds: t.median, cpuSeconds: t.cpu,
        samples: t.samples, operationsPerSample: 1,
        allocationsPerOperation: allocations.map { Double($0) },
        note: allocations.map { "\(String(format: "%.4f", Double($0) / Double(subsets))) allocations per subset" }))
    }
    let sub = BenchDataset(
      name: "\(d.name)[1...19]", events: Array(d.events.prefix(19)), totals: Array(d.totals.prefix(19)),
      yi: Array(d.yi.prefix(19)), vi: Array(d.vi.prefix(19)))
    for method in [TauSquaredMethod.DL, .REML] {
      let a = analysis(sub, method: method)
      let run = { try! a.gosh(GoshOptions(maxSubsets: 1_000_000, seed: 1, threads: options.threads)) }
      let t = Stopwatch.measure(samples: options.quick ? 1 : 5, minSampleSeconds: 0) { consume(run().estimate[0]) }
      results.append(BenchResult(
        task: "gosh_exhaustive", method: method.rawValue, dataset: sub.name, k: 19,
        operation: "all 524287 subsets (Gray code)", threads: options.threads, minSeconds: t.min,
        medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples, operationsPerSample: 1, allocationsPerOperation: nil, note: nil))
    }
    return results
  }

  /// Cohort-resampling bootstrap with 10⁴ resamples on all cores.
  static func bootstrap(_ d: BenchDataset, options: BenchOptions) -> [BenchResult] {
    [TauSquaredMethod.DL, .REML, .PM].map { method in
      let a = analysis(d, method: method)
      let run = { try! a.bootstrap(BootstrapOptions(resamples: 10_000, seed: 1, threads: options.threads)) }
      let allocations = AllocationCounter.during { consume(run().ciLower) }
      let t = Stopwatch.measure(samples: options.quick ? 1 : 7, minSampleSeconds: 0) { consume(run().ciLower) }
      return BenchResult(
        task: "bootstrap", method: method.rawValue, dataset: d.name, k: d.k, operation: "10000 resamples",
        threads: options.threads, minSeconds: t.min, medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples,
        operationsPerSample: 1, allocationsPerOperation: allocations.map { Double($0) }, note: nil)
    }
  }
}
