// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGSL

/// The beta distribution Beta(a, b) on [0, 1].
///
/// Used for Clopper–Pearson (`qbeta(α/2, x, n−x+1)`) and Jeffreys intervals.
/// Named `BetaDistribution` so that it does not clash with the beta *function*.
public struct BetaDistribution: ContinuousDistribution, Hashable {
  /// Shape a > 0.
  public let a: Double
  /// Shape b > 0.
  public let b: Double
  private static var calls: ContinuousCalls { ContinuousCalls(name: "BetaDistribution", lower: 0, upper: 1) }

  /// - Throws: when a shape is not finite and positive.
  public init(a: Double, b: Double) throws(DistributionError) {
    self.a = try Self.calls.positiveFinite(a, name: "a")
    self.b = try Self.calls.positiveFinite(b, name: "b")
  }

  /// The corresponding GSL function is `gsl_cdf_beta_P`; where it returns NaN (large a + b,
  /// near the centre) the incomplete beta is evaluated by its continued fraction instead.
  public func cdf(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_cdf_beta_P", x) { betaTail($0, a, b, upper: false) }
  }
  /// The corresponding GSL function is `gsl_cdf_beta_Q` (with the same fallback as ``cdf(_:)``).
  public func survival(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_cdf_beta_Q", x) { betaTail($0, a, b, upper: true) }
  }
  /// The x with P(X ≤ x) = p. GSL's `gsl_cdf_beta_Pinv` fails (NaN, or no return) for large
  /// a + b, so it is used only for a + b ≤ 10⁴ and only when its answer checks out; otherwise a
  /// safeguarded Newton iteration on ``cdf(_:)`` finds the quantile.
  public func quantile(_ p: Double) throws(DistributionError) -> Double {
    try Self.calls.quantile("beta quantile", p, upperTail: false) { betaQuantile($0, a, b, upper: false) }
  }
  /// The x with P(X > x) = q (see ``quantile(_:)``).
  public func upperQuantile(_ q: Double) throws(DistributionError) -> Double {
    try Self.calls.quantile("beta upper quantile", q, upperTail: true) { betaQuantile($0, a, b, upper: true) }
  }
  /// The corresponding GSL function is `gsl_ran_beta_pdf`.
  public func pdf(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_ran_beta_pdf", x) { gsl_ran_beta_pdf($0, a, b) }
  }
}
