// SPDX-License-Identifier: GPL-3.0-or-later

/// One variance component of the three-level model with its profile-likelihood CI and I².
public struct VarianceComponent: Sendable, Hashable {
  /// The level's name: the cluster column (e.g. "trial") or "cohort".
  public var name: String
  /// Number of units at this level (clusters, or cohorts k).
  public var count: Int
  /// σ̂²ₗ.
  public var sigma2: Double
  /// Profile-likelihood CI of σ²ₗ (metafor `confint(rma.mv, sigma2 = l)`); nil when not computed.
  public var ciLower: Double?
  public var ciUpper: Double?
  /// Whether the upper bound is the end of the search interval (the profile did not cross the
  /// cut-off there; metafor reports that end too).
  public var upperAtSearchLimit: Bool
  /// I² of this level in percent: 100·σ²ₗ/(Σσ² + ṽ).
  public var i2: Double
}

/// A fitted three-level model (metafor `rma.mv(yi, vi, random = ~ 1 | cluster/cohort, mods =)`),
/// carrying its intermediate statistics.
///
/// With V the block-diagonal marginal covariance and A = (XᵀV⁻¹X)⁻¹: β̂ = AXᵀV⁻¹y,
/// Var(β̂) = s²·A (s² = 1, or rᵀV⁻¹r/(k − p) under `knha`).
public struct ThreeLevelFit: RegressionFitHeaderCarrying, Sendable, Hashable {
  /// k, p, the method (ML or REML), test (z, t or knha), α, β̂ (the intercept μ̂ first) and Var(β̂).
  public var header: RegressionFitHeader
  /// Number of clusters.
  public var clusters: Int
  /// The cluster level (σ²₁) and the cohort level (σ²₂).
  public var levels: [VarianceComponent]
  /// Σ I² of the levels.
  public var i2Total: Double
  /// ṽ = (k − p)/tr(P), P = W − WX(XᵀWX)⁻¹XᵀW, W = diag(1/vᵢ).
  public var typicalVariance: Double
  /// The (restricted) log-likelihood at the estimates (metafor's `logLik`).
  public var logLikelihood: Double
  /// The log-likelihood of the model with σ²₁ = 0 (the two-level model) and its σ̂²₂.
  public var reducedLogLikelihood: Double
  public var reducedSigma2: Double
  /// LRT = 2(ℓ − ℓ₀) against σ²₁ = 0 and its χ²₁ p-value (metafor `anova(full, reduced)`).
  public var lrtStatistic: Double
  public var lrtPValue: Double
  /// QE of the two-level equal-effects model, Σ(yᵢ − xᵢᵀβ̂_FE)²/vᵢ, its df k − p and p-value.
  public var qe: Double
  public var qeDegreesOfFreedom: Int
  public var qePValue: Double
  /// The omnibus moderator test (nil for the intercept-only model): χ²(m) under z, F(m, k − p)
  /// (QM/m) under t and knha.
  public var qm: Double?
  public var qmDegreesOfFreedom: Int?
  public var qmDenominatorDegreesOfFreedom: Int?
  public var qmPValue: Double?
  /// Prediction interval of the intercept-only model, μ̂ ± crit·√(SE² + σ̂²₁ + σ̂²₂)
  /// (nil with moderators).
  public var piLower: Double?
  public var piUpper: Double?
  /// Weights per cohort in percent, in input order: row sums of V⁻¹ over their total
  /// (metafor `weights(rma.mv, type = "rowsum")`; intercept-only model).
  public var weights: [Double]
  /// Degrees of freedom k − p of the t tests (nil under z), the critical value and s².
  public var degreesOfFreedom: Double?
  public var critical: Double
  public var scale: Double
  /// Iterations of the optimiser and whether it converged.
  public var iterations: Int
  public var converged: Bool
  /// Warnings about this fit.
  public var warnings: [AnalysisWarning]

  /// μ̂ (the intercept).
  public var estimate: Double { header.coefficients[0].estimate }
  /// SE(μ̂).
  public var standardError: Double { header.coefficients[0].standardError }
  /// σ̂²₁ + σ̂²₂.
  public var totalSigma2: Double { levels.reduce(0) { $0 + $1.sigma2 } }
}

extension ThreeLevelFit {
  /// The coefficients, tests and residual heterogeneity in the shape of a two-level
  /// meta-regression, for reports shared with `regress` (τ² and H² are not defined for the
  /// three-level model: NaN; I² is the total of the levels; the σ² are in ``levels``).
  public var regressionSummary: MetaRegressionFit {
    MetaRegressionFit(
      header: header,
      tau2: TauSquaredEstimate(tau2: .nan, standardError: .nan, converged: converged, iterations: iterations),
      scale: scale, degreesOfFreedom: degreesOfFreedom, qm: qm ?? .nan, qmDegreesOfFreedom: qmDegreesOfFreedom ?? 0,
      qmDenominatorDegreesOfFreedom: qmDenominatorDegreesOfFreedom, qmPValue: qmPValue ?? .nan, qe: qe,
      qeDegreesOfFreedom: qeDegreesOfFreedom, qePValue: qePValue, typicalVariance: typicalVariance,
      i2: i2Total, h2: .nan, r2: nil, tau2InterceptOnly: nil, warnings: warnings)
  }
}
