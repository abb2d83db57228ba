// SPDX-License-Identifier: GPL-3.0-or-later

/// An inverse-variance meta-analysis of median survival times, with the per-cohort outcomes it
/// pooled.
public struct MedianSurvivalResult: Sendable, Hashable {
  /// What was pooled.
  public var estimand: MedianSurvivalEstimand
  /// yᵢ per cohort, in input order (months, or the log ratio).
  public var yi: [Double]
  /// √vᵢ per cohort.
  public var sei: [Double]
  /// The random-effects fit on the scale of yᵢ (τ², Q, I², CI, PI).
  public var fit: ModelFit
  /// For ``MedianSurvivalEstimand/logRatio``, the pooled ratio of medians (exp of the fit).
  public var ratio: RatioScaleSummary?
  /// Warnings of the fit and of the input, in the order they arose.
  public var warnings: [AnalysisWarning]
}
