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

  /// A quantile from GSL's inverse, or — where that returns NaN (e.g. `gsl_cdf_chisq_Pinv` for
  /// ν ≳ 10⁶) — from inverting the tail function `tail` (the CDF, or the survival function when
  /// `upperTail`) by Brent's method, starting at `start` with steps of `scale`.
  func quantile(
    _ fn: String, _ p: Double, upperTail: Bool, start: Double, scale: Double,
    tail: (Double) throws(DistributionError) -> Double, _ call: (Double) -> Double
  ) throws(DistributionError) -> Double {
    try requireProbability(p, function: "\(name).\(fn)")
    if p == 0 { return upperTail ? upper : lower }
    if p == 1 { return upperTail ? lower : upper }
    _ = gslErrorHandlerOff
    let value = call(p)
    if value.isFinite { return value }
    return try invertTail(
      target: p, increasing: !upperTail, lower: lower, upper: upper, start: start, scale: scale,
      function: fn, tail)
  }
}
