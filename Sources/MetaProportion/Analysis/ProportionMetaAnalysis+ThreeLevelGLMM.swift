// SPDX-License-Identifier: GPL-3.0-or-later

extension ProportionMetaAnalysis {
  /// Analyses cohorts nested in clusters (trials) with the three-level binomial-normal GLMM
  /// (``ThreeLevelBinomialNormalModel``): the raw counts, no continuity correction.
  ///
  /// `model` and `pooled` come from the GLMM (PI with σ̂²_trial + σ̂²_cohort); `heterogeneity`
  /// carries Cochran's Q of the escalc logits (as the one-level GLMM reports it) and the total
  /// latent-scale I²; cohort weights are not defined (NaN). The fit is in
  /// ``ProportionAnalysis/multilevelGLMM`` and, in the shape shared with the inverse-variance
  /// model's reports, in ``ProportionAnalysis/multilevel`` (``ThreeLevelGLMMFit/threeLevelSummary``).
  static func analyzeThreeLevelGLMM(
    studies: [ProportionStudy], clusters: [String], clusterName: String, settings: AnalysisSettings
  ) throws(MetaAnalysisError) -> ProportionAnalysis {
    guard clusters.count == studies.count else {
      throw .invalidSetting(name: "cluster", value: "\(clusters.count) values", expected: "one per cohort (\(studies.count))")
    }
    // The one-level analysis supplies the per-cohort rows, totals and Cochran's Q.
    var base = try analyze(studies: studies, settings: settings)
    let fit = try ThreeLevelBinomialNormalModel.fit(
      studies: studies, clusters: ClusterStructure(clusters: clusters), clusterName: clusterName,
      nAGQ: settings.quadraturePoints, test: settings.test, level: settings.level)
    var warnings = fit.warnings
    warnings.append(.note("GLMM: cohort weights are not defined (reported as null); the fit uses the raw counts without continuity correction"))
    for i in base.studies.indices { base.studies[i].weight = .nan }
    let summary = fit.summary
    // Cochran's Q of the escalc logits stays; the one-level fit's warnings do not apply.
    let h = base.heterogeneity
    adoptThreeLevel(
      &base, summary: summary, i2Total: fit.i2Total, q: (h.q, h.qDegreesOfFreedom, h.qPValue),
      converged: fit.converged, iterations: fit.iterations, settings: settings, warnings: warnings)
    base.multilevel = fit.threeLevelSummary
    base.multilevelGLMM = fit
    return base
  }
}

extension ThreeLevelGLMMFit {
  /// The fit in the shape of the inverse-variance three-level model (``ThreeLevelFit``) for the
  /// reports they share: method ML, the σ² levels with latent-scale I², the LRT against
  /// σ²_trial = 0 (the one-level GLMM) as the LRT against the two-level model; Q statistics and
  /// weights, which belong to the inverse-variance model, are NaN.
  public var threeLevelSummary: ThreeLevelFit {
    ThreeLevelFit(
      header: RegressionFitHeader(
        k: k, p: 1, method: .ML, test: test, alpha: alpha,
        coefficients: [RegressionCoefficient(name: "intrcpt", wald: summary.wald)],
        covariance: [standardError * standardError]),
      clusters: clusters, levels: levels, i2Total: i2Total, typicalVariance: latentVariance,
      logLikelihood: logLik, reducedLogLikelihood: logLikNoTrialLevel,
      reducedSigma2: candidates.first { $0.sigmaTrial == 0 && $0.sigmaCohort != 0 }.map { $0.sigmaCohort * $0.sigmaCohort } ?? .nan,
      lrtStatistic: lrtTrial, lrtPValue: lrtTrialPValue, qe: .nan, qeDegreesOfFreedom: k - 1, qePValue: .nan,
      qm: nil, qmDegreesOfFreedom: nil, qmDenominatorDegreesOfFreedom: nil, qmPValue: nil,
      piLower: piLower, piUpper: piUpper, weights: [Double](repeating: .nan, count: k),
      degreesOfFreedom: degreesOfFreedom, critical: critical, scale: 1,
      iterations: iterations, converged: converged, warnings: warnings)
  }
}
