// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The three-level binomial-normal GLMM (`ThreeLevelBinomialNormalModel.fit`, cohorts nested in
/// trials) for 66 cohorts in 41 trials (the trial layout of ``ThreeLevelBenchmarks``), without
/// profile CIs: the Laplace approximation (glmer's nAGQ = 1) and the default nested adaptive
/// quadrature (exact to 1e-8), each with the global check over five candidate maxima.
enum ThreeLevelGLMMBenchmarks {
  static func run(_ d: BenchDataset, options: BenchOptions) -> [BenchResult] {
    let structure = ClusterStructure(clusters: ThreeLevelBenchmarks.clusters(k: d.k))
    let studies = (0..<d.k).map { try! ProportionStudy(label: "c\($0)", events: d.events[$0], total: d.totals[$0]) }
    var results = [BenchResult]()
    for nAGQ in [1, 7] {
      func once() -> ThreeLevelGLMMFit? {
        try? ThreeLevelBinomialNormalModel.fit(
          studies: studies, clusters: structure, clusterName: "trial", nAGQ: nAGQ, profileIntervals: false)
      }
      let f = once()
      let t = Stopwatch.measure(samples: options.quick ? 5 : 21) { consume(once()?.estimate ?? 0) }
      let allocations = AllocationCounter.perCall(iterations: 20) { consume(once()?.estimate ?? 0) }
      results.append(BenchResult(
        task: nAGQ == 1 ? "fit_glmm_three_level_laplace" : "fit_glmm_three_level", method: "GLMM", dataset: d.name, k: d.k,
        operation: nAGQ == 1
          ? "three-level GLMM fit, Laplace (\(structure.count) trials)"
          : "three-level GLMM fit, nested AGQ (\(f?.nAGQ ?? nAGQ) points; \(structure.count) trials)",
        threads: 1, minSeconds: t.min, medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples,
        operationsPerSample: t.operationsPerSample, allocationsPerOperation: allocations,
        note: f.map { "sigma2 = \($0.levels[0].sigma2) / \($0.levels[1].sigma2), \($0.iterations) iterations" } ?? "fit failed"))
    }
    return results
  }
}
