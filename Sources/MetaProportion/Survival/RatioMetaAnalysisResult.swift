// SPDX-License-Identifier: GPL-3.0-or-later

/// Pooled log ratios with the per-cohort log ratios and SEs.
public struct RatioMetaAnalysisResult: Sendable, Hashable {
  /// ln ratio per cohort, in input order.
  public var yi: [Double]
  /// SE of ln ratio per cohort.
  public var sei: [Double]
  /// Labels of the cohorts whose estimate is off the midpoint of its log CI.
  public var asymmetric: [String]
  /// The fit on the log scale.
  public var fit: ModelFit
  /// exp of the fit.
  public var ratio: RatioScaleSummary
  /// Warnings, in the order they arose.
  public var warnings: [AnalysisWarning]
}
