// SPDX-License-Identifier: GPL-3.0-or-later

extension ProportionMetaAnalysis {
  /// Analyses cohorts nested in clusters (trials) with the three-level model
  /// (``ThreeLevelModel``): escalc → three-level REML/ML fit → back-transformation.
  ///
  /// `model` and `pooled` come from the three-level fit (PI with σ̂²₁ + σ̂²₂; under the `meta`
  /// profile meta's t(k − 1) PI); `heterogeneity` carries Cochran's Q of the two-level model
  /// (metafor's QE) and the total I² (under `meta`, I² from Q with its test-based CI); τ² is not
  /// defined (the per-level σ² are in ``ProportionAnalysis/multilevel``). Weights are the row
  /// sums of V⁻¹ (metafor `weights(rma.mv, type = "rowsum")`).
  ///
  /// With method GLMM, the three-level binomial-normal GLMM
  /// (``analyzeThreeLevelGLMM(studies:clusters:clusterName:settings:)``).
  ///
  /// - Throws: ``MetaAnalysisError`` for methods other than REML, ML and GLMM, fewer than 3
  ///   cohorts or a single cluster.
  public static func analyze(
    studies: [ProportionStudy], clusters: [String], clusterName: String, settings: AnalysisSettings,
    cohortIntervals: CohortIntervals? = nil
  ) throws(MetaAnalysisError) -> ProportionAnalysis {
    if settings.method == .GLMM {
      return try analyzeThreeLevelGLMM(studies: studies, clusters: clusters, clusterName: clusterName, settings: settings)
    }
    guard let method = settings.method.tauSquaredMethod, method == .REML || method == .ML else {
      throw .invalidSetting(
        name: "method", value: settings.method.rawValue,
        expected: "REML, ML or GLMM with a cluster column")
    }
    guard clusters.count == studies.count else {
      throw .invalidSetting(name: "cluster", value: "\(clusters.count) values", expected: "one per cohort (\(studies.count))")
    }
    // The two-level analysis supplies the per-cohort rows, totals and effect sizes.
    var base = try analyze(studies: studies, settings: settings, cohortIntervals: cohortIntervals)
    let structure = ClusterStructure(clusters: clusters)
    let fit = try ThreeLevelModel.fit(
      yi: base.studies.map(\.yi), vi: base.studies.map(\.vi), clusters: structure, clusterName: clusterName,
      method: method, test: settings.test, level: settings.level, control: settings.control)
    let warnings = fit.warnings
    for i in base.studies.indices { base.studies[i].weight = fit.weights[i] }
    let c = fit.coefficients[0]
    var summary = ModelSummary(
      estimate: c.estimate, standardError: c.standardError, statistic: c.statistic, pValue: c.pValue,
      ciLower: c.ciLower, ciUpper: c.ciUpper, piLower: fit.piLower ?? .nan, piUpper: fit.piUpper ?? .nan,
      degreesOfFreedom: fit.degreesOfFreedom)
    if MetaConventions.usesTPrediction(settings, k: studies.count) {
      // meta's three-level PI (R/meta-aux.R extrMLM → calcPI): t(k − 1) over the k estimates,
      // √(SE² + σ²₁ + σ²₂).
      summary = try MetaConventions.tPrediction(
        summary, classicStandardError: c.standardError, tau2: fit.totalSigma2, k: studies.count,
        level: settings.level)
    }
    // The two-level fit's warnings do not apply.
    adoptThreeLevel(
      &base, summary: summary, i2Total: fit.i2Total, q: (fit.qe, fit.qeDegreesOfFreedom, fit.qePValue),
      converged: fit.converged, iterations: fit.iterations, settings: settings, warnings: warnings)
    // meta reports I² from Q (method.I2 = "Q") for the three-level model too.
    MetaConventions.applyI2(&base.heterogeneity, settings: settings)
    base.multilevel = fit
    return base
  }

  /// Makes `base` (the two-level or one-level analysis of the same cohorts) the analysis of a
  /// three-level model: `model` and `pooled` from the model's `summary` (back-transformed here),
  /// `heterogeneity` with the total I² and Cochran's Q (τ², its CI and H² are not defined: the
  /// per-level σ² are in the fit), no two-level fit, the model's convergence and `warnings` in
  /// place of `base`'s. The one place both three-level models (REML/ML, GLMM) set these.
  static func adoptThreeLevel(
    _ base: inout ProportionAnalysis, summary: ModelSummary, i2Total: Double, q: (value: Double, df: Int, pValue: Double),
    converged: Bool, iterations: Int, settings: AnalysisSettings, warnings: [AnalysisWarning]
  ) {
    var warnings = warnings
    base.pooled = backTransform(summary, settings: settings, harmonicMeanN: base.harmonicMeanN, warnings: &warnings)
    base.model = summary
    base.heterogeneity = HeterogeneitySummary(
      tau2: .nan, tau: .nan, tau2StandardError: .nan, tau2CILower: .nan, tau2CIUpper: .nan,
      i2: i2Total, i2CILower: .nan, i2CIUpper: .nan, h2: .nan, h2CILower: .nan, h2CIUpper: .nan,
      q: q.value, qDegreesOfFreedom: q.df, qPValue: q.pValue)
    base.fit = nil
    base.converged = converged
    base.iterations = iterations
    base.warnings = warnings
  }
}
