// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// p = expit(η) and q = 1 − p = expit(−η) from r = e^(−|η|), without cancellation.
@inline(__always)
func logisticProbabilities(_ eta: Double) -> (p: Double, q: Double) {
  logisticProbabilities(eta, r: Double.exp(-abs(eta)))
}

/// p = expit(η) and q = 1 − p from a known r = e^(−|η|).
@inline(__always)
func logisticProbabilities(_ eta: Double, r: Double) -> (p: Double, q: Double) {
  let d = 1 / (1 + r)
  return eta >= 0 ? (d, r * d) : (r * d, d)
}

/// The score x − np of a binomial log-likelihood, from whichever of p and q is smaller.
@inline(__always)
func binomialScore(x: Double, n: Double, p: Double, q: Double) -> Double {
  p < 0.5 ? x - n * p : n * q - (n - x)
}

/// The conditional mode η̂ of one cohort of the binomial-normal model: the root of
/// r(η) = η − μ − τ²(x − n expit η), which is increasing (r′ = 1 + τ²np(1−p) ≥ 1, |r″/r′| < 1).
/// Newton's method from a prediction; if a step fails to shrink |r|, Newton safeguarded by
/// bisection on the bracket between μ and μ + τ²(x − n expit μ), which holds the root.
///
/// Returns η̂ with p̂ = expit η̂ and q̂ = 1 − p̂, and adds the iterations to `iterations`.
/// Newton stops after a step d ≤ 10⁻⁶, whose error is below (r″/2r′)d² < 5·10⁻¹³; p̂ and q̂
/// are then updated to first order (p̂ += p̂q̂d), with an error below 10⁻¹³, saving an
/// exponential. Shared by the one-level (``AdaptiveGaussHermiteLikelihood``) and the nested
/// (``NestedGaussHermiteLikelihood``) quadratures.
@inline(__always)
func conditionalMode(
  x xi: Double, n ni: Double, mu: Double, tau2: Double, predicted: Double, iterations: inout Int
) -> (eta: Double, p: Double, q: Double) {
  var eta = predicted.isFinite ? predicted : mu
  var l = logisticProbabilities(eta)
  var r = eta - mu - tau2 * binomialScore(x: xi, n: ni, p: l.p, q: l.q)
  for _ in 0..<50 {
    iterations += 1
    let step = r / (1 + tau2 * ni * l.p * l.q)
    let next = eta - step
    if abs(step) <= 1e-6 {
      let pq = l.p * l.q * step
      return (next, l.p - pq, l.q + pq)
    }
    let ln = logisticProbabilities(next)
    let rn = next - mu - tau2 * binomialScore(x: xi, n: ni, p: ln.p, q: ln.q)
    if !(abs(rn) < abs(r)) { break }
    eta = next
    l = ln
    r = rn
  }
  return bracketedConditionalMode(x: xi, n: ni, mu: mu, tau2: tau2, iterations: &iterations)
}

/// The mode by Newton's method safeguarded with bisection (slow path of ``conditionalMode``).
func bracketedConditionalMode(
  x xi: Double, n ni: Double, mu: Double, tau2: Double, iterations: inout Int
) -> (eta: Double, p: Double, q: Double) {
  let l0 = logisticProbabilities(mu)
  let score0 = binomialScore(x: xi, n: ni, p: l0.p, q: l0.q)
  if score0 == 0 { return (mu, l0.p, l0.q) }
  var lo = mu, hi = mu + tau2 * score0
  if lo > hi { swap(&lo, &hi) }
  var eta = mu + tau2 * score0 / (1 + tau2 * ni * l0.p * l0.q)
  if !(eta > lo && eta < hi) { eta = 0.5 * (lo + hi) }
  for _ in 0..<400 {
    iterations += 1
    let l = logisticProbabilities(eta)
    let r = eta - mu - tau2 * binomialScore(x: xi, n: ni, p: l.p, q: l.q)
    if r == 0 { return (eta, l.p, l.q) }
    if r > 0 { hi = eta } else { lo = eta }
    if hi - lo <= 4 * Double.ulpOfOne * (1 + abs(eta)) { break }
    let step = r / (1 + tau2 * ni * l.p * l.q)
    var next = eta - step
    // Strictly inside the bracket, else bisect: a Newton step landing on an end of the
    // bracket could alternate between the two ends.
    if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
    if abs(next - eta) <= 1e-15 * (1 + abs(eta)) {
      eta = next
      break
    }
    eta = next
  }
  let l = logisticProbabilities(eta)
  return (eta, l.p, l.q)
}
