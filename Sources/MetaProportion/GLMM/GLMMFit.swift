// SPDX-License-Identifier: GPL-3.0-or-later

/// A fitted binomial-normal model (random-intercept logistic GLMM) for single proportions:
/// ```
/// xᵢ ~ Bin(nᵢ, expit(μ + uᵢ)),   uᵢ ~ N(0, τ²),   i = 1…k,
/// ```
/// fitted by maximum likelihood with adaptive Gauss–Hermite quadrature, as metafor's
/// `rma.glmm(measure = "PLO", xi, ni, nAGQ, test)` (lme4 `glmer`), followed by `predict()`.
///
/// Everything on the logit scale unless named `proportion…`; the proportions are the inverse
/// logit of the logit-scale values (metafor's `transf.ilogit`): the median proportion of the
/// population of cohorts, not its mean.
public struct GLMMFit: ModelSummaryCarrying, Sendable, Hashable {
  /// Number of cohorts k.
  public var k: Int
  /// Quadrature points per cohort (1 = Laplace approximation).
  public var nAGQ: Int
  /// z or t(k − 1).
  public var test: TestMethod
  /// α = 1 − level.
  public var alpha: Double

  // MARK: Pooled logit
  /// μ̂, the maximum-likelihood estimate of the mean logit; SE(μ̂) = √[(−H)⁻¹]_μμ, with H the
  /// Hessian of the log-likelihood in (μ, τ) at the maximum (lme4's `vcov()` for nAGQ ≥ 1,
  /// which inverts the Hessian over (θ = τ, β); at τ̂ = 0, H_μτ = 0 and SE = 1/√(−H_μμ)); μ̂/SE
  /// (z or t) and the two-sided p-value of H₀: μ = 0 (normal, or t with k − 1 df); the CI
  /// μ̂ ± crit·SE and the prediction interval μ̂ ± crit·√(SE² + τ̂²) (metafor `predict`);
  /// k − 1 degrees of freedom under `test = t`, nil under `z`. Its fields read through
  /// (``ModelSummaryCarrying``).
  public var summary: ModelSummary
  /// z_{1−α/2} or t_{k−1, 1−α/2}; no Knapp–Hartung scaling (rma.glmm has none).
  public var critical: Double

  // MARK: Heterogeneity
  /// τ̂², the random-intercept variance (lme4's `VarCorr`, θ̂²).
  public var tau2: Double
  /// The Wald-type test of the saturated logistic model (one proportion per cohort) against
  /// the common-proportion model, metafor's `QE.Wld`: Σ Wᵢ(ηᵢ − η̄)² with the saturated fit's
  /// logits ηᵢ and IRLS weights Wᵢ, R's `glm.fit` reproduced step by step (Docs/glmm.md §6).
  public var qWald: Double
  /// Degrees of freedom of both heterogeneity tests, k − 1.
  public var qWaldDF: Int
  /// P(χ²_{k−1} > qWald).
  public var qWaldP: Double
  /// The likelihood-ratio test of the same models, metafor's `QE.LRT`:
  /// −2(ℓ_common − ℓ_saturated), binomial log-likelihoods of the two `glm` fits.
  public var qLRT: Double
  /// P(χ²_{k−1} > qLRT).
  public var qLRTP: Double
  /// The "typical" within-cohort variance ṽ = (k−1)/(Σwᵢ − Σwᵢ²/Σwᵢ), wᵢ = 1/vᵢ, from the
  /// `escalc` logit variances vᵢ = 1/x′ + 1/(n−x)′ (½ added to both counts of zero- and
  /// all-event cohorts), metafor's `vt`.
  public var typicalVariance: Double
  /// I² = 100·τ̂²/(ṽ + τ̂²) (percent).
  public var i2: Double
  /// H² = τ̂²/ṽ + 1.
  public var h2: Double

  // MARK: Likelihood
  /// The maximized (approximate) marginal log-likelihood
  /// ℓ = Σᵢ log ∫ Bin(xᵢ | nᵢ, expit(μ̂ + τ̂u)) φ(u) du, binomial coefficients included
  /// (lme4's `logLik(glmer)`).
  public var logLik: Double
  /// −2(ℓ − ℓ_sat), with ℓ_sat = Σᵢ log dbinom(xᵢ, nᵢ, xᵢ/nᵢ) the saturated binomial
  /// log-likelihood: the objective lme4 minimizes for nAGQ > 1 (its `logLik()` is then
  /// −deviance/2, without ℓ_sat; for nAGQ = 1 lme4's `logLik()` is ℓ).
  public var deviance: Double
  /// The log-likelihood metafor reports for `rma.glmm` (`logLik(res)`, `fit.stats["ll", "ML"]`):
  /// ℓ_saturated − ½·Σᵢ dᵢ(η̂ᵢ), with dᵢ the binomial deviance residuals at the conditional
  /// modes (lme4's `deviance()` of a GLMM is this conditional deviance). It is not the marginal
  /// likelihood; provided for comparison with metafor output.
  public var metaforLogLik: Double

  // MARK: Convergence
  /// Whether the optimizer met its convergence criterion.
  public var converged: Bool
  /// Newton iterations of the optimizer.
  public var iterations: Int
  /// ‖∇ℓ‖ at the returned (μ̂, τ̂) (0 in the τ component at the boundary τ̂ = 0).
  public var gradientNorm: Double
  /// The Hessian of ℓ in (μ, τ) at the maximum: (μμ, μτ, ττ).
  public var hessian: (muMu: Double, muTau: Double, tauTau: Double) {
    (hessianMuMu, hessianMuTau, hessianTauTau)
  }
  var hessianMuMu: Double
  var hessianMuTau: Double
  var hessianTauTau: Double

  /// Conditions the reader must know about (τ̂² = 0, zero-event cohorts, small k, …).
  public var warnings: [AnalysisWarning]

  /// τ̂ = √τ̂².
  public var tau: Double { tau2.squareRoot() }

  // MARK: Back-transformed (metafor's `transf.ilogit`)
  /// expit(μ̂).
  public var proportion: Double { BackTransformation.inverseLogit.apply(estimate) }
  /// expit of the CI bounds.
  public var proportionCILower: Double { BackTransformation.inverseLogit.apply(ciLower) }
  /// expit of the CI bounds.
  public var proportionCIUpper: Double { BackTransformation.inverseLogit.apply(ciUpper) }
  /// expit of the prediction bounds.
  public var proportionPILower: Double { BackTransformation.inverseLogit.apply(piLower) }
  /// expit of the prediction bounds.
  public var proportionPIUpper: Double { BackTransformation.inverseLogit.apply(piUpper) }
}
