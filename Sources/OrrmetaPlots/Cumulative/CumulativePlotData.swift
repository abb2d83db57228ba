// SPDX-License-Identifier: GPL-3.0-or-later

/// A cumulative meta-analysis (metafor `cumul`) as plain numbers: step j is the model fitted to
/// the first j cohorts, labelled by the cohort added; proportions on the 0–1 scale.
public struct CumulativePlotData: Sendable, Hashable {
  /// One step.
  public struct Step: Sendable, Hashable {
    /// The cohort added at this step.
    public var label: String
    /// The pooled proportion of the first j cohorts, with its CI.
    public var proportion: Double
    /// Lower confidence bound (0–1).
    public var ciLower: Double
    /// Upper confidence bound (0–1).
    public var ciUpper: Double
    /// τ̂² and I² (percent) after this step (NaN: not shown).
    public var tau2: Double
    /// I² in percent.
    public var i2: Double

    /// Creates a step.
    public init(label: String, proportion: Double, ciLower: Double, ciUpper: Double, tau2: Double = .nan, i2: Double = .nan) {
      self.label = label
      self.proportion = proportion
      self.ciLower = ciLower
      self.ciUpper = ciUpper
      self.tau2 = tau2
      self.i2 = i2
    }
  }

  /// A title above the plot.
  public var title: String?
  /// The steps, in order.
  public var steps: [Step]
  /// The confidence level in percent.
  public var levelPercent: Double
  /// The x-axis title.
  public var axisTitle: String
  /// A note under the axis (order, methods).
  public var footnote: String?

  /// Creates the data.
  public init(title: String? = nil, steps: [Step], levelPercent: Double = 95, axisTitle: String = "Proportion (%)", footnote: String? = nil) {
    self.title = title
    self.steps = steps
    self.levelPercent = levelPercent
    self.axisTitle = axisTitle
    self.footnote = footnote
  }
}
