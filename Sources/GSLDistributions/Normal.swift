// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGSL

/// The normal distribution N(μ, σ²).
///
/// ```
/// f(x) = exp(−(x−μ)²/(2σ²)) / (σ√(2π))
/// ```
public struct Normal: Sendable, Hashable {
  /// The mean μ.
  public let mean: Double
  /// The standard deviation σ > 0.
  public let standardDeviation: Double

  /// The standard normal distribution N(0, 1).
  public static let standard = Normal(uncheckedMean: 0, standardDeviation: 1)

  /// Creates N(mean, standardDeviation²).
  /// - Throws: ``DistributionError/invalidParameter(distribution:name:value:expected:)`` when σ is
  ///   not finite and positive or μ is not finite.
  public init(mean: Double = 0, standardDeviation: Double = 1) throws(DistributionError) {
    guard mean.isFinite else {
      throw .invalidParameter(distribution: "Normal", name: "mean", value: mean, expected: "a finite number")
    }
    try requirePositiveFinite(standardDeviation, name: "standardDeviation", distribution: "Normal")
    self.init(uncheckedMean: mean, standardDeviation: standardDeviation)
  }

  private init(uncheckedMean mean: Double, standardDeviation: Double) {
    self.mean = mean
    self.standardDeviation = standardDeviation
  }

  /// P(X ≤ x). The corresponding GSL function is `gsl_cdf_gaussian_P`.
  public func cdf(_ x: Double) throws(DistributionError) -> Double {
    try requireNotNaN(x, function: "Normal.cdf")
    return try checked("gsl_cdf_gaussian_P", allowInfinite: false) {
      gsl_cdf_gaussian_P(x - mean, standardDeviation)
    }
  }

  /// P(X > x), accurate in the upper tail. The corresponding GSL function is `gsl_cdf_gaussian_Q`.
  public func survival(_ x: Double) throws(DistributionError) -> Double {
    try requireNotNaN(x, function: "Normal.survival")
    return try checked("gsl_cdf_gaussian_Q") { gsl_cdf_gaussian_Q(x - mean, standardDeviation) }
  }

  /// The x with P(X ≤ x) = p; −∞ at p = 0 and +∞ at p = 1.
  /// The corresponding GSL function is `gsl_cdf_gaussian_Pinv`.
  public func quantile(_ p: Double) throws(DistributionError) -> Double {
    try requireProbability(p, function: "Normal.quantile")
    if p == 0 { return -.infinity }
    if p == 1 { return .infinity }
    return try checked("gsl_cdf_gaussian_Pinv") { mean + gsl_cdf_gaussian_Pinv(p, standardDeviation) }
  }

  /// The x with P(X > x) = q. The corresponding GSL function is `gsl_cdf_gaussian_Qinv`.
  public func upperQuantile(_ q: Double) throws(DistributionError) -> Double {
    try requireProbability(q, function: "Normal.upperQuantile")
    if q == 0 { return .infinity }
    if q == 1 { return -.infinity }
    return try checked("gsl_cdf_gaussian_Qinv") { mean + gsl_cdf_gaussian_Qinv(q, standardDeviation) }
  }

  /// The density f(x). The corresponding GSL function is `gsl_ran_gaussian_pdf`.
  public func pdf(_ x: Double) throws(DistributionError) -> Double {
    try requireNotNaN(x, function: "Normal.pdf")
    return try checked("gsl_ran_gaussian_pdf") { gsl_ran_gaussian_pdf(x - mean, standardDeviation) }
  }
}
