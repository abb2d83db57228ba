// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// The log-likelihood of the three-level binomial-normal model at one θ = (μ, σ₁, σ₂), with
/// its gradient and Hessian in θ.
struct NestedEvaluation: Sendable {
  /// ℓ(θ), binomial coefficients included.
  var value: Double
  /// ∇ℓ in (μ, σ₁, σ₂).
  var gradient = SIMD3<Double>(repeating: 0)
  /// Rows of the Hessian ∇²ℓ.
  var hessian = (SIMD3<Double>(repeating: 0), SIMD3<Double>(repeating: 0), SIMD3<Double>(repeating: 0))
}

/// The marginal log-likelihood of the three-level binomial-normal model (cohorts j nested in
/// trials i):
/// ```
/// xᵢⱼ ~ Bin(nᵢⱼ, expit(μ + σ₁uᵢ + σ₂vᵢⱼ)),   uᵢ, vᵢⱼ ~ N(0, 1) independent,
/// ℓ(μ, σ₁, σ₂) = Σᵢ log ∫ φ(u) Πⱼ [∫ C(nᵢⱼ, xᵢⱼ) e^{ℓᵢⱼ(μ + σ₁u + σ₂v)} φ(v) dv] du,
/// ℓᵢⱼ(η) = xᵢⱼη − nᵢⱼ log(1 + e^η),
/// ```
/// which factorises over trials; each trial's integral nests one inner integral per cohort.
///
/// Two approximations, both O(k) per evaluation:
///
/// - **Laplace** (``laplace(mu:s1:s2:)``, lme4 `glmer(nAGQ = 1)`): the joint Laplace
///   approximation over (uᵢ, vᵢ₁, …) at their joint mode. With aᵢ = μ + σ₁ûᵢ, the cohort modes
///   solve η̂ᵢⱼ = aᵢ + σ₂²ℓ′ᵢⱼ(η̂ᵢⱼ) (v̂ᵢⱼ = σ₂ℓ′ᵢⱼ), ûᵢ = σ₁Σⱼℓ′ᵢⱼ(η̂ᵢⱼ), and the
///   Hessian of the negative log-integrand is an arrowhead matrix with determinant
///   Πⱼcᵢⱼ · (1 + σ₁²Σⱼ Wᵢⱼ/cᵢⱼ), Wᵢⱼ = nᵢⱼp̂(1 − p̂), cᵢⱼ = 1 + σ₂²Wᵢⱼ:
///   ```
///   log Lᵢ ≈ Σⱼ[log C + ℓᵢⱼ(η̂ᵢⱼ) − v̂ᵢⱼ²/2 − ½ log cᵢⱼ] − ûᵢ²/2 − ½ log(1 + σ₁²Σⱼ Wᵢⱼ/cᵢⱼ).
///   ```
/// - **Nested adaptive Gauss–Hermite** (``evaluate(mu:s1:s2:rule:derivatives:)``): the outer
///   integral over uᵢ on Q nodes ûᵢ + sᵢz_q centred at the joint mode and scaled by
///   sᵢ = (1 + σ₁²ΣⱼWᵢⱼ/cᵢⱼ)^(−1/2); at every outer node each cohort's inner integral by the
///   one-level adaptive rule (``AdaptiveGaussHermiteLikelihood``) on Q nodes centred at its own
///   conditional mode given aᵢ_q = μ + σ₁u_q. Both rules are the standard-normal rules of
///   ``GaussHermiteRule``.
///
/// Derivatives of the quadrature sum are taken with the nodes held fixed (the centres and
/// scales are treated as constants): where the rule integrates the integrand exactly, the
/// integral does not depend on them, so these are the derivatives of the integral itself to the
/// accuracy of the quadrature (checked against central differences in the tests). Each level's
/// Hessian is E_π[∇²G] + Cov_π(∇G), π the normalised node contributions.
///
/// One instance holds all scratch space of a fit: evaluating allocates nothing.
/// Not thread-safe; used within one fit only.
final class NestedGaussHermiteLikelihood {
  /// Number of cohorts and of trials.
  let k: Int
  let trials: Int
  /// Σ log C(nᵢⱼ, xᵢⱼ).
  let logBinomialCoefficients: Double

  private let x: [Double]
  private let n: [Double]
  private let offsets: [Int]
  // Scratch space: buffers owned by this instance, allocated once and freed in `deinit`.
  // Writing through a `let` pointer needs no dynamic exclusivity check, which array
  // properties of a class pay (a runtime call) on every access in the inner loops.
  //
  // Per cohort at the trial's joint mode: the conditional mode η̂, its cᵢⱼ, e^(−|η̂|), ℓ′(η̂)
  // and log(1 + e^η̂) (e^(−|η̂|) and the softplus reused by the Laplace derivatives). Per
  // trial: the outer mode û from the last evaluation (start of the next). Per outer node: G_q
  // and the sums S_a, S_s, S_aa, S_as, S_ss of the inner derivatives. Per inner node: the
  // mirrored pair's factors e^(∓c z).
  private let jointEta, jointC, jointR, jointScore, jointSoftplus: UnsafeMutableBufferPointer<Double>
  private let outerMode, nodeScratch, innerScratch: UnsafeMutableBufferPointer<Double>

  /// Mode iterations, for diagnostics.
  private(set) var modeIterations = 0

  /// One instance serves a whole fit: the Laplace approximation and the nested quadrature with
  /// any number of points (the rule is an argument of ``evaluate(mu:s1:s2:rule:derivatives:)``),
  /// so the data, the binomial coefficients and the scratch space are set up once, and each
  /// evaluation's joint modes start from the previous evaluation's, whatever its rule.
  ///
  /// - Parameters:
  ///   - events, totals: counts in cluster order (the rows of trial i are
  ///     `offsets[i]..<offsets[i + 1]`).
  ///   - offsets: trial boundaries (trials + 1 entries).
  init(events: [Int], totals: [Int], offsets: [Int]) {
    k = events.count
    trials = offsets.count - 1
    x = events.map(Double.init)
    n = totals.map(Double.init)
    self.offsets = offsets
    var constant = 0.0
    for i in 0..<k { constant += logChoose(totals[i], events[i]) }
    logBinomialCoefficients = constant
    jointEta = .allocate(capacity: k)
    jointEta.initialize(repeating: .nan)
    jointC = .allocate(capacity: k)
    jointC.initialize(repeating: 1)
    jointR = .allocate(capacity: k)
    jointR.initialize(repeating: 1)
    jointScore = .allocate(capacity: k)
    jointScore.initialize(repeating: 0)
    jointSoftplus = .allocate(capacity: k)
    jointSoftplus.initialize(repeating: 0)
    outerMode = .allocate(capacity: trials)
    outerMode.initialize(repeating: 0)
    nodeScratch = .allocate(capacity: 6 * GaussHermiteRule.maximumPoints)
    nodeScratch.initialize(repeating: 0)
    innerScratch = .allocate(capacity: 2 * GaussHermiteRule.maximumPoints)
    innerScratch.initialize(repeating: 0)
  }

  deinit {
    for buffer in [jointEta, jointC, jointR, jointScore, jointSoftplus, outerMode, nodeScratch, innerScratch] { buffer.deallocate() }
  }

  /// A Gauss–Hermite rule as the nested quadrature uses it: the standard-normal nodes z and
  /// log w + z²/2 (the node's weight against the normal density it replaces). Prepared once
  /// per rule and fit.
  struct Rule {
    let z: [Double]
    let logWeights: [Double]
    var count: Int { z.count }

    init(_ rule: GaussHermiteRule) {
      z = rule.nodes
      logWeights = zip(rule.nodes, rule.weights).map { Double.log($1) + 0.5 * $0 * $0 }
    }
  }

  /// The joint mode of trial i: ûᵢ and the cohort modes (stored in `jointEta`, `jointC`,
  /// `jointR`, `jointScore`). Returns ûᵢ, Σⱼ Wᵢⱼ/cᵢⱼ and, with `value`, the profiled
  /// log-integrand G(ûᵢ) (without binomial coefficients; softplus(η̂ᵢⱼ) then stored in
  /// `jointSoftplus`), else 0 for G.
  ///
  /// G(u) = Σⱼ[ℓᵢⱼ(η̂ⱼ(u)) − v̂ⱼ²/2] − u²/2 is concave with G′ = σ₁Σⱼℓ′ᵢⱼ − u decreasing and
  /// G″ = −1 − σ₁²ΣⱼWᵢⱼ/cᵢⱼ ≤ −1 (dη̂ⱼ/da = 1/cᵢⱼ): Newton's method on G′, safeguarded by the
  /// bracket of û that the signs of G′ give (a step leaving it bisects it). The iteration needs
  /// no value of G, so the logarithms (one per cohort) are taken once, at the mode, and only
  /// when the caller needs G or softplus(η̂) (the nested quadrature needs neither).
  private func jointMode(
    _ i: Int, mu: Double, s1: Double, s2: Double, value: Bool, iterations: inout Int
  ) -> (u: Double, g: Double, sumWC: Double) {
    let t2 = s2 * s2
    let lo = offsets[i], hi = offsets[i + 1]
    if hi - lo == 1, s1 != 0 {
      // One cohort: uᵢ and vᵢ enter only through σ₁uᵢ + σ₂vᵢ, and the joint mode is the
      // cohort's conditional mode with τ² = σ₁² + σ₂² (η̂ = μ + (σ₁² + σ₂²)ℓ′(η̂), û = σ₁ℓ′,
      // v̂ = σ₂ℓ′): one root instead of a Newton iteration on û with a mode per step.
      let m = conditionalMode(
        x: x[lo], n: n[lo], mu: mu, tau2: s1 * s1 + t2, predicted: jointEta[lo], iterations: &iterations)
      let stored = storeMode(lo, m, t2: t2)
      let u = s1 * stored.score
      outerMode[i] = u
      guard value else { return (u, 0, stored.weightOverC) }
      let sp = max(m.eta, 0) + Double.log(1 + jointR[lo])
      let v = s2 * stored.score
      jointSoftplus[lo] = sp
      return (u, x[lo] * m.eta - n[lo] * sp - 0.5 * (u * u + v * v), stored.weightOverC)
    }
    var u = s1 == 0 ? 0 : outerMode[i]
    var previousA = Double.nan
    // The cohort modes at a = μ + σ₁u (stored), the trial's score Σⱼℓ′ᵢⱼ and Σⱼ Wᵢⱼ/cᵢⱼ.
    func profile(_ u: Double) -> (score: Double, sumWC: Double) {
      let a = mu + s1 * u
      var score = 0.0, sumWC = 0.0
      if t2 == 0 {
        // σ₂ = 0: every cohort's mode is a itself (v̂ = 0, c = 1), and the cohorts of the trial
        // share p̂ and e^(−|η̂|): one exponential per trial.
        let r = Double.exp(-abs(a))
        let d = 1 / (1 + r)
        let p = a >= 0 ? d : r * d, q = a >= 0 ? r * d : d
        for j in lo..<hi {
          let l1 = binomialScore(x: x[j], n: n[j], p: p, q: q)
          score += l1
          sumWC += n[j] * p * q
          jointEta[j] = a
          jointC[j] = 1
          jointR[j] = r
          jointScore[j] = l1
        }
        previousA = a
        return (score, sumWC)
      }
      let shift = previousA.isFinite ? a - previousA : 0
      for j in lo..<hi {
        var predicted = jointEta[j]
        if predicted.isFinite { predicted += shift / jointC[j] }
        let m = conditionalMode(x: x[j], n: n[j], mu: a, tau2: t2, predicted: predicted, iterations: &iterations)
        let stored = storeMode(j, m, t2: t2)
        score += stored.score
        sumWC += stored.weightOverC
      }
      previousA = a
      return (score, sumWC)
    }
    var current = profile(u)
    if s1 != 0 {
      // û lies in (below, above): G′ > 0 below it and < 0 above it.
      var below = -Double.infinity, above = Double.infinity
      for _ in 0..<200 {
        let gradient = s1 * current.score - u
        if gradient > 0 { below = u } else { above = u }
        let step = gradient / (1 + s1 * s1 * current.sumWC)
        // Converged when the next Newton step is below 10⁻¹⁰: û is returned where the cohort
        // modes, c and e^(−|η̂|) were computed, without a profile for that step (G is
        // stationary there, so ℓ changes by O(step²); the Laplace derivatives re-solve û from
        // these expansions, and the quadrature's centre moves by less than 10⁻¹⁰).
        if abs(step) <= 1e-10 * (1 + abs(u)) || below >= above { break }
        var next = u + step
        if !(next > below && next < above) { next = 0.5 * (below + above) }
        if next == u { break }
        u = next
        current = profile(u)
      }
      outerMode[i] = u
    }
    guard value else { return (u, 0, current.sumWC) }
    var g = -0.5 * u * u
    let sharedSoftplus = t2 == 0 ? max(jointEta[lo], 0) + Double.log(1 + jointR[lo]) : 0
    for j in lo..<hi {
      let sp = t2 == 0 ? sharedSoftplus : max(jointEta[j], 0) + Double.log(1 + jointR[j])  // softplus(η̂)
      let v = s2 * jointScore[j]
      g += x[j] * jointEta[j] - n[j] * sp - 0.5 * v * v
      jointSoftplus[j] = sp
    }
    return (u, g, current.sumWC)
  }

  /// Stores cohort j's conditional mode `m` at its trial's joint mode (η̂, cⱼ = 1 + σ₂²Wⱼ,
  /// e^(−|η̂|) and ℓ′(η̂)) and returns ℓ′ and Wⱼ/cⱼ.
  ///
  /// e^(−|η̂|) comes from the mode's p̂ and q̂ (a division instead of an exponential). p̂ and q̂
  /// are updated to first order in the mode's last Newton step (|d| ≤ 1e-6), so it carries a
  /// relative error of at most about d²/2 ≈ 5e-13 and G an absolute one of about n·5e-13 per
  /// cohort: far below the Laplace search's stopping tolerance.
  @inline(__always)
  private func storeMode(
    _ j: Int, _ m: (eta: Double, p: Double, q: Double), t2: Double
  ) -> (score: Double, weightOverC: Double) {
    let l1 = binomialScore(x: x[j], n: n[j], p: m.p, q: m.q)
    let w = n[j] * m.p * m.q
    let c = 1 + t2 * w
    jointEta[j] = m.eta
    jointC[j] = c
    jointR[j] = m.eta >= 0 ? m.q / m.p : m.p / m.q
    jointScore[j] = l1
    return (l1, w / c)
  }

  /// The Laplace approximation of ℓ(μ, σ₁, σ₂) (lme4 `glmer(nAGQ = 1)`); ℓ is even in σ₁, σ₂.
  func laplace(mu: Double, s1 s1In: Double, s2 s2In: Double) -> Double {
    let s1 = abs(s1In), s2 = abs(s2In)
    var total = logBinomialCoefficients
    var iterations = 0
    for i in 0..<trials {
      let m = jointMode(i, mu: mu, s1: s1, s2: s2, value: true, iterations: &iterations)
      var logDet = Double.log(1 + s1 * s1 * m.sumWC)
      for j in offsets[i]..<offsets[i + 1] { logDet += Double.log(jointC[j]) }
      total += m.g - 0.5 * logDet
    }
    modeIterations += iterations
    return total
  }

  /// The Laplace approximation with its exact gradient and Hessian in (μ, σ₁, σ₂).
  ///
  /// Per cohort, the conditional mode η̂(a, τ) (a = μ + σ₁u the trial's linear predictor,
  /// τ = σ₂²) solves η̂ = a + τℓ′(η̂), so that η̂_a = 1/c, η̂_τ = ℓ′/c, η̂_aa = −τw′/c³,
  /// η̂_aτ = −(w + τw′η̂_τ)/c², η̂_ττ = −(2wη̂_τ + τw′η̂_τ²)/c (c = 1 + τw, w = np(1 − p),
  /// w′ = w(1 − 2p), w″ = w((1 − 2p)² − 2p(1 − p))). From these, closed-form second-order
  /// expansions in (a, τ) of three per-trial sums: Q = Σⱼ[pⱼ − ½ log cⱼ] (the cohort-level
  /// Laplace terms; pⱼ = ℓ(η̂) − τℓ′²/2 has p_a = ℓ′, p_τ = ℓ′²/2 by the envelope theorem,
  /// p_aa = −w/c, p_aτ = −wℓ′/c, p_ττ = −wℓ′²/c), S = Σⱼℓ′(η̂) (the trial score; S_a = −B)
  /// and B = Σⱼw/c. The trial's Laplace term
  /// Q(a, τ) − û²/2 − ½ log(1 + σ₁²B), with û the root of σ₁S(μ + σ₁u, τ) = u, is then
  /// differentiated to second order in (μ, σ₁, σ₂) through the implicit mode in closed form
  /// (``TrialLaplaceDerivatives``). O(k), no finite differences.
  func laplaceEvaluation(mu: Double, s1 s1In: Double, s2 s2In: Double, derivatives: Bool = true) -> NestedEvaluation {
    let s1 = abs(s1In), s2 = abs(s2In)
    guard derivatives else { return NestedEvaluation(value: laplace(mu: mu, s1: s1, s2: s2)) }
    let tau = s2 * s2
    var sums = TrialLaplaceDerivatives(constant: logBinomialCoefficients)
    var iterations = 0
    defer { modeIterations += iterations }
    for i in 0..<trials {
      let mode = jointMode(i, mu: mu, s1: s1, s2: s2, value: true, iterations: &iterations)
      let e = trialExpansions(i, tau: tau)
      sums.add(q: e.q, s: e.s, b: e.b, u: mode.u, s1: s1)
    }
    var e = sums.evaluation(s1: s1, s2: s2)
    // ℓ is even in σ₁ and σ₂: the derivatives at negative σ are those at |σ| reflected.
    let flip = SIMD3<Double>(1, s1In < 0 ? -1 : 1, s2In < 0 ? -1 : 1)
    if flip != .one {
      e.gradient *= flip
      e.hessian = (flip[0] * flip * e.hessian.0, flip[1] * flip * e.hessian.1, flip[2] * flip * e.hessian.2)
    }
    return e
  }

  /// Trial i's second-order expansions in (a, τ) at its joint mode (which `jointMode` has just
  /// stored): Q = Σⱼ[pⱼ − ½ log cⱼ], S = Σⱼℓ′(η̂ⱼ) and B = Σⱼwⱼ/cⱼ.
  @inline(__always)
  private func trialExpansions(_ i: Int, tau: Double) -> (q: LocalQuadratic, s: LocalQuadratic, b: LocalQuadratic) {
    var q = LocalQuadratic(), sc = LocalQuadratic(), b = LocalQuadratic()
    for j in offsets[i]..<offsets[i + 1] {
      let eta = jointEta[j], xj = x[j], nj = n[j]
      // p̂, q̂ and softplus(η̂) as logisticSoftplus(η̂, r: e^(−|η̂|)), from the mode's own e^(−|η̂|).
      let pq = logisticProbabilities(eta, r: jointR[j])
      let l = (p: pq.p, q: pq.q, softplus: jointSoftplus[j])
      let l1 = binomialScore(x: xj, n: nj, p: l.p, q: l.q)
      let w = nj * l.p * l.q
      let r = l.p < 0.5 ? 1 - 2 * l.p : 2 * l.q - 1
      let w1 = w * r, w2 = w * (r * r - 2 * l.p * l.q)
      let ic = 1 / (1 + tau * w)
      let ea = ic, et = l1 * ic
      let eaa = -tau * w1 * ic * ic * ic
      let eat = -(w + tau * w1 * et) * ic * ic
      let ett = -(2 * w * et + tau * w1 * et * et) * ic
      let logC = LocalQuadratic.total(
        value: tau == 0 ? 0 : Double.log(1 + tau * w), fe: tau * w1 * ic, fee: tau * w2 * ic - (tau * w1 * ic) * (tau * w1 * ic),
        ft: w * ic, fet: w1 * ic * ic, ftt: -(w * ic) * (w * ic), ea: ea, et: et, eaa: eaa, eat: eat, ett: ett)
      let bj = LocalQuadratic.total(
        value: w * ic, fe: w1 * ic * ic, fee: w2 * ic * ic - 2 * tau * w1 * w1 * ic * ic * ic,
        ft: -w * w * ic * ic, fet: -2 * w * w1 * ic * ic * ic, ftt: 2 * w * w * w * ic * ic * ic,
        ea: ea, et: et, eaa: eaa, eat: eat, ett: ett)
      // p(a, τ) = max_v[ℓ(a + σ₂v) − v²/2]: p_a = ℓ′, p_τ = ℓ′²/2 (envelope), p_aa = −w/c,
      // p_aτ = −wℓ′/c, p_ττ = −wℓ′²/c.
      let p = LocalQuadratic(
        value: xj * eta - nj * l.softplus - 0.5 * tau * l1 * l1, a: l1, t: 0.5 * l1 * l1,
        aa: -w * ic, at: -w * l1 * ic, tt: -w * l1 * l1 * ic)
      q.add(p, -0.5, logC)
      sc.add(LocalQuadratic(
        value: l1, a: -bj.value, t: -w * l1 * ic, aa: -bj.a, at: -bj.t, tt: -bj.t * l1 + bj.value * w * et))
      b.add(bj, 1, LocalQuadratic())
    }
    return (q, sc, b)
  }

  /// The nested adaptive Gauss–Hermite approximation of ℓ(μ, σ₁, σ₂) (ℓ is even in σ₁, σ₂;
  /// the derivatives are those at |σ₁|, |σ₂|).
  func evaluate(mu: Double, s1 s1In: Double, s2 s2In: Double, rule: Rule, derivatives: Bool = true) -> NestedEvaluation {
    let s1 = abs(s1In), s2 = abs(s2In)
    let t2 = s2 * s2
    let zOuter = rule.z, logWeightsOuter = rule.logWeights, zInner = rule.z, logWeightsInner = rule.logWeights
    var total = NestedEvaluation(value: logBinomialCoefficients)
    // At σ₁ = 0 (σ₂ = 0) the outer (inner) integrand no longer depends on its variable: one
    // node at 0 with weight 1 is exact, with the curvature in σ of the full rule restored
    // below (Σ w_q z_q² = 1): ∂²/∂σ₁² = S_aa + S_a², ∂²/∂σ₂² = ℓ″ + ℓ′² per cohort.
    let qOuter = s1 == 0 ? 1 : zOuter.count, qInner = zInner.count
    var iterations = 0
    defer { modeIterations += iterations }
    for i in 0..<trials {
      let lo = offsets[i], hi = offsets[i + 1]
      let joint = jointMode(i, mu: mu, s1: s1, s2: s2, value: false, iterations: &iterations)
      let scale = 1 / (1 + s1 * s1 * joint.sumWC).squareRoot()
      let aHat = mu + s1 * joint.u
      var gMax = -Double.infinity
      for q in 0..<qOuter {
        let u = s1 == 0 ? 0 : joint.u + scale * zOuter[q]
        let a = mu + s1 * u
        var g = s1 == 0 ? 0 : -0.5 * u * u + logWeightsOuter[q]
        var sA = 0.0, sS = 0.0, sAA = 0.0, sAS = 0.0, sSS = 0.0
        if s2 == 0 {
          // σ₂ = 0: each inner integral is its integrand at v = 0 (one node), ℓᵢⱼ(a), and the
          // cohorts of the trial share p, q and softplus(a): one exponential and one logarithm
          // per trial and outer node instead of a conditional mode and a node per cohort. Per
          // cohort ℓ′ and ℓ″ = −npq; the curvature in σ₂ is ℓ″ + ℓ′² (Σ w_r z_r² = 1).
          let l = logisticSoftplus(a, r: Double.exp(-abs(a)))
          for j in lo..<hi {
            let xj = x[j], nj = n[j]
            g += xj * a - nj * l.softplus
            if derivatives {
              let d1 = binomialScore(x: xj, n: nj, p: l.p, q: l.q), d2 = -nj * l.p * l.q
              sA += d1
              sAA += d2
              sSS += d2 + d1 * d1
            }
          }
        } else {
          for j in lo..<hi {
            let xj = x[j], nj = n[j]
            // At σ₁ = 0 the one outer node is the joint mode's (a = μ): the cohort's conditional
            // mode is the one `jointMode` has just stored.
            let m: (eta: Double, p: Double, q: Double)
            if s1 == 0 {
              let pq = logisticProbabilities(jointEta[j], r: jointR[j])
              m = (jointEta[j], pq.p, pq.q)
            } else {
              m = conditionalMode(
                x: xj, n: nj, mu: a, tau2: t2, predicted: jointEta[j] + (a - aHat) / jointC[j],
                iterations: &iterations)
            }
            let w = nj * m.p * m.q
            let vHat = s2 * binomialScore(x: xj, n: nj, p: m.p, q: m.q)
            let sj = 1 / (1 + t2 * w).squareRoot()
            // e^(∓e_r) = e^(∓e₀)·e^(∓c z_r) with e₀ = a + σ₂v̂ (= η̂) and c = σ₂sⱼ, and the rule
            // is symmetric (z_{Q−1−r} = −z_r): one exponential and one division per pair of
            // nodes (F = e^(−c z_r) and 1/F, the mirror's factors in the other order) and one
            // division per cohort (e^(e₀)), unless e^(±|e|) could overflow.
            let e0 = a + s2 * vHat, c = s2 * sj
            let paired = abs(e0) + c * zInner[qInner - 1] < 600
            let expE0 = paired ? Double.exp(-e0) : 0
            let expPlusE0 = paired ? 1 / expE0 : 0
            // The nodes are weighed against the integrand at the mode, h₀ = ℓ(e₀) − v̂²/2, its
            // maximum over v: e^(hᵣ − h₀) ≤ wᵣe^(zᵣ²/2), which cannot overflow, so each node's
            // weight and its terms of the sums are taken in one pass and nothing is stored.
            let r0 = paired ? (e0 >= 0 ? expE0 : expPlusE0) : Double.exp(-abs(e0))
            let h0 = xj * e0 - nj * (max(e0, 0) + Double.log(1 + r0)) - 0.5 * vHat * vHat
            var sum = 0.0, fA = 0.0, fS = 0.0, mAA = 0.0, mAS = 0.0, mSS = 0.0
            for r in 0..<qInner {
              let v = vHat + sj * zInner[r]
              let e = a + s2 * v
              // e^(−|e|); a pair's factors wait for the mirror in its scratch slots.
              let expAbs: Double
              if !paired {
                expAbs = Double.exp(-abs(e))
              } else if 2 * r + 1 < qInner {
                let factor = Double.exp(-c * zInner[r]), inverse = 1 / factor
                innerScratch[2 * (qInner - 1 - r)] = factor
                innerScratch[2 * (qInner - 1 - r) + 1] = inverse
                expAbs = e >= 0 ? expE0 * factor : expPlusE0 * inverse
              } else if 2 * r + 1 == qInner {
                expAbs = e >= 0 ? expE0 : expPlusE0
              } else {
                expAbs = e >= 0 ? expE0 * innerScratch[2 * r + 1] : expPlusE0 * innerScratch[2 * r]
              }
              let l = logisticSoftplus(e, r: expAbs)
              let weight = Double.exp(xj * e - nj * l.softplus - 0.5 * v * v + logWeightsInner[r] - h0)
              sum += weight
              if derivatives {
                let d1 = binomialScore(x: xj, n: nj, p: l.p, q: l.q), d2 = -nj * l.p * l.q
                let second = weight * (d2 + d1 * d1)
                fA += weight * d1
                fS += weight * d1 * v
                mAA += second
                mAS += second * v
                mSS += second * v * v
              }
            }
            g += h0 + Double.log(sum) + Double.log(sj)
            if derivatives {
              let inv = 1 / sum
              fA *= inv
              fS *= inv
              mAA *= inv
              mAS *= inv
              mSS *= inv
              sA += fA
              sS += fS
              sAA += mAA - fA * fA
              sAS += mAS - fA * fS
              sSS += mSS - fS * fS
            }
          }
        }
        let base = 6 * q
        nodeScratch[base] = g
        nodeScratch[base + 1] = sA
        nodeScratch[base + 2] = sS
        nodeScratch[base + 3] = sAA
        nodeScratch[base + 4] = sAS
        nodeScratch[base + 5] = sSS
        gMax = max(gMax, g)
      }
      let sum = Self.exponentiateShifted(nodeScratch, stride: 6, count: qOuter, maximum: gMax)
      total.value += gMax + Double.log(sum) + Double.log(scale)
      if derivatives {
        // Node gradient (S_a, u S_a, S_s); node Hessian
        // [[S_aa, u S_aa, S_as], [u S_aa, u² S_aa, u S_as], [S_as, u S_as, S_ss]].
        let inv = 1 / sum
        var mean = SIMD3<Double>(repeating: 0)
        var h0 = SIMD3<Double>(repeating: 0), h1 = h0, h2 = h0
        for q in 0..<qOuter {
          let base = 6 * q
          let pq = nodeScratch[base] * inv
          let u = s1 == 0 ? 0 : joint.u + scale * zOuter[q]
          let sA = nodeScratch[base + 1], sS = nodeScratch[base + 2]
          let sAA = nodeScratch[base + 3], sAS = nodeScratch[base + 4], sSS = nodeScratch[base + 5]
          let gq = SIMD3(sA, u * sA, sS)
          mean += pq * gq
          h0 += pq * (SIMD3(sAA, u * sAA, sAS) + gq[0] * gq)
          h1 += pq * (SIMD3(u * sAA, u * u * sAA, u * sAS) + gq[1] * gq)
          h2 += pq * (SIMD3(sAS, u * sAS, sSS) + gq[2] * gq)
        }
        total.gradient += mean
        if s1 == 0 { h1[1] = nodeScratch[3] + nodeScratch[1] * nodeScratch[1] }
        total.hessian.0 += h0 - mean[0] * mean
        total.hessian.1 += h1 - mean[1] * mean
        total.hessian.2 += h2 - mean[2] * mean
      }
    }
    return total
  }

  /// The scaling step of a log-sum-exp over node contributions stored every `stride` entries:
  /// replaces each hᵣ by e^(hᵣ − maximum) (the node's unnormalised weight, used again for the
  /// derivatives) and returns their sum, so that log Σ e^hᵣ = maximum + log(sum).
  @inline(__always)
  private static func exponentiateShifted(
    _ buffer: UnsafeMutableBufferPointer<Double>, stride: Int, count: Int, maximum: Double
  ) -> Double {
    var sum = 0.0
    for r in 0..<count {
      let e = Double.exp(buffer[stride * r] - maximum)
      buffer[stride * r] = e
      sum += e
    }
    return sum
  }
}

/// log(1 + e^η) without overflow or cancellation.
@inline(__always)
func softplus(_ eta: Double) -> Double {
  max(eta, 0) + Double.log(1 + Double.exp(-abs(eta)))
}

/// A function of (a, τ) to second order around a point: value, a, t (first derivatives), aa,
/// at, tt (second); the per-trial sums of the three-level Laplace derivatives.
struct LocalQuadratic {
  var value = 0.0, a = 0.0, t = 0.0, aa = 0.0, at = 0.0, tt = 0.0

  /// Adds `f + scale · g`.
  @inline(__always)
  mutating func add(_ f: LocalQuadratic, _ scale: Double = 0, _ g: LocalQuadratic = LocalQuadratic()) {
    value += f.value + scale * g.value
    a += f.a + scale * g.a
    t += f.t + scale * g.t
    aa += f.aa + scale * g.aa
    at += f.at + scale * g.at
    tt += f.tt + scale * g.tt
  }

  /// f(η̂(a, τ), τ) to second order from its partial derivatives in η (fe, fee) and τ (ft,
  /// fet, ftt) and those of η̂ (ea, et, eaa, eat, ett).
  @inline(__always)
  static func total(
    value: Double, fe: Double, fee: Double, ft: Double, fet: Double, ftt: Double,
    ea: Double, et: Double, eaa: Double, eat: Double, ett: Double
  ) -> LocalQuadratic {
    LocalQuadratic(
      value: value, a: fe * ea, t: fe * et + ft, aa: fee * ea * ea + fe * eaa,
      at: fee * ea * et + fet * ea + fe * eat, tt: fee * et * et + 2 * fet * et + ftt + fe * ett)
  }

  /// The expansion re-centred at a + δ (τ unchanged); its second derivatives are constant.
  @inline(__always)
  func shifted(by delta: Double) -> LocalQuadratic {
    LocalQuadratic(
      value: value + delta * (a + 0.5 * aa * delta), a: a + aa * delta, t: t + at * delta, aa: aa, at: at, tt: tt)
  }
}
