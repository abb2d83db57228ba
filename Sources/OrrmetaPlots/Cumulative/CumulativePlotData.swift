// SPDX-License-Identifier: GPL-3.0-or-later

/// A cumulative meta-analysis (metafor `cumul`) as plain numbers: step j is the model fitted to
/// the first j cohorts, labelled by the cohort added; proportions on the 0–1 scale.
package struct CumulativePlotData: Sendable, Hashable {
  /// One step.
  package struct Step: Sendable, Hashable {
    /// The cohort added at this step.
    package var label: String
    /// The pooled proportion of the first j cohorts, with its CI.
    package var proportion: Double
    /// Lower confidence bound (0–1).
    package var ciLower: Double
    /// Upper confidence bound (0–1).
    package var ciUpper: Double
    /// τ̂² and I² (percent) after this step (NaN: not shown).
    package var tau2: Double
    /// I² in percent.
    package var i2: Double

    /// Creates a step.
    package init(label: String, proportion: Double, ciLower: Double, ciUpper: Double, tau2: Double = .nan, i2: Double = .nan) {
      self.label = label; self.proportion = proportion; self.ciLower = ciLower; self.ciUpper = ciUpper; self.tau2 = tau2
      self.i2 = i2
    }
  }

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
