// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGSL

/// Student's t distribution with ν degrees of freedom.
///
/// Used for Hartung–Knapp confidence intervals and prediction intervals (`qt(1−α/2, k−p)`).
public struct StudentT: ContinuousDistribution, Hashable {
  /// Degrees of freedom ν > 0 (need not be an integer).
  public let degreesOfFreedom: Double
  private static var calls: ContinuousCalls { ContinuousCalls(name: "StudentT", lower: -.infinity, upper: .infinity) }

  /// - Throws: when ν is not finite and positive.
  public init(degreesOfFreedom: Double) throws(DistributionError) {
    self.degreesOfFreedom = try Self.calls.positiveFinite(degreesOfFreedom, name: "degreesOfFreedom")
  }

  /// The corresponding GSL function is `gsl_cdf_tdist_P`.
  public func cdf(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_cdf_tdist_P", x) { gsl_cdf_tdist_P($0, degreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_tdist_Q`.
  public func survival(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_cdf_tdist_Q", x) { gsl_cdf_tdist_Q($0, degreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_tdist_Pinv`; its answer is checked against
  /// ``cdf(_:)`` and, if it does not check out, the CDF is inverted by Brent's method.
  public func quantile(_ p: Double) throws(DistributionError) -> Double {
    try Self.calls.quantile(
      "gsl_cdf_tdist_Pinv", p, upperTail: false, start: 0, scale: 1,
      tail: { (x: Double) throws(DistributionError) in try cdf(x) }
    ) { gsl_cdf_tdist_Pinv($0, degreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_tdist_Qinv` (checked as ``quantile(_:)``).
  public func upperQuantile(_ q: Double) throws(DistributionError) -> Double {
    try Self.calls.quantile(
      "gsl_cdf_tdist_Qinv", q, upperTail: true, start: 0, scale: 1,
      tail: { (x: Double) throws(DistributionError) in try survival(x) }
    ) { gsl_cdf_tdist_Qinv($0, degreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_ran_tdist_pdf`.
  public func pdf(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_ran_tdist_pdf", x) { gsl_ran_tdist_pdf($0, degreesOfFreedom) }
  }
}
