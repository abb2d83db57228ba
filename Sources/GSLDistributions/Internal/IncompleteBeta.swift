// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// Hand-written fallbacks for GSL's beta functions. GSL 2.7's `gsl_cdf_beta_P` loses accuracy for
// large a + b (4·10⁻⁸ relative at 10⁹) and returns NaN near the centre (≳ 10⁷: its continued
// fraction stops after a fixed number of terms); `gsl_cdf_beta_Pinv` returns NaN already at
// a = b = 5000 and does not return at all for a = b ≈ 5·10⁶ — sizes that occur as cohort sizes
// (Clopper–Pearson bounds are beta quantiles). No package in the offline list provides an
// incomplete beta function, so it is written here, on top of GSL's ln Γ.

/// GSL's beta CDF is used up to this a + b; above it the continued fraction below is used.
let gslBetaLimit = 1e5

/// The regularised incomplete beta function and its complement, (I_x(a, b), 1 − I_x(a, b)),
/// by the continued fraction of the incomplete beta (DiDonato & Morris 1992), evaluated with the
/// modified Lentz method. The fraction converges in about √max(a, b) terms near the centre;
/// NaN is returned only if it has not converged after 10⁷ terms.
///
/// x is the exact input. Everything derived from it avoids forming 1 − (1 − x): ln(1 − x) is
/// `log1p(-x)` for x < ½ (where 1 − x is inexact) and `log(1 - x)` for x ≥ ½ (where it is exact),
/// and the Stirling-form prefactor uses t = x(a+b) − a, whose complement is −t.
func incompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> (lower: Double, upper: Double) {
  if x <= 0 { return (0, 1) }
  if x >= 1 { return (1, 0) }
  let y = 1 - x
  let lnX = log(x)
  let lnY = x < 0.5 ? log1p(-x) : log(y)
  let t = fma(x, a + b, -a)
  // Use the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges faster.
  // The fraction's first term 1 − (a+b)x/(a+1) is (1 − t)/(a+1), and for the mirrored
  // fraction (1 + t)/(b+1): both exact in t.
  if x > (a + 1) / (a + b + 2) {
    let v = exp(logBetaFront(a: b, b: a, lnX: lnY, lnY: lnX, t: -t)) * betaFraction(y, b, a, firstTerm: (1 + t) / (b + 1)) / b
    return (1 - v, v)
  }
  let v = exp(logBetaFront(a: a, b: b, lnX: lnX, lnY: lnY, t: t)) * betaFraction(x, a, b, firstTerm: (1 - t) / (a + 1)) / a
  return (v, 1 - v)
}

/// The continued fraction of I_x(a, b), without its prefactor xᵃ(1−x)ᵇ/(a·B(a, b));
/// `firstTerm` is 1 − (a+b)x/(a+1), passed in so the caller can compute it without cancellation.
func betaFraction(_ x: Double, _ a: Double, _ b: Double, firstTerm: Double) -> Double {
  let tiny = 1e-300
  var c = 1.0
  var d = firstTerm
  if abs(d) < tiny { d = tiny }
  d = 1 / d
  var h = d
  var m = 1
  while m <= 10_000_000 {
    let md = Double(m)
    let m2 = 2 * md
    // Even step.
    var num = md * (b - md) * x / ((a + m2 - 1) * (a + m2))
    d = 1 + num * d
    if abs(d) < tiny { d = tiny }
    c = 1 + num / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    h *= d * c
    // Odd step.
    num = -(a + md) * (a + b + md) * x / ((a + m2) * (a + m2 + 1))
    d = 1 + num * d
    if abs(d) < tiny { d = tiny }
    c = 1 + num / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let delta = d * c
    h *= delta
    if abs(delta - 1) < 1e-16 { return h }
    m += 1
  }
  return .nan
}

/// ln[xᵃ(1−x)ᵇ / B(a, b)], given ln x, ln(1 − x) and t = x(a+b) − a.
///
/// For min(a, b) ≥ 10 the direct form loses ~ε·(a+b) to cancellation, so it is rewritten with
/// Stirling's formula around x₀ = a/(a+b):
/// ```
/// xᵃ(1−x)ᵇ/B(a,b) = √(ab / (2π(a+b))) · exp(Δ(a+b) − Δ(a) − Δ(b) − a·φ(t/a) − b·φ(−t/b))
/// ```
/// with φ(u) = u − ln(1+u) and Δ(z) = ln Γ(z) − [(z − ½)ln z − z + ½ ln 2π] (the idea of
/// DiDonato & Morris's `brcomp`).
func logBetaFront(a: Double, b: Double, lnX: Double, lnY: Double, t: Double) -> Double {
  if min(a, b) < 10 {
    return a * lnX + b * lnY - logBeta(a, b)
  }
  let s = a + b
  let u = t / a
  let w = -t / b
  return 0.5 * log(a * b / (2 * Double.pi * s)) + stirlingCorrection(s) - stirlingCorrection(a)
    - stirlingCorrection(b) - a * (u - log1p(u)) - b * (w - log1p(w))
}

/// ln B(a, b). When one argument is small and the other large, ln Γ(big) − ln Γ(big + small)
/// is taken in the cancellation-free form −s·ln g − (g+s−½)·log1p(s/g) + s + Δ(g) − Δ(g+s).
func logBeta(_ a: Double, _ b: Double) -> Double {
  let small = min(a, b), big = max(a, b)
  if big < 10 { return gsl_sf_lnbeta(a, b) }
  let diff = -small * log(big) - (big + small - 0.5) * log1p(small / big) + small
    + stirlingCorrection(big) - stirlingCorrection(big + small)
  return gsl_sf_lngamma(small) + diff
}

/// Δ(z) = ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π]: the asymptotic series for z ≥ 10, GSL's
/// ln Γ below.
func stirlingCorrection(_ z: Double) -> Double {
  if z >= 10 {
    let r = 1 / z
    let r2 = r * r
    return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))))
  }
  return gsl_sf_lngamma(z) - ((z - 0.5) * log(z) - z + 0.5 * log(2 * Double.pi))
}

/// P(X ≤ x) (`upper` false) or P(X > x) (`upper` true) for Beta(a, b): GSL's `gsl_cdf_beta_P`
/// or `gsl_cdf_beta_Q` for a + b ≤ ``gslBetaLimit`` when it returns a number, otherwise the
/// continued fraction of ``incompleteBeta(_:_:_:)``.
func betaTail(_ x: Double, _ a: Double, _ b: Double, upper: Bool) -> Double {
  if x <= 0 { return upper ? 1 : 0 }
  if x >= 1 { return upper ? 0 : 1 }
  if a + b <= gslBetaLimit {
    let g = upper ? gsl_cdf_beta_Q(x, a, b) : gsl_cdf_beta_P(x, a, b)
    if !g.isNaN { return g }
  }
  let tails = incompleteBeta(x, a, b)
  return upper ? tails.upper : tails.lower
}

/// The Beta(a, b) quantile: GSL's inverse for a + b ≤ 10⁴ when its answer checks out,
/// otherwise a safeguarded Newton iteration on the CDF (bisection whenever a Newton step leaves
/// the bracket), started at the normal approximation. `upper` solves P(X > x) = p, so that small
/// upper-tail probabilities keep their precision.
func betaQuantile(_ p: Double, _ a: Double, _ b: Double, upper: Bool) -> Double {
  if a + b <= 1e4 {
    let g = upper ? gsl_cdf_beta_Qinv(p, a, b) : gsl_cdf_beta_Pinv(p, a, b)
    if g.isFinite, g >= 0, g <= 1 {
      let back = betaTail(g, a, b, upper: upper)
      if abs(back - p) <= 1e-9 * p { return g }
    }
  }
  // f(x) = F(x) − p (lower) or p − S(x) (upper): increasing in x either way.
  func f(_ x: Double) -> Double { upper ? p - betaTail(x, a, b, upper: true) : betaTail(x, a, b, upper: false) - p }
  var lo = 0.0, hi = 1.0
  let mean = a / (a + b)
  let sd = (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()
  let z = upper ? gsl_cdf_ugaussian_Qinv(p) : gsl_cdf_ugaussian_Pinv(p)
  var x = mean + z * sd
  if !(x > 0 && x < 1) { x = mean }
  for _ in 0..<400 {
    let fx = f(x)
    if fx.isNaN { return .nan }
    if fx == 0 { return x }
    if fx < 0 { lo = x } else { hi = x }
    let density = gsl_ran_beta_pdf(x, a, b)
    var next = density > 0 && density.isFinite ? x - fx / density : .nan
    if !(next > lo && next < hi) {
      if lo == 0 { next = hi / 64 } else if hi / lo > 1024 { next = (lo * hi).squareRoot() } else { next = 0.5 * (lo + hi) }
    }
    if abs(next - x) <= 1e-15 * abs(x) || hi - lo <= 4 * Double.ulpOfOne * hi {
      return next
    }
    x = next
  }
  return x
}
