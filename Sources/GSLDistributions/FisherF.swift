// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGSL

/// The F distribution with ν₁ and ν₂ degrees of freedom.
///
/// Used for the omnibus moderator test under Hartung–Knapp (`pf(QM/m, m, k−p, lower=FALSE)`).
public struct FisherF: ContinuousDistribution, Hashable {
  /// Numerator degrees of freedom ν₁ > 0.
  public let numeratorDegreesOfFreedom: Double
  /// Denominator degrees of freedom ν₂ > 0.
  public let denominatorDegreesOfFreedom: Double
  private static var calls: ContinuousCalls { ContinuousCalls(name: "FisherF", lower: 0, upper: .infinity) }

  /// - Throws: when either degrees of freedom is not finite and positive.
  public init(numeratorDegreesOfFreedom: Double, denominatorDegreesOfFreedom: Double) throws(DistributionError) {
    self.numeratorDegreesOfFreedom = try Self.calls.positiveFinite(numeratorDegreesOfFreedom, name: "numeratorDegreesOfFreedom")
    self.denominatorDegreesOfFreedom = try Self.calls.positiveFinite(denominatorDegreesOfFreedom, name: "denominatorDegreesOfFreedom")
  }

  /// The corresponding GSL function is `gsl_cdf_fdist_P`.
  public func cdf(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_cdf_fdist_P", x) { gsl_cdf_fdist_P(max($0, 0), numeratorDegreesOfFreedom, denominatorDegreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_fdist_Q`.
  public func survival(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_cdf_fdist_Q", x) { gsl_cdf_fdist_Q(max($0, 0), numeratorDegreesOfFreedom, denominatorDegreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_fdist_Pinv`.
  public func quantile(_ p: Double) throws(DistributionError) -> Double {
    try Self.calls.quantile("gsl_cdf_fdist_Pinv", p, upperTail: false) { gsl_cdf_fdist_Pinv($0, numeratorDegreesOfFreedom, denominatorDegreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_cdf_fdist_Qinv`.
  public func upperQuantile(_ q: Double) throws(DistributionError) -> Double {
    try Self.calls.quantile("gsl_cdf_fdist_Qinv", q, upperTail: true) { gsl_cdf_fdist_Qinv($0, numeratorDegreesOfFreedom, denominatorDegreesOfFreedom) }
  }
  /// The corresponding GSL function is `gsl_ran_fdist_pdf`.
  public func pdf(_ x: Double) throws(DistributionError) -> Double {
    try Self.calls.probability("gsl_ran_fdist_pdf", x) { gsl_ran_fdist_pdf($0, numeratorDegreesOfFreedom, denominatorDegreesOfFreedom) }
  }
}
