// SPDX-License-Identifier: GPL-3.0-or-later

/// Numerical settings of the binomial-normal model's optimizer.
public struct GLMMControl: Sendable, Hashable {
  /// Maximum Newton iterations of the outer optimization over (μ, τ).
  public var maxIterations: Int
  /// Convergence: the Newton step, scaled as |Δμ|/(1 + |μ|) and |Δτ|/(1 + τ), is below this
  /// with a negative-definite Hessian. Newton converges quadratically, so the returned
  /// maximum is accurate to about the square of this.
  public var stepTolerance: Double
  /// The largest Newton step allowed in μ or τ (logit units) before the line search.
  public var maxStep: Double

  /// For nAGQ > 1, first maximize the Laplace approximation (about a third of the cost per
  /// evaluation) until its Newton step is below this, then continue with the full rule from
  /// there; 0 skips this warm-up. It changes only the path, not the maximum.
  public var warmUpTolerance: Double

  /// Creates a control; the defaults fit to about machine precision.
  public init(maxIterations: Int = 200, stepTolerance: Double = 1e-8, maxStep: Double = 2, warmUpTolerance: Double = 1e-2) {
    self.maxIterations = maxIterations; self.stepTolerance = stepTolerance; self.maxStep = maxStep
    self.warmUpTolerance = warmUpTolerance
  }
}

/// The optimizer's state when a binomial-normal fit fails, carried by
/// ``MetaAnalysisError/glmmFailed(_:)``.
public struct GLMMFailure: Error, Sendable, Hashable, CustomStringConvertible {
  /// Why the fit failed.
  public var reason: String
  /// The last μ (logit scale).
  public var mu: Double
  /// The last τ.
  public var tau: Double
  /// The log-likelihood at (μ, τ).
  public var logLik: Double
  /// ∂ℓ/∂μ at (μ, τ).
  public var gradientMu: Double
  /// ∂ℓ/∂τ at (μ, τ).
  public var gradientTau: Double
  /// Newton iterations done.
  public var iterations: Int

  /// Creates a failure record.
  public init(
    reason: String, mu: Double, tau: Double, logLik: Double, gradientMu: Double, gradientTau: Double,
    iterations: Int
  ) {
    self.reason = reason; self.mu = mu; self.tau = tau; self.logLik = logLik; self.gradientMu = gradientMu
    self.gradientTau = gradientTau; self.iterations = iterations
  }

  public var description: String {
    "GLMM (binomial-normal) fit failed: \(reason) [last mu = \(mu), tau = \(tau), logLik = \(logLik), "
      + "gradient = (\(gradientMu), \(gradientTau)), iterations = \(iterations)]"
  }
}

/// The binomial-normal log-likelihood at one (μ, τ), with first and second derivatives; see
/// ``BinomialNormalModel/logLikelihood(studies:mu:tau:nAGQ:)``.
public struct GLMMLogLikelihood: Sendable, Hashable {
  /// ℓ(μ, τ), binomial coefficients included.
  public var value: Double
  /// ∂ℓ/∂μ
  public var gradientMu: Double
  /// ∂ℓ/∂τ
  public var gradientTau: Double
  /// ∂²ℓ/∂μ²
  public var hessianMuMu: Double
  /// ∂²ℓ/∂μ∂τ
  public var hessianMuTau: Double
  /// ∂²ℓ/∂τ²
  public var hessianTauTau: Double
  /// The conditional modes η̂ᵢ = μ + τûᵢ (the cohorts' empirical-Bayes logits), in input order.
  public var conditionalModes: [Double]
}
