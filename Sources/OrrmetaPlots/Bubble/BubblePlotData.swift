// SPDX-License-Identifier: GPL-3.0-or-later

/// What a bubble plot draws (metafor `regplot`): each cohort's observed proportion against a
/// continuous moderator, with an area proportional to its weight in the meta-regression, and
/// the predicted proportion with its confidence band along the moderator.
public struct BubblePlotData: Sendable, Hashable {
  /// One cohort.
  public struct Point: Sendable, Hashable {
    public var label: String
    /// The moderator value.
    public var x: Double
    /// The observed proportion (events / n).
    public var proportion: Double
    /// The weight in the meta-regression, in percent (1/(vᵢ + τ̂²), normalised).
    public var weight: Double
    package init(label: String, x: Double, proportion: Double, weight: Double) {
      self.label = label; self.x = x; self.proportion = proportion; self.weight = weight
    }
  }
  /// The predicted proportion at a moderator value, with its CI.
  public struct Prediction: Sendable, Hashable {
    public var x: Double
    public var proportion: Double
    public var ciLower: Double
    public var ciUpper: Double
    package init(x: Double, proportion: Double, ciLower: Double, ciUpper: Double) {
      self.x = x; self.proportion = proportion; self.ciLower = ciLower; self.ciUpper = ciUpper
    }
  }
  public var title: String?
  public var points: [Point]
  /// Predictions on a grid over the moderator's range, in ascending order.
  public var curve: [Prediction]
  /// The moderator column (the x-axis title).
  public var moderator: String
  public var levelPercent: Double
  public var footnote: String?
  package init(title: String? = nil, points: [Point], curve: [Prediction], moderator: String, levelPercent: Double, footnote: String? = nil) {
    self.title = title; self.points = points; self.curve = curve; self.moderator = moderator
    self.levelPercent = levelPercent; self.footnote = footnote
  }
}
