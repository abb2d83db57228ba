// SPDX-License-Identifier: GPL-3.0-or-later

/// One cohort (or trial) of an inverse-variance meta-analysis of median survival times: the
/// reported median of the analysed arm, or of both arms of a two-arm trial.
public struct MedianSurvivalCohort: Sendable, Hashable {
  /// The cohort's name (for messages).
  public var label: String
  /// The treatment arm (metamedian's group 1), or the single arm analysed for the median.
  public var treatment: ReportedMedian
  /// The control arm (metamedian's group 2); needed for the difference and the log ratio.
  public var control: ReportedMedian?

  /// Creates a cohort.
  public init(label: String, treatment: ReportedMedian, control: ReportedMedian? = nil) {
    self.label = label; self.treatment = treatment; self.control = control
  }
}
