// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// A reported ratio (e.g. a hazard ratio) with its Wald-type confidence interval on the log
/// scale, as "HR 0.20 (95% CI 0.12–0.33)".
public struct ReportedRatio: Sendable, Hashable {
  /// The ratio (> 0).
  public var estimate: Double
  /// The CI bounds (0 < lower ≤ upper).
  public var lower: Double
  public var upper: Double
  /// The level of the reported interval.
  public var level: ConfidenceLevel

  /// Creates a reported ratio; checked by ``logScale()``.
  public init(estimate: Double, lower: Double, upper: Double, level: ConfidenceLevel = .ninetyFive) {
    self.estimate = estimate; self.lower = lower; self.upper = upper; self.level = level
  }

  /// The share of the CI width by which the estimate may sit off the interval's midpoint (on
  /// the log scale) before ``isAsymmetric`` flags it: metafor `conv.wald`'s `cifac = 0.1`.
  public static let asymmetryTolerance = 0.1

  /// yᵢ = ln(estimate), vᵢ = ((ln ub − ln lb)/(2 z))², z = Φ⁻¹(1 − α/2), and whether the estimate
  /// is off the midpoint: |(ln ub + ln lb)/2 − yᵢ| / (ln ub − ln lb) > 0.1 — metafor's
  /// `conv.wald(out, ci.lb, ci.ub, level, transf = log)` and its `check`.
  /// - Throws: ``MetaAnalysisError/invalidStudy(label:reason:)`` (label "") for a ratio or bound
  ///   that is not a positive finite number, lower > upper or a zero-width interval.
  public func logScale() throws(MetaAnalysisError) -> (yi: Double, vi: Double, asymmetric: Bool) {
    for (name, x) in [("ratio", estimate), ("CI lower bound", lower), ("CI upper bound", upper)] where !(x > 0 && x.isFinite) {
      throw .invalidStudy(label: "", reason: "\(name) \(x) is not a positive, finite number")
    }
    guard lower <= upper else {
      throw .invalidStudy(label: "", reason: "CI lower bound \(lower) is greater than the upper bound \(upper)")
    }
    guard lower < upper else {
      throw .invalidStudy(label: "", reason: "the CI [\(lower), \(upper)] has zero width: no standard error")
    }
    let alpha = level.alpha
    let z = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(alpha / 2) }
    let y = Double.log(estimate), lb = Double.log(lower), ub = Double.log(upper)
    let se = (ub - lb) / (2 * z)
    let off = abs((ub + lb) / 2 - y) / (ub - lb)
    return (y, se * se, off > Self.asymmetryTolerance)
  }
}
