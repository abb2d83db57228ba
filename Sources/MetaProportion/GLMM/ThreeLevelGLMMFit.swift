// SPDX-License-Identifier: GPL-3.0-or-later

/// One candidate maximum of the three-level binomial-normal likelihood examined by the global
/// check of ``ThreeLevelBinomialNormalModel``.
public struct ThreeLevelGLMMCandidate: Sendable, Hashable {
  /// Which search: "interior (start: inverse-variance three-level ML)", "sigma2_trial = 0", …
  public var name: String
  /// μ̂, σ̂₁ (trial SD) and σ̂₂ (cohort SD) of the search.
  public var mu: Double
  public var sigmaTrial: Double
  public var sigmaCohort: Double
  /// Its log-likelihood.
  public var logLik: Double
  /// Whether the search converged (and, on a boundary, whether the boundary is a local
  /// maximum of the full model).
  public var converged: Bool
}

/// A fitted three-level binomial-normal model (cohorts j nested in trials i):
/// ```
/// xᵢⱼ ~ Bin(nᵢⱼ, expit(μ + uᵢ + wᵢⱼ)),   uᵢ ~ N(0, σ²_trial),   wᵢⱼ ~ N(0, σ²_cohort),
/// ```
/// by maximum likelihood (lme4 `glmer(cbind(x, n − x) ~ 1 + (1 | trial/cohort),
/// family = binomial)`); see ``ThreeLevelBinomialNormalModel`` and Docs/glmm.md.
///
/// Everything on the logit scale unless named `proportion…` (the inverse logit: the median
/// proportion of the population of cohorts).
public struct ThreeLevelGLMMFit: ModelSummaryCarrying, Sendable, Hashable {
  /// Number of cohorts k and of clusters (trials).
  public var k: Int
  public var clusters: Int
  /// Quadrature points per level (1 = joint Laplace approximation, as glmer's nAGQ = 1).
  public var nAGQ: Int
  /// z or t(k − 1).
  public var test: TestMethod
  /// α = 1 − level.
  public var alpha: Double

  /// μ̂, SE from the observed information (inverse of −H over the parameters not on a
  /// boundary), test statistic, p-value, CI, the prediction interval
  /// μ̂ ± crit·√(SE² + σ̂²_trial + σ̂²_cohort) and k − 1 degrees of freedom under t (nil under
  /// z). Its fields read through (``ModelSummaryCarrying``).
  public var summary: ModelSummary
  /// The critical value (z or t).
  public var critical: Double


  /// The trial level (σ²_trial) and the cohort level (σ²_cohort), with profile-likelihood CIs
  /// and I² on the latent scale: I²ₗ = 100·σ²ₗ/(σ²_trial + σ²_cohort + π²/3).
  public var levels: [VarianceComponent]
  /// Σ I² of the levels.
  public var i2Total: Double
  /// The latent-scale within-cohort variance of the logistic model, π²/3 (Nakagawa & Schielzeth
  /// 2010), the "typical within-study variance" of the I² above.
  public var latentVariance: Double

  /// The maximised log-likelihood (binomial coefficients included; for nAGQ = 1 the Laplace
  /// approximation, lme4's `logLik`).
  public var logLik: Double
  /// The maximum with σ²_trial = 0 (the one-level GLMM of the cohorts with the same
  /// quadrature), the LRT 2(ℓ − ℓ₀) against it and its χ²₁ p-value.
  public var logLikNoTrialLevel: Double
  public var lrtTrial: Double
  public var lrtTrialPValue: Double
  /// The maximum with σ²_cohort = 0 (one random effect per trial), the LRT against it and its
  /// χ²₁ p-value.
  public var logLikNoCohortLevel: Double
  public var lrtCohort: Double
  public var lrtCohortPValue: Double

  /// Every candidate of the global check and which was taken.
  public var candidates: [ThreeLevelGLMMCandidate]
  public var chosenCandidate: String

  /// Newton iterations of the chosen search, whether it converged, ‖∇ℓ‖ at the estimate
  /// (free parameters) and the Hessian of ℓ in (μ, σ_trial, σ_cohort), row-major.
  public var iterations: Int
  public var converged: Bool
  public var gradientNorm: Double
  public var hessian: [Double]
  /// |ℓ(Q points) − ℓ(Q + 8 points)| at the estimate (nil for the Laplace approximation): the
  /// quadrature's own accuracy check.
  public var quadratureCheck: Double?

  /// Conditions the reader must know about (σ² at 0, multimodality, quadrature accuracy, …).
  public var warnings: [AnalysisWarning]

  /// expit of μ̂, the CI and the prediction interval.
  public var proportion: Double { BackTransformation.inverseLogit.apply(estimate) }
  public var proportionCILower: Double { BackTransformation.inverseLogit.apply(ciLower) }
  public var proportionCIUpper: Double { BackTransformation.inverseLogit.apply(ciUpper) }
  public var proportionPILower: Double { BackTransformation.inverseLogit.apply(piLower) }
  public var proportionPIUpper: Double { BackTransformation.inverseLogit.apply(piUpper) }

  /// σ̂_trial, σ̂_cohort.
  public var sigmaTrial: Double { levels[0].sigma2.squareRoot() }
  public var sigmaCohort: Double { levels[1].sigma2.squareRoot() }
}
