// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGSL

/// The χ² distribution with ν degrees of freedom.
///
/// Used for Cochran's Q test (`pchisq(Q, k−1, lower=FALSE)`) and the Q-profile CI for τ².
public struct ChiSquared: ContinuousDistribution, Hashable {
  /// Degrees of freedom ν > 0.
  public let degreesOfFreedom: Double
  private static var calls: ContinuousCalls { ContinuousCalls(name: "ChiSquared", lower: 0, upper: .infinity) }

  /// - Throws: when ν is not finite and positive.
  public init(degreesOfFreedom: Double) throws(DistributionError) {
    self.degreesOfFreedom = try Self.calls.positiveFinite(degreesOfFreedom, name: "degreesOfFreedom")
  }

  /// The corresponding GSL function is `gsl_cdf_chisq_P`.
  public func cdf(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_cdf_chisq_P", x) { gsl_cdf_chisq_P(max($0, 0), degreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_chisq_Q`.
  public func survival(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_cdf_chisq_Q", x) { gsl_cdf_chisq_Q(max($0, 0), degreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_chisq_Pinv`; its answer is checked against
  /// ``cdf(_:)`` and, where it does not check out (NaN from ν ≈ 10⁶), the CDF is inverted by
  /// Brent's method.
  public func quantile(_ p: Double) throws(DistributionError) -> Double {
    try Self.calls.quantile(
      "gsl_cdf_chisq_Pinv", p, upperTail: false, start: degreesOfFreedom,
      scale: (2 * degreesOfFreedom).squareRoot(), tail: { (x: Double) throws(DistributionError) in try cdf(x) }
    ) { gsl_cdf_chisq_Pinv($0, degreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_chisq_Qinv`, checked and replaced as in
  /// ``quantile(_:)``: it is wrong from ν ≈ 5·10⁴ (132864.87 for ν = 99999, where R's `qchisq`
  /// gives 100877.41), which made the Q-profile CI of τ² wrong for k ≳ 5·10⁴ cohorts.
  public func upperQuantile(_ q: Double) throws(DistributionError) -> Double {
    try Self.calls.quantile(
      "gsl_cdf_chisq_Qinv", q, upperTail: true, start: degreesOfFreedom,
      scale: (2 * degreesOfFreedom).squareRoot(), tail: { (x: Double) throws(DistributionError) in try survival(x) }
    ) { gsl_cdf_chisq_Qinv($0, degreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_ran_chisq_pdf`.
  public func pdf(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_ran_chisq_pdf", x) { gsl_ran_chisq_pdf($0, degreesOfFreedom) }
  }
}
