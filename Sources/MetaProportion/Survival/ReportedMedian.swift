// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// A cohort's reported median survival time (e.g. the Kaplan–Meier median PFS in months) with
/// its confidence interval, as a trial publication gives it: "14.5 months (95% CI 11.9–NR)".
///
/// The interval is read as a Wald interval around the median (McGrath et al. 2025), which gives
/// the median's standard error (``standardError()``).
public struct ReportedMedian: Sendable, Hashable {
  /// The median (≥ 0).
  public var median: Double
  /// The lower bound of its confidence interval.
  public var lower: Double
  /// The upper bound, or nil when it was not reached (NR).
  public var upper: Double?
  /// The level of the reported interval.
  public var level: ConfidenceLevel

  /// Creates a reported median; checked by ``standardError()``.
  public init(median: Double, lower: Double, upper: Double?, level: ConfidenceLevel = .ninetyFive) {
    self.median = median; self.lower = lower; self.upper = upper; self.level = level
  }

  /// The standard error of the median from its interval, as metamedian's `metamedian_survival`
  /// (McGrath, Kimmelman, Ozturk, Steele, Benedetti 2025, arXiv:2503.03065):
  ///
  /// - both bounds reported: SE = (ub − lb) / (2 z), z = Φ⁻¹(1 − α/2) at the interval's level;
  /// - upper bound not reached: SE = (median − lb) / z (the half-width below the median).
  ///
  /// - Throws: ``MetaAnalysisError/invalidStudy(label:reason:)`` (label "") when a number is not
  ///   finite, the median is negative, lower > upper, or the SE is not positive (a zero-width
  ///   interval, or a lower bound at or above the median when the upper bound is not reached).
  public func standardError() throws(MetaAnalysisError) -> Double {
    guard median.isFinite, median >= 0 else {
      throw .invalidStudy(label: "", reason: "median \(median) is not a finite number >= 0")
    }
    guard lower.isFinite else { throw .invalidStudy(label: "", reason: "CI lower bound \(lower) is not a finite number") }
    let alpha = level.alpha
    let z = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(alpha / 2) }
    let se: Double
    if let upper {
      guard upper.isFinite else { throw .invalidStudy(label: "", reason: "CI upper bound \(upper) is not a finite number") }
      guard lower <= upper else {
        throw .invalidStudy(label: "", reason: "CI lower bound \(lower) is greater than the upper bound \(upper)")
      }
      se = (upper - lower) / (2 * z)
      guard se > 0 else {
        throw .invalidStudy(label: "", reason: "the CI [\(lower), \(upper)] has zero width: no standard error")
      }
    } else {
      se = (median - lower) / z
      guard se > 0 else {
        throw .invalidStudy(
          label: "", reason: "the upper bound is not reached and the lower bound \(lower) is not below the median \(median): no standard error")
      }
    }
    return se
  }

  /// Whether the median lies outside its own interval (a data-entry error more often than not).
  public var medianOutsideInterval: Bool {
    median < lower || (upper.map { median > $0 } ?? false)
  }
}
