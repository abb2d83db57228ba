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
/// - **Nested adaptive Gauss–Hermite** (``evaluate(mu:s1:s2:derivatives:)``): the outer
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
  private let zOuter: [Double]
  private let logWeightsOuter: [Double]
  private let zInner: [Double]
  private let logWeightsInner: [Double]
  /// Per cohort: the conditional mode η̂ at the trial's joint mode, and its cᵢⱼ.
  private var jointEta: [Double]
  private var jointC: [Double]
  /// Per trial: the outer mode û from the last evaluation (start of the next).
  private var outerMode: [Double]
  /// Per outer node: G_q and the sums S_a, S_s, S_aa, S_as, S_ss of the inner derivatives.
  private var nodeScratch: [Double]
  /// Per inner node: h_r, ℓ′, ℓ″ and w_r.
  private var innerScratch: [Double]

  /// Mode iterations, for diagnostics.
  private(set) var modeIterations = 0

  /// - Parameters:
  ///   - events, totals: counts in cluster order (the rows of trial i are
  ///     `offsets[i]..<offsets[i + 1]`).
  ///   - offsets: trial boundaries (trials + 1 entries).
  ///   - outer, inner: the quadrature rules of the two levels (ignored by ``laplace``).
  init(events: [Int], totals: [Int], offsets: [Int], outer: GaussHermiteRule, inner: GaussHermiteRule) {
    k = events.count
    trials = offsets.count - 1
    x = events.map(Double.init)
    n = totals.map(Double.init)
    self.offsets = offsets
    var constant = 0.0
    for i in 0..<k { constant += logChoose(totals[i], events[i]) }
    logBinomialCoefficients = constant
    zOuter = outer.nodes
    logWeightsOuter = zip(outer.nodes, outer.weights).map { Double.log($1) + 0.5 * $0 * $0 }
    zInner = inner.nodes
    logWeightsInner = zip(inner.nodes, inner.weights).map { Double.log($1) + 0.5 * $0 * $0 }
    jointEta = .init(repeating: .nan, count: k)
    jointC = .init(repeating: 1, count: k)
    outerMode = .init(repeating: 0, count: trials)
    nodeScratch = .init(repeating: 0, count: 6 * outer.count)
    innerScratch = .init(repeating: 0, count: 4 * inner.count)
  }

  /// The joint mode of trial i: ûᵢ and the cohort modes (stored in `jointEta`, `jointC`).
  /// Returns ûᵢ, the profiled log-integrand G(ûᵢ) (without binomial coefficients) and
  /// Σⱼ Wᵢⱼ/cᵢⱼ.
  ///
  /// G(u) = Σⱼ[ℓᵢⱼ(η̂ⱼ(u)) − v̂ⱼ²/2] − u²/2 is concave with G′ = σ₁Σⱼℓ′ᵢⱼ − u and
  /// G″ = −1 − σ₁²ΣⱼWᵢⱼ/cᵢⱼ ≤ −1 (dη̂ⱼ/da = 1/cᵢⱼ): Newton's method with step halving
  /// whenever G would decrease.
  private func jointMode(_ i: Int, mu: Double, s1: Double, s2: Double) -> (u: Double, g: Double, sumWC: Double) {
    let t2 = s2 * s2
    let lo = offsets[i], hi = offsets[i + 1]
    var u = s1 == 0 ? 0 : outerMode[i]
    var previousA = Double.nan
    func profile(_ u: Double) -> (g: Double, score: Double, sumWC: Double) {
      let a = mu + s1 * u
      let shift = previousA.isFinite ? a - previousA : 0
      var g = -0.5 * u * u, score = 0.0, sumWC = 0.0
      for j in lo..<hi {
        var predicted = jointEta[j]
        if predicted.isFinite { predicted += shift / jointC[j] }
        let m = conditionalMode(x: x[j], n: n[j], mu: a, tau2: t2, predicted: predicted, iterations: &modeIterations)
        let l1 = binomialScore(x: x[j], n: n[j], p: m.p, q: m.q)
        let w = n[j] * m.p * m.q
        let c = 1 + t2 * w
        let v = s2 * l1
        g += x[j] * m.eta - n[j] * softplus(m.eta) - 0.5 * v * v
        score += l1
        sumWC += w / c
        jointEta[j] = m.eta
        jointC[j] = c
      }
      previousA = a
      return (g, score, sumWC)
    }
    var current = profile(u)
    if s1 == 0 { return (0, current.g, current.sumWC) }
    for _ in 0..<100 {
      let gradient = s1 * current.score - u
      let curvature = 1 + s1 * s1 * current.sumWC
      var step = gradient / curvature
      var next = profile(u + step)
      var halvings = 0
      while !(next.g >= current.g - 1e-12 * (1 + abs(current.g))), halvings < 50 {
        step *= 0.5
        halvings += 1
        next = profile(u + step)
      }
      u += step
      current = next
      if abs(step) <= 1e-10 * (1 + abs(u)) { break }
    }
    outerMode[i] = u
    return (u, current.g, current.sumWC)
  }

  /// The Laplace approximation of ℓ(μ, σ₁, σ₂) (lme4 `glmer(nAGQ = 1)`); ℓ is even in σ₁, σ₂.
  func laplace(mu: Double, s1 s1In: Double, s2 s2In: Double) -> Double {
    let s1 = abs(s1In), s2 = abs(s2In)
    var total = logBinomialCoefficients
    for i in 0..<trials {
      let m = jointMode(i, mu: mu, s1: s1, s2: s2)
      var logDet = Double.log(1 + s1 * s1 * m.sumWC)
      for j in offsets[i]..<offsets[i + 1] { logDet += Double.log(jointC[j]) }
      total += m.g - 0.5 * logDet
    }
    return total
  }

  /// The nested adaptive Gauss–Hermite approximation of ℓ(μ, σ₁, σ₂) (ℓ is even in σ₁, σ₂;
  /// the derivatives are those at |σ₁|, |σ₂|).
  func evaluate(mu: Double, s1 s1In: Double, s2 s2In: Double, derivatives: Bool = true) -> NestedEvaluation {
    let s1 = abs(s1In), s2 = abs(s2In)
    let t2 = s2 * s2
    var total = NestedEvaluation(value: logBinomialCoefficients)
    let qOuter = zOuter.count, qInner = zInner.count
    for i in 0..<trials {
      let lo = offsets[i], hi = offsets[i + 1]
      let joint = jointMode(i, mu: mu, s1: s1, s2: s2)
      let scale = 1 / (1 + s1 * s1 * joint.sumWC).squareRoot()
      let aHat = mu + s1 * joint.u
      var gMax = -Double.infinity
      for q in 0..<qOuter {
        let u = joint.u + scale * zOuter[q]
        let a = mu + s1 * u
        var g = -0.5 * u * u + logWeightsOuter[q]
        var sA = 0.0, sS = 0.0, sAA = 0.0, sAS = 0.0, sSS = 0.0
        for j in lo..<hi {
          let xj = x[j], nj = n[j]
          let m = conditionalMode(
            x: xj, n: nj, mu: a, tau2: t2, predicted: jointEta[j] + (a - aHat) / jointC[j],
            iterations: &modeIterations)
          let w = nj * m.p * m.q
          let vHat = s2 * binomialScore(x: xj, n: nj, p: m.p, q: m.q)
          let sj = 1 / (1 + t2 * w).squareRoot()
          var hMax = -Double.infinity
          for r in 0..<qInner {
            let v = vHat + sj * zInner[r]
            let e = a + s2 * v
            let l = logisticSoftplus(e, r: Double.exp(-abs(e)))
            let h = xj * e - nj * l.softplus - 0.5 * v * v + logWeightsInner[r]
            innerScratch[4 * r] = h
            innerScratch[4 * r + 1] = binomialScore(x: xj, n: nj, p: l.p, q: l.q)
            innerScratch[4 * r + 2] = -nj * l.p * l.q
            innerScratch[4 * r + 3] = v
            hMax = max(hMax, h)
          }
          var sum = 0.0
          for r in 0..<qInner {
            let e = Double.exp(innerScratch[4 * r] - hMax)
            innerScratch[4 * r] = e
            sum += e
          }
          g += hMax + Double.log(sum) + Double.log(sj)
          if derivatives {
            let inv = 1 / sum
            var fA = 0.0, fS = 0.0, mAA = 0.0, mAS = 0.0, mSS = 0.0
            for r in 0..<qInner {
              let pr = innerScratch[4 * r] * inv
              let d1 = innerScratch[4 * r + 1], d2 = innerScratch[4 * r + 2], v = innerScratch[4 * r + 3]
              let second = pr * (d2 + d1 * d1)
              fA += pr * d1
              fS += pr * d1 * v
              mAA += second
              mAS += second * v
              mSS += second * v * v
            }
            sA += fA
            sS += fS
            sAA += mAA - fA * fA
            sAS += mAS - fA * fS
            sSS += mSS - fS * fS
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
      var sum = 0.0
      for q in 0..<qOuter {
        let e = Double.exp(nodeScratch[6 * q] - gMax)
        nodeScratch[6 * q] = e
        sum += e
      }
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
          let u = joint.u + scale * zOuter[q]
          let sA = nodeScratch[base + 1], sS = nodeScratch[base + 2]
          let sAA = nodeScratch[base + 3], sAS = nodeScratch[base + 4], sSS = nodeScratch[base + 5]
          let gq = SIMD3(sA, u * sA, sS)
          mean += pq * gq
          h0 += pq * (SIMD3(sAA, u * sAA, sAS) + gq[0] * gq)
          h1 += pq * (SIMD3(u * sAA, u * u * sAA, u * sAS) + gq[1] * gq)
          h2 += pq * (SIMD3(sAS, u * sAS, sSS) + gq[2] * gq)
        }
        total.gradient += mean
        total.hessian.0 += h0 - mean[0] * mean
        total.hessian.1 += h1 - mean[1] * mean
        total.hessian.2 += h2 - mean[2] * mean
      }
    }
    return total
  }
}

/// log(1 + e^η) without overflow or cancellation.
@inline(__always)
func softplus(_ eta: Double) -> Double {
  max(eta, 0) + Double.log(1 + Double.exp(-abs(eta)))
}
