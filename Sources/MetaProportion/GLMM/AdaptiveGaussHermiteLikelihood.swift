// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// The log-likelihood of the binomial-normal model and its first and second derivatives in
/// (μ, τ) at one point.
struct AGQEvaluation: Sendable {
  /// ℓ(μ, τ), including the binomial coefficients.
  var value: Double
  /// ∂ℓ/∂μ
  var gradientMu = 0.0
  /// ∂ℓ/∂τ
  var gradientTau = 0.0
  /// ∂²ℓ/∂μ²
  var hessianMuMu = 0.0
  /// ∂²ℓ/∂μ∂τ
  var hessianMuTau = 0.0
  /// ∂²ℓ/∂τ²
  var hessianTauTau = 0.0

  /// The Euclidean norm of the gradient.
  var gradientNorm: Double { (gradientMu * gradientMu + gradientTau * gradientTau).squareRoot() }
}

/// p = expit(η), q = 1 − p and softplus(η) = log(1 + e^η) = max(η, 0) + log(1 + r) from
/// r = e^(−|η|) ∈ (0, 1]. log(1 + r) is taken as `log(fl(1 + r))`: its absolute error is below
/// 2⁻⁵², which is all ℓ needs (glibc's log1p costs about three times as much).
@inline(__always)
func logisticSoftplus(_ eta: Double, r: Double) -> (p: Double, q: Double, softplus: Double) {
  let onePlus = 1 + r
  let d = 1 / onePlus
  let sp = max(eta, 0) + Double.log(onePlus)
  return eta >= 0 ? (d, r * d, sp) : (r * d, d, sp)
}

/// The adaptive Gauss–Hermite approximation of the binomial-normal log-likelihood (lme4's
/// `glmerAGQ`, with conditional modes solved to machine precision), with analytic derivatives.
///
/// Cohort i contributes
/// ```
/// Lᵢ(μ, τ) = ∫ C(nᵢ, xᵢ) e^{ℓᵢ(μ+τu)} φ(u) du,   ℓᵢ(η) = xᵢη − nᵢ log(1 + eᵉᵗᵃ).
/// ```
/// With hᵢ(u) = ℓᵢ(μ + τu) − u²/2, its mode ûᵢ (ûᵢ = τℓᵢ′(η̂ᵢ), η̂ᵢ = μ + τûᵢ), the curvature
/// cᵢ = 1 + τ²nᵢp̂ᵢ(1 − p̂ᵢ) = −hᵢ″(ûᵢ) and sᵢ = cᵢ^(−1/2), the nodes are uᵢⱼ = ûᵢ + sᵢzⱼ and
/// ```
/// log Lᵢ ≈ log C(nᵢ, xᵢ) + log sᵢ + log Σⱼ wⱼ exp(hᵢ(uᵢⱼ) + zⱼ²/2).
/// ```
/// One node (z = 0, w = 1) is the Laplace approximation. The derivatives follow ûᵢ and sᵢ through
/// the implicit function theorem (∂ûᵢ/∂μ = τℓᵢ″/cᵢ, ∂η̂ᵢ/∂μ = 1/cᵢ, ∂ûᵢ/∂τ = (ℓᵢ′ + τℓᵢ″ûᵢ)/cᵢ,
/// and their second derivatives), so they are exact for the approximation, not for the integral.
///
/// One instance holds all scratch space of a fit: evaluating allocates nothing and costs
/// O(k·nAGQ). Not thread-safe; used within one fit only.
final class AdaptiveGaussHermiteLikelihood {
  let k: Int
  let nodeCount: Int
  /// Σ log C(nᵢ, xᵢ).
  let logBinomialCoefficients: Double

  private let storage: UnsafeMutablePointer<Double>
  private let x: UnsafeMutablePointer<Double>
  private let n: UnsafeMutablePointer<Double>
  /// η̂ᵢ from the last evaluation and its derivatives, to predict the next mode.
  private let modes: UnsafeMutablePointer<Double>
  private let modesMu: UnsafeMutablePointer<Double>
  private let modesTau: UnsafeMutablePointer<Double>
  private let z: UnsafeMutablePointer<Double>
  /// log wⱼ + zⱼ²/2
  private let logWeights: UnsafeMutablePointer<Double>
  /// Per-node scratch: G, Gμ, Gτ, Gμμ, Gμτ, Gττ.
  private let g: UnsafeMutablePointer<Double>
  private var lastMu = Double.nan
  private var lastTau = Double.nan

  /// Mode iterations of the last evaluation (for diagnostics).
  private(set) var modeIterations = 0

  init(studies: [ProportionStudy], rule: GaussHermiteRule) {
    k = studies.count
    nodeCount = rule.count
    let size = 6 * k + 2 * nodeCount + 6 * nodeCount
    storage = .allocate(capacity: size)
    storage.initialize(repeating: 0, count: size)
    x = storage
    n = storage + k
    modes = storage + 2 * k
    modesMu = storage + 3 * k
    modesTau = storage + 4 * k
    z = storage + 6 * k
    logWeights = z + nodeCount
    g = logWeights + nodeCount
    var constant = 0.0
    for (i, s) in studies.enumerated() {
      x[i] = Double(s.events)
      n[i] = Double(s.total)
      constant += logChoose(s.total, s.events)
      modes[i] = .nan
    }
    logBinomialCoefficients = constant
    for j in 0..<nodeCount {
      z[j] = rule.nodes[j]
      logWeights[j] = Double.log(rule.weights[j]) + 0.5 * rule.nodes[j] * rule.nodes[j]
    }
  }

  deinit { storage.deallocate() }

  /// The conditional mode η̂ = μ + τû of cohort i (``conditionalMode(x:n:mu:tau2:predicted:iterations:)``).
  @inline(__always)
  private func mode(_ i: Int, mu: Double, tau2: Double, predicted: Double) -> (eta: Double, p: Double, q: Double) {
    conditionalMode(x: x[i], n: n[i], mu: mu, tau2: tau2, predicted: predicted, iterations: &modeIterations)
  }

  /// The log-likelihood at (μ, τ); with `derivatives`, also its gradient and Hessian.
  func evaluate(mu: Double, tau: Double, derivatives: Bool = true) -> AGQEvaluation {
    if tau == 0 { return evaluateAtZero(mu: mu) }
    let tau2 = tau * tau
    let dMu = mu - lastMu, dTau = tau - lastTau
    let canPredict = dMu.isFinite && dTau.isFinite
    var total = AGQEvaluation(value: logBinomialCoefficients)
    modeIterations = 0
    let zMax = z[nodeCount - 1]
    for i in 0..<k {
      let xi = x[i], ni = n[i]
      var predicted = modes[i]
      if canPredict, predicted.isFinite { predicted += modesMu[i] * dMu + modesTau[i] * dTau }
      let l = mode(i, mu: mu, tau2: tau2, predicted: predicted)
      let eta = l.eta
      modes[i] = eta
      let w = ni * l.p * l.q
      let l1 = binomialScore(x: xi, n: ni, p: l.p, q: l.q)
      let c = 1 + tau2 * w
      let ic = 1 / c
      let uHat = tau * l1
      let s = ic.squareRoot()
      let logS = -0.5 * Double.log(c)

      // ∂/∂μ, ∂/∂τ of û, s and log s (implicit differentiation of the mode equation).
      var uM = 0.0, uT = 0.0, uMM = 0.0, uMT = 0.0, uTT = 0.0
      var sM = 0.0, sT = 0.0, sMM = 0.0, sMT = 0.0, sTT = 0.0
      var lsM = 0.0, lsT = 0.0, lsMM = 0.0, lsMT = 0.0, lsTT = 0.0
      if derivatives {
        let l2 = -w
        let l3 = -w * (l.q - l.p)
        let l4 = -w * (1 - 6 * l.p * l.q)
        uM = tau * l2 * ic
        uT = (l1 + tau * l2 * uHat) * ic
        let eM = ic
        let eT = uHat + tau * uT
        uMM = tau * l3 * eM * eM * ic
        uMT = (l2 * eM + tau * l3 * eM * eT + tau * l2 * uM) * ic
        uTT = (2 * l2 * eT + tau * l3 * eT * eT + 2 * tau * l2 * uT) * ic
        let eMM = tau * uMM
        let eMT = uM + tau * uMT
        let eTT = 2 * uT + tau * uTT
        let cM = -tau2 * l3 * eM
        let cT = -2 * tau * l2 - tau2 * l3 * eT
        let cMM = -tau2 * l4 * eM * eM - tau2 * l3 * eMM
        let cMT = -2 * tau * l3 * eM - tau2 * l4 * eM * eT - tau2 * l3 * eMT
        let cTT = -2 * l2 - 4 * tau * l3 * eT - tau2 * l4 * eT * eT - tau2 * l3 * eTT
        lsM = -0.5 * cM * ic
        lsT = -0.5 * cT * ic
        lsMM = -0.5 * (cMM - cM * cM * ic) * ic
        lsMT = -0.5 * (cMT - cM * cT * ic) * ic
        lsTT = -0.5 * (cTT - cT * cT * ic) * ic
        sM = s * lsM
        sT = s * lsT
        sMM = s * (lsMM + lsM * lsM)
        sMT = s * (lsMT + lsM * lsT)
        sTT = s * (lsTT + lsT * lsT)
        modesMu[i] = eM
        modesTau[i] = eT
      }

      // Nodes ηⱼ = η̂ + τszⱼ. The rule is symmetric, so e^(ηⱼ) = e^(η̂)·e^(±τszⱼ) needs one
      // exponential per pair (unless that could overflow).
      let ts = tau * s
      let paired = abs(eta) + ts * zMax < 600
      let expEta = l.p / l.q  // e^η̂
      var gMax = -Double.infinity
      for j in 0..<nodeCount {
        let zj = z[j]
        let t = ts * zj
        let e = eta + t
        let r: Double
        if paired {
          let partner = nodeCount - 1 - j
          let a: Double
          if j < partner {
            a = Double.exp(t)
            g[6 * partner] = a  // reused below as e^(−t)·… for the partner
          } else if j > partner {
            a = 1 / g[6 * j]
          } else {
            a = 1
          }
          let big = expEta * a
          r = e >= 0 ? 1 / big : big
        } else {
          r = Double.exp(-abs(e))
        }
        let lj = logisticSoftplus(e, r: r)
        let u = uHat + s * zj
        let gj = xi * e - ni * lj.softplus - 0.5 * u * u + logWeights[j]
        let base = 6 * j
        if derivatives {
          let uA = uM + zj * sM, uB = uT + zj * sT
          let uAA = uMM + zj * sMM, uAB = uMT + zj * sMT, uBB = uTT + zj * sTT
          let eA = 1 + tau * uA
          let eB = u + tau * uB
          let eAA = tau * uAA
          let eAB = uA + tau * uAB
          let eBB = 2 * uB + tau * uBB
          let d1 = binomialScore(x: xi, n: ni, p: lj.p, q: lj.q)
          let d2 = -ni * lj.p * lj.q
          g[base + 1] = d1 * eA - u * uA
          g[base + 2] = d1 * eB - u * uB
          g[base + 3] = d2 * eA * eA + d1 * eAA - uA * uA - u * uAA
          g[base + 4] = d2 * eA * eB + d1 * eAB - uA * uB - u * uAB
          g[base + 5] = d2 * eB * eB + d1 * eBB - uB * uB - u * uBB
        }
        g[base] = gj
        gMax = max(gMax, gj)
      }
      // log Σ exp(G) and the softmax weights πⱼ.
      var sum = 0.0
      for j in 0..<nodeCount {
        let d = g[6 * j] - gMax
        let e = d == 0 ? 1 : Double.exp(d)
        g[6 * j] = e
        sum += e
      }
      total.value += gMax + Double.log(sum) + logS
      if derivatives {
        let inv = 1 / sum
        var mA = 0.0, mB = 0.0
        for j in 0..<nodeCount {
          let pj = g[6 * j] * inv
          mA += pj * g[6 * j + 1]
          mB += pj * g[6 * j + 2]
        }
        var hAA = 0.0, hAB = 0.0, hBB = 0.0
        for j in 0..<nodeCount {
          let base = 6 * j
          let pj = g[base] * inv
          let a = g[base + 1] - mA, b = g[base + 2] - mB
          hAA += pj * (g[base + 3] + a * a)
          hAB += pj * (g[base + 4] + a * b)
          hBB += pj * (g[base + 5] + b * b)
        }
        total.gradientMu += mA + lsM
        total.gradientTau += mB + lsT
        total.hessianMuMu += hAA + lsMM
        total.hessianMuTau += hAB + lsMT
        total.hessianTauTau += hBB + lsTT
      }
    }
    if derivatives {
      lastMu = mu
      lastTau = tau
    } else {
      // The stored derivatives belong to the previous point; predict from there no more.
      lastMu = .nan
      lastTau = .nan
    }
    return total
  }

  /// At τ = 0 the quadrature is exact (every node sits at η = μ, Σwⱼ = 1):
  /// ℓ = Σ[log C(nᵢ,xᵢ) + xᵢμ − nᵢ log(1 + e^μ)], ∂ℓ/∂μ = Σ(xᵢ − nᵢp), ∂ℓ/∂τ = 0 (ℓ is even in
  /// τ), ∂²ℓ/∂μ² = −Σnᵢp(1−p), ∂²ℓ/∂μ∂τ = 0 and ∂²ℓ/∂τ² = Σ[(xᵢ − nᵢp)² − nᵢp(1−p)]
  /// (the score statistic for τ² = 0).
  private func evaluateAtZero(mu: Double) -> AGQEvaluation {
    let r = Double.exp(-abs(mu))
    let l = logisticSoftplus(mu, r: r)
    var total = AGQEvaluation(value: logBinomialCoefficients)
    for i in 0..<k {
      let xi = x[i], ni = n[i]
      let l1 = binomialScore(x: xi, n: ni, p: l.p, q: l.q)
      let w = ni * l.p * l.q
      total.value += xi * mu - ni * l.softplus
      total.gradientMu += l1
      total.hessianMuMu -= w
      total.hessianTauTau += l1 * l1 - w
      modes[i] = mu
      modesMu[i] = 1
      modesTau[i] = 0
    }
    lastMu = mu
    lastTau = 0
    return total
  }

  /// Σᵢ dᵢ(η̂ᵢ), the binomial deviance residuals at the conditional modes of the last evaluation:
  /// dᵢ = 2[xᵢ log(xᵢ/(nᵢp̂ᵢ)) + (nᵢ − xᵢ) log((nᵢ − xᵢ)/(nᵢ(1 − p̂ᵢ)))] (lme4's `deviance()` of a
  /// GLMM, which metafor uses for its log-likelihood).
  func conditionalDeviance() -> Double {
    var total = 0.0
    for i in 0..<k {
      let l = logisticProbabilities(modes[i])
      total += binomialDevianceResidual(x: x[i], n: n[i], p: l.p, q: l.q)
    }
    return total
  }

  /// The conditional modes η̂ᵢ of the last evaluation, in input order.
  func conditionalModes() -> [Double] { (0..<k).map { modes[$0] } }
}

/// log C(n, x) by log-gamma.
func logChoose(_ n: Int, _ x: Int) -> Double {
  if x == 0 || x == n { return 0 }
  return Double.logGamma(Double(n) + 1) - Double.logGamma(Double(x) + 1) - Double.logGamma(Double(n - x) + 1)
}

/// The binomial deviance residual 2[x log(x/(np)) + (n−x) log((n−x)/(nq))], with 0·log 0 = 0
/// (R's `binomial()$dev.resids` with prior weight n and y = x/n).
@inline(__always)
func binomialDevianceResidual(x: Double, n: Double, p: Double, q: Double) -> Double {
  var d = 0.0
  if x > 0 { d += x * Double.log(x / (n * p)) }
  if x < n { d += (n - x) * Double.log((n - x) / (n * q)) }
  return 2 * d
}
