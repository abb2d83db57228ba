// SPDX-License-Identifier: GPL-3.0-or-later

/// A fitted intercept-only meta-analytic model on the transformed scale (metafor's `rma.uni`
/// object for `mods = NULL`), carrying its intermediate statistics.
public struct ModelFit: ModelSummaryCarrying, Sendable, Hashable {
  /// Number of cohorts k.
  public var k: Int
  /// The τ² method (EE for the common-effect model).
  public var method: TauSquaredMethod
  /// The test / CI method.
  public var test: TestMethod
  /// α = 1 − level.
  public var alpha: Double

  // MARK: Pooled estimate (transformed scale)
  /// μ̂ = Σwᵢyᵢ/Σwᵢ (wᵢ = 1/(vᵢ + τ̂²)), SE(μ̂) = √(s²/Σwᵢ) (s² = 1 unless Hartung–Knapp), the
  /// z or t statistic μ̂/SE and its two-sided p-value, the CI μ̂ ± crit·SE and the prediction
  /// interval μ̂ ± crit·√(SE² + τ̂²) (metafor `predict`); t(k − 1) degrees of freedom or nil
  /// under `test = z`. Its fields read through (``ModelSummaryCarrying``).
  public var summary: ModelSummary
  /// The critical value used for the CI and PI.
  public var critical: Double
  /// Hartung–Knapp scale s² (1 when not used).
  public var scale: Double
  /// Σwᵢ.
  public var sumOfWeights: Double

  // MARK: Heterogeneity
  /// The τ² estimate and its convergence.
  public var tau2: TauSquaredEstimate
  /// Cochran's Q with weights 1/vᵢ.
  public var q: Double
  /// k − 1.
  public var qDegreesOfFreedom: Int
  /// P(χ²_{k−1} > Q).
  public var qPValue: Double
  /// The "typical" within-cohort variance ṽ = (k−1)/(Σw − Σw²/Σw), w = 1/vᵢ (metafor's `vt`).
  public var typicalVariance: Double
  /// I² in percent: 100·τ²/(ṽ+τ²) for random-effects models, max(0, 100(Q−df)/Q) for EE.
  public var i2: Double
  /// H²: τ²/ṽ + 1 for random-effects models, Q/df for EE.
  public var h2: Double

  /// Warnings about this fit (boundary estimates, non-convergence, small k, …).
  public var warnings: [AnalysisWarning]

  /// τ̂ = √τ̂².
  public var tau: Double { tau2.tau2.squareRoot() }

  /// The relative weights (percent) 100·wᵢ/Σw, wᵢ = 1/(vᵢ + τ̂²).
  public func weights(vi: [Double]) -> [Double] {
    let t = tau2.tau2
    return vi.map { 100 * (1 / ($0 + t)) / sumOfWeights }
  }
}
