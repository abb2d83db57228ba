// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// The binomial-normal model (random-intercept logistic GLMM) for pooling single proportions,
/// fitted by maximum likelihood — metafor's `rma.glmm(measure = "PLO", xi, ni, nAGQ, test)`
/// (lme4 `glmer(cbind(x, n − x) ~ 1 + (1 | cohort), family = binomial, nAGQ)`).
///
/// Model (Stijnen, Hamza & Özdemir 2010):
/// ```
/// xᵢ | uᵢ ~ Bin(nᵢ, expit(μ + uᵢ)),   uᵢ ~ N(0, τ²)
/// ℓ(μ, τ) = Σᵢ log ∫ C(nᵢ, xᵢ) pᵢ(u)^xᵢ (1 − pᵢ(u))^(nᵢ−xᵢ) φ(u) du,   pᵢ(u) = expit(μ + τu)
/// ```
/// Each integral is approximated by adaptive Gauss–Hermite quadrature centred at the conditional
/// mode and scaled by the conditional curvature (Pinheiro & Bates 1995; lme4's `glmerAGQ`); see
/// Docs/glmm.md. Zero- and all-event cohorts enter as they are: the fit
/// uses no continuity correction.
///
/// The maximum over (μ, τ ≥ 0) is found by Newton's method with the analytic gradient and
/// Hessian of the quadrature approximation, a backtracking line search, and an explicit
/// comparison with the boundary τ = 0, where the model is the common-proportion logistic model
/// (μ̂ = logit(Σxᵢ/Σnᵢ)). ℓ is even in τ, so a step to τ < 0 is reflected.
public enum BinomialNormalModel {
  /// Fits the model and computes metafor's accompanying statistics.
  ///
  /// - Parameters:
  ///   - studies: the cohorts (k ≥ 2; not all with 0 responders, not all with only responders).
  ///   - nAGQ: quadrature points per cohort, 1 (Laplace) to 100; metafor's default is 7.
  ///   - test: `.z` (normal) or `.t` (t with k − 1 df, no variance scaling); Knapp–Hartung is
  ///     not defined for this model.
  ///   - level: confidence level of the CI and prediction interval.
  ///   - control: optimizer settings.
  /// - Returns: the fit, with SE from the observed information, CI, prediction interval
  ///   μ̂ ± crit·√(SE² + τ̂²), back-transformed proportions, Wald and likelihood-ratio
  ///   heterogeneity tests, I² and H² (see ``GLMMFit``).
  /// - Throws: ``MetaAnalysisError/noStudies``, ``MetaAnalysisError/invalidStudy(label:reason:)``,
  ///   ``MetaAnalysisError/invalidSetting(name:value:expected:)`` (nAGQ, test),
  ///   ``MetaAnalysisError/fitFailed(reason:)`` when the maximum-likelihood estimate does not
  ///   exist (k = 1, no responders at all, only responders), and
  ///   ``MetaAnalysisError/glmmFailed(_:)`` with the optimizer's last state when the
  ///   optimization does not converge.
  public static func fit(
    studies: [ProportionStudy], nAGQ: Int = 7, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, control: GLMMControl = GLMMControl()
  ) throws(MetaAnalysisError) -> GLMMFit {
    guard !studies.isEmpty else { throw .noStudies }
    for s in studies {
      guard s.total > 0, s.events >= 0, s.events <= s.total else {
        throw .invalidStudy(label: s.label, reason: "events = \(s.events), n = \(s.total); expected 0 ≤ events ≤ n, n > 0")
      }
    }
    guard test == .z || test == .t else {
      throw .invalidSetting(
        name: "test", value: test.rawValue,
        expected: "z or t for the GLMM (metafor's rma.glmm has no Knapp-Hartung adjustment)")
    }
    let rule = try GaussHermiteRule(points: nAGQ)
    let k = studies.count
    guard k >= 2 else {
      throw .fitFailed(reason: "the binomial-normal model estimates mu and tau and needs at least 2 cohorts (k = 1)")
    }
    var sumEvents = 0, sumTotal = 0
    for s in studies {
      sumEvents += s.events
      sumTotal += s.total
    }
    guard sumEvents > 0 else {
      throw .fitFailed(reason: "no cohort has a responder: the maximum-likelihood estimate of the logit is -infinity")
    }
    guard sumEvents < sumTotal else {
      throw .fitFailed(reason: "every patient in every cohort responded: the maximum-likelihood estimate of the logit is +infinity")
    }

    // Two-step logit estimates (escalc PLO, ½ added to zero-cell cohorts): the start of the
    // optimizer, and vt for I² and H² as metafor computes it.
    let es = try EffectSizes(studies: studies, measure: .PLO)
    var sw = 0.0, sw2 = 0.0, swy = 0.0
    for i in 0..<k {
      let w = 1 / es.vi[i]
      sw += w
      sw2 += w * w
      swy += w * es.yi[i]
    }
    let traceP = sw - sw2 / sw
    let typicalVariance = Double(k - 1) / traceP
    var q = 0.0
    let meanFE = swy / sw
    for i in 0..<k {
      let d = es.yi[i] - meanFE
      q += d * d / es.vi[i]
    }
    let tau2DL = max(0, (q - Double(k - 1)) / traceP)
    var swRE = 0.0, swyRE = 0.0
    for i in 0..<k {
      let w = 1 / (es.vi[i] + tau2DL)
      swRE += w
      swyRE += w * es.yi[i]
    }

    // Maximum likelihood.
    let likelihood = AdaptiveGaussHermiteLikelihood(studies: studies, rule: rule)
    let pooled = Double(sumEvents) / Double(sumTotal)
    let boundaryMu = Double.log(pooled / (1 - pooled))
    let boundary = likelihood.evaluate(mu: boundaryMu, tau: 0)
    // Start: the two-step DerSimonian–Laird estimate. For nAGQ > 1 and cohorts whose
    // likelihoods are close to normal (≥ 90 % with at least 5 responders and 5 non-responders),
    // first brought near the Laplace maximum, where an evaluation costs about a third; with
    // sparse cohorts the Laplace surface can differ too much (another basin), so no warm-up.
    var startMu = swyRE / swRE, startTau = max(tau2DL.squareRoot(), 0.1)
    var warmUpIterations = 0
    var dense = 0
    for s in studies where min(s.events, s.total - s.events) >= 5 { dense += 1 }
    if nAGQ > 1, control.warmUpTolerance > 0, 10 * dense >= 9 * k {
      var loose = control
      loose.stepTolerance = control.warmUpTolerance
      let laplace = AdaptiveGaussHermiteLikelihood(studies: studies, rule: try GaussHermiteRule(points: 1))
      if let near = try? maximize(laplace, mu: startMu, tau: startTau, control: loose),
        near.tau > 1e-3 || near.evaluation.hessianTauTau < 0
      {
        startMu = near.mu
        startTau = max(near.tau, 1e-3)
        warmUpIterations = near.iterations
      }
    }

    // Candidates: the interior search, the boundary τ = 0 when it is a local maximum
    // (∂²ℓ/∂τ² ≤ 0 there; ∂ℓ/∂μ = ∂ℓ/∂τ = 0 by construction), and, when the boundary is not
    // a maximum and the first search did not beat it, a second search started next to it.
    var failure: MetaAnalysisError? = nil
    var interior: Maximum? = nil
    do {
      interior = try maximize(likelihood, mu: startMu, tau: startTau, control: control)
      interior?.iterations += warmUpIterations
    } catch {
      failure = error
    }
    let boundaryIsMaximum = boundary.hessianTauTau <= 0
    if !boundaryIsMaximum, !((interior?.evaluation.value ?? -.infinity) > boundary.value) {
      do {
        let ascent = try maximize(likelihood, mu: boundaryMu, tau: 0.1, control: control)
        if ascent.evaluation.value > (interior?.evaluation.value ?? -.infinity) { interior = ascent }
      } catch {
        if failure == nil { failure = error }
      }
    }
    // A failed search whose last point is above every candidate means the maximum was not
    // found (for example τ diverging): report it rather than return a lower point.
    let best = max(interior?.evaluation.value ?? -.infinity, boundaryIsMaximum ? boundary.value : -.infinity)
    if let failure, case .glmmFailed(let state) = failure, !(state.logLik <= best) { throw failure }
    var mu: Double, tau: Double
    var atBoundary = false
    let iterations = interior?.iterations ?? 0
    if let interior, interior.evaluation.value > boundary.value {
      mu = interior.mu
      tau = interior.tau
    } else if boundaryIsMaximum {
      mu = boundaryMu
      tau = 0
      atBoundary = true
    } else {
      throw failure ?? .glmmFailed(GLMMFailure(
        reason: "no maximum found: tau = 0 is not a local maximum and the searches did not improve on it",
        mu: boundaryMu, tau: 0, logLik: boundary.value, gradientMu: boundary.gradientMu,
        gradientTau: boundary.gradientTau, iterations: iterations))
    }
    // Evaluate at the chosen point last, so that the stored conditional modes belong to it.
    let final = likelihood.evaluate(mu: mu, tau: tau)
    let conditionalDeviance = likelihood.conditionalDeviance()

    // SE from the observed information (inverse of −H) for μ.
    let a11 = -final.hessianMuMu, a12 = -final.hessianMuTau, a22 = -final.hessianTauTau
    let variance: Double
    if atBoundary {
      variance = 1 / a11
    } else {
      let det = a11 * a22 - a12 * a12
      variance = a22 / det
      guard a11 > 0, det > 0 else {
        throw .glmmFailed(GLMMFailure(
          reason: "the Hessian of the log-likelihood is not negative definite at the maximum",
          mu: mu, tau: tau, logLik: final.value, gradientMu: final.gradientMu,
          gradientTau: final.gradientTau, iterations: iterations))
      }
    }
    guard variance > 0, variance.isFinite else {
      throw .glmmFailed(GLMMFailure(
        reason: "the variance of the estimate is not positive and finite (\(variance))",
        mu: mu, tau: tau, logLik: final.value, gradientMu: final.gradientMu,
        gradientTau: final.gradientTau, iterations: iterations))
    }
    let se = variance.squareRoot()
    let tau2 = tau * tau
    // Test, CI, prediction interval.
    let alpha = level.alpha
    let inference = try GLMMWaldInference(estimate: mu, standardError: se, test: test, k: k, alpha: alpha)
    let crit = inference.critical
    let piHalf = crit * (variance + tau2).squareRoot()
    let piLower = mu - piHalf, piUpper = mu + piHalf

    // Heterogeneity tests: common-proportion and saturated logistic fits, as glm.
    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 6 * k)
    defer { scratch.deallocate() }
    let lchoose = likelihood.logBinomialCoefficients
    let (common, saturated) = LogisticIRLS.fitBoth(studies: studies, logBinomialCoefficients: lchoose, scratch: scratch)
    let dfQ = Double(k - 1)
    let chi = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: dfQ) }
    let qWald = max(0, saturated.wald)
    let qLRT = max(0, -2 * (common.logLik - saturated.logLik))
    let qWaldP = try dist { () throws(DistributionError) in try chi.survival(qWald) }
    let qLRTP = try dist { () throws(DistributionError) in try chi.survival(qLRT) }

    // ℓ_sat = Σ log dbinom(xᵢ, nᵢ, xᵢ/nᵢ).
    var saturatedLogLik = lchoose
    for s in studies {
      let x = Double(s.events), n = Double(s.total)
      if x > 0 { saturatedLogLik += x * Double.log(x / n) }
      if x < n { saturatedLogLik += (n - x) * Double.log((n - x) / n) }
    }

    var warnings: [AnalysisWarning] = []
    if atBoundary { warnings.append(.tau2AtZero(method: .ML)) }
    var extreme = 0
    for s in studies where s.events == 0 || s.events == s.total { extreme += 1 }
    if extreme > 0 {
      warnings.append(.note(
        "\(extreme) cohort(s) with 0 or all responders enter the GLMM likelihood without continuity correction; "
          + "their saturated-model logits diverge, so the Wald-type heterogeneity test (QE.Wld) gives them almost no weight"))
    }
    if !common.converged || !saturated.converged {
      warnings.append(.note(
        "the \(common.converged ? "saturated" : "common-proportion") logistic fit behind the heterogeneity tests stopped after 25 IRLS iterations without meeting glm's criterion (as R's glm would)"))
    }

    return GLMMFit(
      k: k, nAGQ: nAGQ, test: test, alpha: alpha,
      summary: ModelSummary(
        wald: inference.wald, piLower: piLower, piUpper: piUpper, degreesOfFreedom: inference.degreesOfFreedom),
      critical: crit,
      tau2: tau2, qWald: qWald, qWaldDF: k - 1, qWaldP: qWaldP, qLRT: qLRT, qLRTP: qLRTP,
      typicalVariance: typicalVariance,
      i2: 100 * tau2 / (typicalVariance + tau2), h2: tau2 / typicalVariance + 1,
      logLik: final.value, deviance: -2 * (final.value - saturatedLogLik), metaforLogLik: saturated.logLik - 0.5 * conditionalDeviance,
      converged: true, iterations: iterations,
      gradientNorm: final.gradientNorm,
      hessianMuMu: final.hessianMuMu, hessianMuTau: final.hessianMuTau, hessianTauTau: final.hessianTauTau,
      warnings: warnings)
  }

  /// The adaptive Gauss–Hermite log-likelihood ℓ(μ, τ) of the model at one point, with its
  /// analytic gradient and Hessian (for profiles, diagnostics and checks).
  ///
  /// - Parameters:
  ///   - studies: the cohorts.
  ///   - mu: the mean logit μ.
  ///   - tau: the standard deviation τ ≥ 0 of the random intercepts (ℓ is even in τ).
  ///   - nAGQ: quadrature points per cohort (1 = Laplace).
  /// - Throws: ``MetaAnalysisError`` for empty input, invalid cohorts or nAGQ.
  public static func logLikelihood(
    studies: [ProportionStudy], mu: Double, tau: Double, nAGQ: Int = 7
  ) throws(MetaAnalysisError) -> GLMMLogLikelihood {
    guard !studies.isEmpty else { throw .noStudies }
    for s in studies {
      guard s.total > 0, s.events >= 0, s.events <= s.total else {
        throw .invalidStudy(label: s.label, reason: "events = \(s.events), n = \(s.total); expected 0 ≤ events ≤ n, n > 0")
      }
    }
    let likelihood = AdaptiveGaussHermiteLikelihood(studies: studies, rule: try GaussHermiteRule(points: nAGQ))
    let e = likelihood.evaluate(mu: mu, tau: tau)
    return GLMMLogLikelihood(
      value: e.value, gradientMu: e.gradientMu, gradientTau: e.gradientTau,
      hessianMuMu: e.hessianMuMu, hessianMuTau: e.hessianMuTau, hessianTauTau: e.hessianTauTau,
      conditionalModes: likelihood.conditionalModes())
  }

  /// The result of the Newton iteration.
  struct Maximum {
    var mu: Double
    var tau: Double
    var evaluation: AGQEvaluation
    var iterations: Int
  }

  /// Newton's method with a backtracking (Armijo) line search on ℓ(μ, τ).
  ///
  /// Where −H is not positive definite the step solves (−H + λI)d = ∇ℓ with λ just large
  /// enough to make it so. Steps longer than `control.maxStep` are shortened. Converged when
  /// −H is positive definite and the Newton step is below `control.stepTolerance`
  /// (relative to 1 + |μ| and 1 + τ).
  static func maximize(
    _ likelihood: AdaptiveGaussHermiteLikelihood, mu startMu: Double, tau startTau: Double,
    control: GLMMControl
  ) throws(MetaAnalysisError) -> Maximum {
    var mu = startMu, tau = startTau
    var ev = likelihood.evaluate(mu: mu, tau: tau)
    guard ev.value.isFinite else {
      throw failure("the log-likelihood is not finite at the start", mu: mu, tau: tau, ev, 0)
    }
    let divergence = 100.0
    var iteration = 0
    while iteration < control.maxIterations {
      iteration += 1
      let a11 = -ev.hessianMuMu, a12 = -ev.hessianMuTau, a22 = -ev.hessianTauTau
      let g1 = ev.gradientMu, g2 = ev.gradientTau
      let det = a11 * a22 - a12 * a12
      let positiveDefinite = a11 > 0 && det > 0
      var d1: Double, d2: Double
      if positiveDefinite {
        d1 = (a22 * g1 - a12 * g2) / det
        d2 = (a11 * g2 - a12 * g1) / det
        let size = max(abs(d1) / (1 + abs(mu)), abs(d2) / (1 + tau))
        if size < control.stepTolerance {
          // Quadratic convergence: after this step the error is far below the tolerance.
          return Maximum(mu: mu + d1, tau: abs(tau + d2), evaluation: ev, iterations: iteration)
        }
        if size < 1e-3 {
          // Close to the maximum, where Newton converges quadratically and ℓ changes by less
          // than its rounding error: take the full step without a line search.
          let trial = likelihood.evaluate(mu: mu + d1, tau: abs(tau + d2))
          if trial.value.isFinite, trial.value >= ev.value - 1e-9 * (1 + abs(ev.value)) {
            mu += d1
            tau = abs(tau + d2)
            ev = trial
            continue
          }
        }
      } else {
        if tau == 0, a22 < 0 {
          // On the boundary where ℓ curves upwards in τ (∂ℓ/∂τ = 0 there by symmetry, so no
          // step would leave it): step off.
          tau = 0.1
          ev = likelihood.evaluate(mu: mu, tau: tau)
          continue
        }
        let half = 0.5 * (a11 + a22)
        let radius = (0.25 * (a11 - a22) * (a11 - a22) + a12 * a12).squareRoot()
        let smallest = half - radius
        let shift = -smallest + max(1e-8, 1e-3 * (abs(a11) + abs(a22)))
        let b11 = a11 + shift, b22 = a22 + shift
        let bdet = b11 * b22 - a12 * a12
        d1 = (b22 * g1 - a12 * g2) / bdet
        d2 = (b11 * g2 - a12 * g1) / bdet
      }
      let longest = max(abs(d1), abs(d2))
      if longest > control.maxStep {
        d1 *= control.maxStep / longest
        d2 *= control.maxStep / longest
      }
      let slope = g1 * d1 + g2 * d2
      var step = 1.0
      var accepted = false
      for _ in 0..<40 {
        let mu1 = mu + step * d1
        let tau1 = abs(tau + step * d2)
        let trial = likelihood.evaluate(mu: mu1, tau: tau1)
        if trial.value.isFinite, trial.value >= ev.value + 1e-4 * step * slope {
          mu = mu1
          tau = tau1
          ev = trial
          accepted = true
          break
        }
        step *= 0.5
      }
      if !accepted {
        throw failure("the line search found no ascent along the Newton direction", mu: mu, tau: tau, ev, iteration)
      }
      if tau > divergence || abs(mu) > divergence {
        throw failure(
          "the estimates diverge (|mu| or tau above \(divergence)): the likelihood keeps increasing, "
            + "e.g. when every cohort has 0 or all responders", mu: mu, tau: tau, ev, iteration)
      }
    }
    throw failure("no convergence within \(control.maxIterations) Newton iterations", mu: mu, tau: tau, ev, iteration)
  }

  private static func failure(
    _ reason: String, mu: Double, tau: Double, _ ev: AGQEvaluation, _ iterations: Int
  ) -> MetaAnalysisError {
    .glmmFailed(GLMMFailure(
      reason: reason, mu: mu, tau: tau, logLik: ev.value, gradientMu: ev.gradientMu,
      gradientTau: ev.gradientTau, iterations: iterations))
  }
}
