// SPDX-License-Identifier: GPL-3.0-or-later

/// Influence diagnostics, trim-and-fill, GOSH and Harbord's test of a two-arm comparison. Each
/// runs the single-arm kernel of ``SensitivityAnalysis`` on the trials' yᵢ and vᵢ (one code
/// path), so, as metafor's `influence`, `trimfill` and `gosh` for `rma.uni`, they are defined for
/// the inverse-variance methods only (nil for MH, Peto and the GLMM).
extension ComparisonAnalysis {
  /// metafor `influence(res)`: studentized residuals, DFFITS, Cook's distance, covariance
  /// ratio, τ² and Q without the trial, hat value, weight, DFBETAS, one row per trial with an
  /// outcome.
  public func influence() throws(MetaAnalysisError) -> [InfluenceRow]? {
    try sensitivityEngine()?.0.influence()
  }

  /// metafor `trimfill(res, side, estimator)`.
  public func trimAndFill(side: FunnelSide? = nil, estimator: TrimAndFillEstimator = .L0) throws(MetaAnalysisError) -> TrimAndFillResult? {
    try sensitivityEngine()?.0.trimAndFill(side: side, estimator: estimator)
  }

  /// metafor `gosh(res, subsets)`: the model on every subset (or a deterministic random sample
  /// of subsets, by seed) of the trials with an outcome.
  public func gosh(_ options: GoshOptions) throws(MetaAnalysisError) -> GoshResult? {
    try sensitivityEngine()?.0.gosh(options)
  }

  /// Harbord's test for small-study effects on odds ratios, in metafor's `regtest` form:
  /// `regtest(rma(measure = "PETO", ai, n1i, ci, n2i, method, test, add, to, drop00),
  /// model = "rma", predictor = "sei")` — Egger's regression on the efficient score
  /// Zᵢ = aᵢ − Eᵢ scaled as Zᵢ/Vᵢ (the Peto log odds ratio) with variance 1/Vᵢ (Harbord, Egger &
  /// Sterne 2006), with the model's τ² method (additive heterogeneity). meta's
  /// `metabias(method.bias = "Harbord")` fits the same regression by weighted least squares
  /// with a multiplicative dispersion instead. nil unless the method is inverse variance and
  /// the measure OR.
  /// - Throws: ``MetaAnalysisError`` when the regression cannot be fitted (k < 3).
  public func harbordTest() throws(MetaAnalysisError) -> RegressionTestResult? {
    guard let tau = settings.method.tauSquaredMethod, settings.measure == .OR else { return nil }
    let peto = try TwoArmEffectSizes(
      studies: studies, measure: .PETO, add: settings.add, to: settings.to, drop00: settings.effectiveDrop00)
    let used = studies.indices.filter { peto.available($0) && peto.vi[$0] > 0 }
    let engine = try SensitivityAnalysis(
      yi: used.map { peto.yi[$0] }, vi: used.map { peto.vi[$0] }, labels: used.map { studies[$0].label },
      sampleSizes: nil, method: tau, test: settings.test, level: settings.level, control: settings.control,
      backTransformation: .exp)
    return try engine.eggerTest()
  }
}
