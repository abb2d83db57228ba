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
  private var calls: ContinuousCalls { ContinuousCalls(name: "BetaDistribution", lower: 0, upper: 1) }

  /// - Throws: when a shape is not finite and positive.
  public init(a: Double, b: Double) throws(DistributionError) {
    try requirePositiveFinite(a, name: "a", distribution: "BetaDistribution")
    try requirePositiveFinite(b, name: "b", distribution: "BetaDistribution")
    self.a = a
    self.b = b
  }

  /// The corresponding GSL function is `gsl_cdf_beta_P`.
  public func cdf(_ x: Double) throws(DistributionError) -> Double {
    try calls.probability("gsl_cdf_beta_P", x) { gsl_cdf_beta_P(min(max($0, 0), 1), a, b) }
  }
  /// The corresponding GSL function is `gsl_cdf_beta_Q`.
  public func survival(_ x: Double) throws(DistributionError) -> Double {
    try calls.probability("gsl_cdf_beta_Q", x) { gsl_cdf_beta_Q(min(max($0, 0), 1), a, b) }
  }
  /// The corresponding GSL function is `gsl_cdf_beta_Pinv`.
  public func quantile(_ p: Double) throws(DistributionError) -> Double {
    try calls.quantile("gsl_cdf_beta_Pinv", p, upperTail: false) { gsl_cdf_beta_Pinv($0, a, b) }
  }
  /// The corresponding GSL function is `gsl_cdf_beta_Qinv`.
  public func upperQuantile(_ q: Double) throws(DistributionError) -> Double {
    try calls.quantile("gsl_cdf_beta_Qinv", q, upperTail: true) { gsl_cdf_beta_Qinv($0, a, b) }
  }
  /// The corresponding GSL function is `gsl_ran_beta_pdf`.
  public func pdf(_ x: Double) throws(DistributionError) -> Double {
    try calls.probability("gsl_ran_beta_pdf", x) { gsl_ran_beta_pdf($0, a, b) }
  }
}
