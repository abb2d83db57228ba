// SPDX-License-Identifier: GPL-3.0-or-later

/// A cumulative meta-analysis (metafor `cumul`) as plain numbers: step j is the model fitted to
/// the first j cohorts, labelled by the cohort added; proportions on the 0–1 scale.
package struct CumulativePlotData: Sendable, Hashable {
  /// One step: the model fitted to the first j cohorts, labelled by the cohort added.
  package typealias Step = RefitRow

  /// A title above the plot.
  package var title: String?
  /// The steps, in order.
  package var steps: [Step]
  /// The confidence level in percent.
  package var levelPercent: Double
  /// The x-axis title.
  package var axisTitle: String
  /// A note under the axis (order, methods).
  package var footnote: String?

  /// Creates the data.
  package init(title: String? = nil, steps: [Step], levelPercent: Double = 95, axisTitle: String = "Proportion (%)", footnote: String? = nil) {
    self.title = title; self.steps = steps; self.levelPercent = levelPercent; self.axisTitle = axisTitle
    self.footnote = footnote
  }
}
