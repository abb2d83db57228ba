// SPDX-License-Identifier: GPL-3.0-or-later

/// A continuous distribution with a CDF, upper tail, quantiles and density.
///
/// All methods validate their argument in Swift and throw ``DistributionError`` rather than
/// letting GSL abort or return NaN.
public protocol ContinuousDistribution: Sendable {
  /// P(X ≤ x).
  func cdf(_ x: Double) throws(DistributionError) -> Double
  /// P(X > x), computed directly (accurate in the upper tail).
  func survival(_ x: Double) throws(DistributionError) -> Double
  /// The x with P(X ≤ x) = p.
  func quantile(_ p: Double) throws(DistributionError) -> Double
  /// The x with P(X > x) = q.
  func upperQuantile(_ q: Double) throws(DistributionError) -> Double
  /// The density at x.
  func pdf(_ x: Double) throws(DistributionError) -> Double
}

/// Shared argument checks and boundary handling for the GSL-backed continuous distributions.
///
/// `lower`/`upper` are the support's end points, returned for quantiles at probability 0 and 1
/// (GSL returns them too, but not uniformly across distributions, so Swift decides).
struct ContinuousCalls {
  let name: String
  let lower: Double
  let upper: Double

  /// `value` as the parameter `name` of this distribution, checked to be finite and > 0 (the
  /// shapes and degrees of freedom of every continuous distribution here).
  @inline(__always)
  func positiveFinite(_ value: Double, name parameter: String) throws(DistributionError) -> Double {
    try requirePositiveFinite(value, name: parameter, distribution: name)
    return value
  }

  @inline(__always)
  func probability(_ fn: String, _ x: Double, _ call: (Double) -> Double) throws(DistributionError) -> Double {
    try requireNotNaN(x, function: "\(name).\(fn)")
    return try checked(fn) { call(x) }
  }

  @inline(__always)
  func quantile(_ fn: String, _ p: Double, upperTail: Bool, _ call: (Double) -> Double) throws(DistributionError) -> Double {
    try requireProbability(p, function: "\(name).\(fn)")
    if p == 0 { return upperTail ? upper : lower }
    if p == 1 { return upperTail ? lower : upper }
    return try checked(fn) { call(p) }
  }

  /// A quantile from GSL's inverse when it checks out, else from inverting the tail function
  /// `tail` (the CDF, or the survival function when `upperTail`) by Brent's method, starting at
  /// `start` with steps of `scale`.
  ///
  /// GSL's answer is accepted when `tail` at it gives back `p` to 10⁻⁹ (relative), or when `p`
  /// lies between `tail` at the neighbouring doubles. It does not for large ν:
  /// `gsl_cdf_chisq_Qinv(0.025, 99999)` returns 132864.87 (R: 100877.41; its upper tail there is
  /// 0), and `gsl_cdf_chisq_Pinv` returns NaN from ν ≈ 10⁶.
  func quantile(
    _ fn: String, _ p: Double, upperTail: Bool, start: Double, scale: Double,
    tail: (Double) throws(DistributionError) -> Double, _ call: (Double) -> Double
  ) throws(DistributionError) -> Double {
    try requireProbability(p, function: "\(name).\(fn)")
    if p == 0 { return upperTail ? upper : lower }
    if p == 1 { return upperTail ? lower : upper }
    _ = gslErrorHandlerOff
    let value = call(p)
    if value.isFinite, let back = try? tail(value) {
      if abs(back - p) <= 1e-9 * p { return value }
      if let below = try? tail(value.nextDown), let above = try? tail(value.nextUp),
         min(below, above) <= p, p <= max(below, above) {
        return value
      }
    }
    return try invertTail(
      target: p, increasing: !upperTail, lower: lower, upper: upper, start: start, scale: scale,
      function: fn, tail)
  }
}
