// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// The unconditional binomial-normal model with fixed study effects for odds ratios, fitted by
/// maximum likelihood: metafor's `rma.glmm(measure = "OR", model = "UM.FS")`, which is lme4's
/// `glmer(cbind(x, n − x) ~ −1 + group1 + study + (group12 − 1 | study), nAGQ = 7)`
/// (Turner et al. 2000; Stijnen, Hamza & Özdemir 2010).
///
/// Trial i, arm j (treatment: g = 1, control: g = 0):
/// ```
/// xᵢⱼ | bᵢ ~ Bin(nᵢⱼ, expit(αᵢ + gθ + (g − ½)τbᵢ)),   bᵢ ~ N(0, 1),
/// ```
/// so the trials' log odds ratios are θ + τbᵢ with variance τ², and each trial has its own
/// fixed intercept αᵢ. Trial i's likelihood is one integral over bᵢ, approximated, as lme4 does,
/// by adaptive Gauss–Hermite quadrature: with hᵢ(b) = ℓᵢ(b) − b²/2 (ℓᵢ the two binomial
/// log-likelihoods), its mode b̂ᵢ, cᵢ = −hᵢ″(b̂ᵢ) = 1 + τ²(n₁p₁q₁ + n₂p₂q₂)/4 and sᵢ = cᵢ^(−½),
/// ```
/// log Lᵢ ≈ log sᵢ + log Σₘ wₘ exp(hᵢ(b̂ᵢ + sᵢzₘ) + zₘ²/2).
/// ```
/// The likelihood factorises over trials, so the αᵢ are profiled out one trial at a time
/// (Newton's method on the one-dimensional log Lᵢ with central-difference derivatives, with a
/// golden-section fallback), and the profile ℓₚ(θ, τ) is maximised by nested golden-section
/// searches over θ ∈ [−15, 15] and τ ∈ [0, 10]. SE(θ̂) is the (θ, θ) element of the inverse of
/// the observed information of ℓₚ in (θ, τ) by central differences — the same number as the
/// (θ, θ) element of the inverse Hessian in (τ, θ, α₁, …, αₖ) that lme4's `vcov` uses (the
/// profile's Hessian is that matrix's Schur complement). ℓₚ is even in τ, so the differences
/// are taken through |τ| at the boundary τ̂ = 0.
///
/// Trials with no responders, or only responders, in both arms are left out (metafor's
/// `drop00 = TRUE`). The cost is O(k·nAGQ) per likelihood evaluation and a few thousand
/// evaluations per fit.
public struct UnconditionalFixedStudyFit: Sendable, Hashable {
  /// Trials used.
  public var k: Int
  /// θ̂ = ln OR.
  public var estimate: Double
  public var standardError: Double
  /// τ̂² (variance of the trials' log odds ratios).
  public var tau2: Double
  /// The trial intercepts α̂ᵢ of the trials used, in input order.
  public var intercepts: [Double]
  /// The maximised quadrature log-likelihood (without the binomial coefficients).
  public var logLikelihood: Double
  /// lme4's `deviance()` of the fit: the binomial deviance residuals summed at the conditional
  /// modes (metafor's likelihood-ratio heterogeneity statistic `QE.LRT` for this model).
  public var conditionalDeviance: Double
  /// metafor's `QE.LRT`: 2(ℓ_saturated − ℓ_common) with df = k − 1, the likelihood-ratio test of
  /// the common-effect model (τ = 0) against one treatment effect per trial.
  public var heterogeneityLRT: Double

  /// Fits the model.
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` with fewer than two informative trials.
  public static func fit(studies: [TwoArmStudy], nAGQ: Int = 7) throws(MetaAnalysisError) -> UnconditionalFixedStudyFit {
    let trials = studies.filter { !$0.isDoubleZero }
    guard trials.count >= 2 else {
      throw .fitFailed(reason: "the unconditional model with fixed study effects (UM.FS) needs at least two trials with responders and non-responders")
    }
    let rule = try GaussHermiteRule(points: nAGQ)
    let arms = trials.map(Trial.init)
    var alpha = arms.map(\.startingIntercept)
    var sr = 0.0, ss = 0.0
    for t in arms { sr += (t.a + 0.5) * (t.n2 - t.c + 0.5) / (t.n1 + t.n2 + 1); ss += (t.c + 0.5) * (t.n1 - t.a + 0.5) / (t.n1 + t.n2 + 1) }
    let startTheta = Double.log(sr / ss)
    func profile(_ theta: Double, _ tau: Double) -> Double {
      var total = 0.0
      for (i, t) in arms.enumerated() {
        let (a, value) = t.maximiseIntercept(theta: theta, tau: abs(tau), from: alpha[i], rule: rule)
        alpha[i] = a
        total += value
      }
      return total
    }
    // Newton's method on ℓₚ with central-difference derivatives from the Mantel–Haenszel-like
    // start; the nested golden-section searches when it does not converge.
    var (theta, tau) = (startTheta, 0.3)
    if let (t, s) = newtonMaximum(start: (theta, tau), profile) {
      (theta, tau) = (t, abs(s))
    } else {
      let thetaAt: (Double) -> Double = { tau in goldenSectionMaximum(-15, 15) { profile($0, tau) } }
      tau = goldenSectionMaximum(0, 10) { profile(thetaAt($0), $0) }
      theta = thetaAt(tau)
    }
    let f00 = profile(theta, tau)
    let intercepts = alpha
    let (htt, hts, hss) = hessian(profile, theta, tau, f00)
    var variance = -1 / htt
    if tau > 1e-3 {
      let det = htt * hss - hts * hts
      if det > 0, hss < 0 { variance = -hss / det }
    }
    var deviance = 0.0
    for (i, t) in arms.enumerated() { deviance += t.conditionalDeviance(alpha: intercepts[i], theta: theta, tau: tau) }
    // metafor's QE.LRT: twice the log-likelihood of the saturated model (each arm its own
    // proportion) minus that of the common-effect model (τ = 0, where the likelihood is exact).
    let commonTheta = goldenSectionMaximum(theta - 15, theta + 15) { profile($0, 0) }
    let commonLL = profile(commonTheta, 0)
    let saturatedLL = arms.reduce(0) { $0 + $1.saturatedLogLikelihood }
    return UnconditionalFixedStudyFit(
      k: arms.count, estimate: theta, standardError: variance.squareRoot(), tau2: tau * tau, intercepts: intercepts,
      logLikelihood: f00, conditionalDeviance: deviance, heterogeneityLRT: max(0, 2 * (saturatedLL - commonLL)))
  }

  /// The Hessian of f at (x, y) by central differences (steps 10⁻⁴ relative).
  static func hessian(_ f: (Double, Double) -> Double, _ x: Double, _ y: Double, _ f00: Double) -> (Double, Double, Double) {
    let h1 = 1e-4 * max(1, abs(x)), h2 = 1e-4 * max(1, abs(y))
    let hxx = (f(x + h1, y) - 2 * f00 + f(x - h1, y)) / (h1 * h1)
    let hyy = (f(x, y + h2) - 2 * f00 + f(x, y - h2)) / (h2 * h2)
    let hxy = (f(x + h1, y + h2) - f(x + h1, y - h2) - f(x - h1, y + h2) + f(x - h1, y - h2)) / (4 * h1 * h2)
    return (hxx, hxy, hyy)
  }

  /// Newton's method for the maximum of a smooth function of two variables with
  /// central-difference gradient and Hessian and step halving; nil when the Hessian is not
  /// negative definite along the way or 100 steps do not reach a step below 10⁻¹⁰.
  static func newtonMaximum(start: (Double, Double), _ f: (Double, Double) -> Double) -> (Double, Double)? {
    var (x, y) = start
    var fx = f(x, y)
    for _ in 0..<100 {
      let h1 = 1e-4 * max(1, abs(x)), h2 = 1e-4 * max(1, abs(y))
      let gx = (f(x + h1, y) - f(x - h1, y)) / (2 * h1)
      let gy = (f(x, y + h2) - f(x, y - h2)) / (2 * h2)
      let (hxx, hxy, hyy) = hessian(f, x, y, fx)
      let det = hxx * hyy - hxy * hxy
      guard hxx < 0, det > 0 else { return nil }
      var dx = -(hyy * gx - hxy * gy) / det, dy = -(hxx * gy - hxy * gx) / det
      let scale = max(1, abs(dx) / 2, abs(dy) / 2)
      dx /= scale; dy /= scale
      var fn = f(x + dx, y + dy)
      var halvings = 0
      while !(fn >= fx - 1e-12 * abs(fx)), halvings < 30 {
        dx *= 0.5; dy *= 0.5; halvings += 1
        fn = f(x + dx, y + dy)
      }
      guard halvings < 30 else { return nil }
      x += dx; y += dy; fx = fn
      if abs(dx) < 1e-10 * (1 + abs(x)), abs(dy) < 1e-10 * (1 + abs(y)) { return (x, y) }
    }
    return nil
  }

  /// One trial's two arms.
  struct Trial {
    let a: Double, n1: Double, c: Double, n2: Double

    init(_ s: TwoArmStudy) {
      a = Double(s.eventsTreat); n1 = Double(s.totalTreat)
      c = Double(s.eventsControl); n2 = Double(s.totalControl)
    }

    /// Σ x log(x/n) + (n − x) log(1 − x/n) over both arms (0·log 0 = 0).
    var saturatedLogLikelihood: Double {
      func ll(_ x: Double, _ n: Double) -> Double {
        (x > 0 ? x * Double.log(x / n) : 0) + (x < n ? (n - x) * Double.log((n - x) / n) : 0)
      }
      return ll(a, n1) + ll(c, n2)
    }

    /// logit of the pooled proportion, shifted to the control arm.
    var startingIntercept: Double { Double.log((a + c + 0.5) / (n1 + n2 - a - c + 0.5)) }

    /// x·η − n·log(1 + e^η), its score x − np and information np(1 − p).
    @inline(__always)
    static func arm(_ x: Double, _ n: Double, _ eta: Double) -> (l: Double, score: Double, info: Double) {
      let r = Double.exp(-abs(eta))
      let p = eta >= 0 ? 1 / (1 + r) : r / (1 + r)
      let softplus = max(eta, 0) + Double.log(1 + r)
      return (x * eta - n * softplus, x - n * p, n * p * (1 - p))
    }

    /// h(b) = ℓ(b) − b²/2 with h′ and −h″.
    @inline(__always)
    func h(_ b: Double, alpha: Double, theta: Double, tau: Double) -> (h: Double, d1: Double, c: Double) {
      let half = 0.5 * tau
      let t = Self.arm(a, n1, alpha + theta + half * b)
      let k = Self.arm(c, n2, alpha - half * b)
      return (t.l + k.l - 0.5 * b * b, half * (t.score - k.score) - b, 1 + half * half * (t.info + k.info))
    }

    /// The conditional mode b̂ by Newton's method (h is strictly concave) with step halving.
    func mode(alpha: Double, theta: Double, tau: Double) -> Double {
      var b = 0.0
      var cur = h(b, alpha: alpha, theta: theta, tau: tau)
      for _ in 0..<100 {
        var step = cur.d1 / cur.c
        if abs(step) < 1e-12 * (1 + abs(b)) { return b + step }
        var next = h(b + step, alpha: alpha, theta: theta, tau: tau)
        var halvings = 0
        while !(next.h >= cur.h), halvings < 60 {
          step *= 0.5
          halvings += 1
          next = h(b + step, alpha: alpha, theta: theta, tau: tau)
        }
        b += step
        cur = next
      }
      return b
    }

    /// The adaptive Gauss–Hermite log-likelihood at (α, θ, τ).
    func logLikelihood(alpha: Double, theta: Double, tau: Double, rule: GaussHermiteRule) -> Double {
      if tau == 0 {
        return Self.arm(a, n1, alpha + theta).l + Self.arm(c, n2, alpha).l
      }
      let b = mode(alpha: alpha, theta: theta, tau: tau)
      let s = 1 / h(b, alpha: alpha, theta: theta, tau: tau).c.squareRoot()
      // Σ wⱼ exp(h(b̂ + szⱼ) + zⱼ²/2) relative to the mode's term h(b̂) (the largest up to
      // the weights), in one pass without allocation.
      let h0 = h(b, alpha: alpha, theta: theta, tau: tau).h
      var sum = 0.0
      for j in 0..<rule.count {
        let z = rule.nodes[j]
        sum += rule.weights[j] * Double.exp(h(b + s * z, alpha: alpha, theta: theta, tau: tau).h + 0.5 * z * z - h0)
      }
      return Double.log(s) + h0 + Double.log(sum)
    }

    /// max over α of the log-likelihood: Newton's method with central differences (step 10⁻⁴),
    /// falling back to golden-section search on [α₀ − 30, α₀ + 30] when it does not settle.
    func maximiseIntercept(theta: Double, tau: Double, from start: Double, rule: GaussHermiteRule) -> (Double, Double) {
      let f = { (x: Double) in self.logLikelihood(alpha: x, theta: theta, tau: tau, rule: rule) }
      var x = start.isFinite ? start : startingIntercept
      var fx = f(x)
      let h = 1e-4
      for _ in 0..<50 {
        let fp = f(x + h), fm = f(x - h)
        let g = (fp - fm) / (2 * h), hh = (fp - 2 * fx + fm) / (h * h)
        guard hh < 0 else { break }
        var step = max(-5, min(5, -g / hh))
        var fn = f(x + step)
        var halvings = 0
        while !(fn >= fx), halvings < 40 {
          step *= 0.5
          halvings += 1
          fn = f(x + step)
        }
        if !(fn >= fx) { return (x, fx) }
        x += step
        fx = fn
        if abs(step) < 1e-9 { return (x, fx) }
      }
      let centre = x
      let best = goldenSectionMaximum(centre - 30, centre + 30, f)
      let fb = f(best)
      return fb > fx ? (best, fb) : (x, fx)
    }

    /// The binomial deviance residuals of both arms at the conditional mode.
    func conditionalDeviance(alpha: Double, theta: Double, tau: Double) -> Double {
      let b = tau > 0 ? mode(alpha: alpha, theta: theta, tau: tau) : 0
      let etaT = alpha + theta + 0.5 * tau * b, etaC = alpha - 0.5 * tau * b
      func dev(_ x: Double, _ n: Double, _ eta: Double) -> Double {
        let r = Double.exp(-abs(eta))
        let p = eta >= 0 ? 1 / (1 + r) : r / (1 + r)
        let q = eta >= 0 ? r / (1 + r) : 1 / (1 + r)
        return binomialDevianceResidual(x: x, n: n, p: p, q: q)
      }
      return dev(a, n1, etaT) + dev(c, n2, etaC)
    }
  }
}
