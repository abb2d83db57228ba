// SPDX-License-Identifier: GPL-3.0-or-later
//
// Quantiles by inverting a CDF, for where GSL's own inverse is unreliable: gsl_cdf_beta_Pinv and
// _Qinv return NaN for ordinary binomial intervals from n ≈ 10⁴ (e.g. x = 27 of n = 10,000) and
// do not return at all for x = 5·10⁸ of n = 10⁹; gsl_cdf_chisq_Pinv returns NaN from ν ≈ 10⁶.
// See Docs/robustness.md, "Numerical limits".

/// Finds x in [lo, hi] with f(x) = 0 for a monotone f with f(lo) and f(hi) of opposite signs
/// (Brent 1973, "zeroin": inverse quadratic interpolation, secant and bisection steps).
///
/// Converges to full double precision (relative tolerance 2ε) and always terminates: every step
/// shrinks the bracket, and bisection takes over when interpolation stalls.
func brentRoot(
  lo: Double, hi: Double, maxIterations: Int = 400, _ f: (Double) throws(DistributionError) -> Double
) throws(DistributionError) -> Double {
  var a = lo, b = hi
  var fa = try f(a), fb = try f(b)
  if fa == 0 { return a }
  if fb == 0 { return b }
  var c = a, fc = fa
  var d = b - a, e = d
  for _ in 0..<maxIterations {
    if (fb > 0) == (fc > 0) {
      c = a; fc = fa; d = b - a; e = d
    }
    if abs(fc) < abs(fb) {
      a = b; b = c; c = a
      fa = fb; fb = fc; fc = fa
    }
    let tol = 2 * Double.ulpOfOne * abs(b) + 0.5 * Double.leastNormalMagnitude
    let m = 0.5 * (c - b)
    if abs(m) <= tol || fb == 0 { return b }
    if abs(e) >= tol && abs(fa) > abs(fb) {
      var p: Double, q: Double
      let s = fb / fa
      if a == c {
        p = 2 * m * s
        q = 1 - s
      } else {
        let qq = fa / fc, r = fb / fc
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1))
        q = (qq - 1) * (r - 1) * (s - 1)
      }
      if p > 0 { q = -q } else { p = -p }
      if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)) {
        e = d; d = p / q
      } else {
        d = m; e = m
      }
    } else {
      d = m; e = m
    }
    a = b; fa = fb
    b += abs(d) > tol ? d : (m > 0 ? tol : -tol)
    fb = try f(b)
  }
  return b
}

/// The x with `tail(x) = target`, where `tail` is a CDF (increasing) or a survival function
/// (decreasing) on the support [lower, upper]; an infinite end is replaced by expanding from
/// `start` until the target is bracketed.
func invertTail(
  target: Double, increasing: Bool, lower: Double, upper: Double, start: Double, scale: Double,
  function: String, _ tail: (Double) throws(DistributionError) -> Double
) throws(DistributionError) -> Double {
  func g(_ x: Double) throws(DistributionError) -> Double {
    let v = try tail(x) - target
    return increasing ? v : -v
  }
  var lo = lower, hi = upper
  var step = max(scale, 1e-300)
  if hi.isInfinite {
    hi = lo.isFinite ? max(start, lo) : start
    while try g(hi) < 0 {  // still below the target: the root lies above
      lo = hi
      hi += step
      step *= 2
      guard hi.isFinite else { throw .numericalFailure(function: function, detail: "no quantile found for probability \(target)") }
    }
  }
  step = max(scale, 1e-300)
  if lo.isInfinite {
    lo = min(start, hi)
    while try g(lo) > 0 {  // still above the target: the root lies below
      hi = lo
      lo -= step
      step *= 2
      guard lo.isFinite else { throw .numericalFailure(function: function, detail: "no quantile found for probability \(target)") }
    }
  }
  let gl = try g(lo), gh = try g(hi)
  if gl >= 0 { return lo }
  if gh <= 0 { return hi }
  let x = try brentRoot(lo: lo, hi: hi, g)
  guard x.isFinite else {
    throw .numericalFailure(function: function, detail: "no quantile found for probability \(target)")
  }
  return x
}
