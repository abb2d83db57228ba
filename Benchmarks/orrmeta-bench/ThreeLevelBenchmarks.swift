// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The three-level REML fit (`ThreeLevelModel.fit`: σ̂² per level, μ̂, SE, CI, PI, QE, I² per
/// level, weights and the LRT against the two-level model) for 66 cohorts in 41 trials, with
/// and without the profile-likelihood CIs of both σ².
///
/// Cohorts 0…49 form trials of two (0–1, 2–3, …), cohorts 50…65 are single-cohort trials: 41
/// trials, the shape of the reference meta-analysis.
enum ThreeLevelBenchmarks {
  static func clusters(k: Int) -> [String] {
    (0..<k).map { $0 < 50 ? "T\($0 / 2)" : "T\(25 + $0 - 50)" }
  }

  static func run(_ d: BenchDataset, options: BenchOptions) -> [BenchResult] {
    let structure = ClusterStructure(clusters: clusters(k: d.k))
    var results = [BenchResult]()
    for profile in [false, true] {
      func once() -> ThreeLevelFit {
        try! ThreeLevelModel.fit(yi: d.yi, vi: d.vi, clusters: structure, clusterName: "trial", profileIntervals: profile)
      }
      let f = once()
      let t = Stopwatch.measure(samples: options.quick ? 5 : 21) { consume(once().estimate) }
      let allocations = AllocationCounter.perCall(iterations: 100) { consume(once().estimate) }
      results.append(BenchResult(
        task: profile ? "fit_three_level_profile_ci" : "fit_three_level", method: "REML", dataset: d.name, k: d.k,
        operation: profile ? "three-level fit + profile CIs of both sigma^2" : "three-level fit (\(structure.count) trials)",
        threads: 1, minSeconds: t.min, medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples,
        operationsPerSample: t.operationsPerSample, allocationsPerOperation: allocations,
        note: "sigma2 = \(f.levels[0].sigma2) / \(f.levels[1].sigma2), \(f.iterations) iterations"))
    }
    return results
  }
}
