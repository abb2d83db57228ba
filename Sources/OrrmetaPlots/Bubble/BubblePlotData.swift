// SPDX-License-Identifier: GPL-3.0-or-later

/// What a bubble plot draws (metafor `regplot`): each cohort's observed proportion against a
/// continuous moderator, with an area proportional to its weight in the meta-regression, and
/// the predicted proportion with its confidence band along the moderator.
package struct BubblePlotData: Sendable, Hashable {
  /// One cohort.
  package struct Point: Sendable, Hashable {
    package var label: String
    /// The moderator value.
    package var x: Double
    /// The observed proportion (events / n).
    package var proportion: Double
    /// The weight in the meta-regression, in percent (1/(vᵢ + τ̂²), normalised).
    package var weight: Double
    package init(label: String, x: Double, proportion: Double, weight: Double) {
      self.label = label; self.x = x; self.proportion = proportion; self.weight = weight
    }
  }
  /// The predicted proportion at a moderator value, with its CI.
  package struct Prediction: ProportionIntervalCarrying, Sendable, Hashable {
    package var x: Double
    /// The predicted proportion with its CI.
    package var interval: EstimateInterval
    package init(x: Double, proportion: Double, ciLower: Double, ciUpper: Double) {
      self.x = x; self.interval = EstimateInterval(proportion, lower: ciLower, upper: ciUpper)
    }
  }
  package var title: String?
  package var points: [Point]
  /// Predictions on a grid over the moderator's range, in ascending order.
  package var curve: [Prediction]
  /// The moderator column (the x-axis title).
  package var moderator: String
  package var levelPercent: Double
  package var footnote: String?
  package init(title: String? = nil, points: [Point], curve: [Prediction], moderator: String, levelPercent: Double, footnote: String? = nil) {
    self.title = title; self.points = points; self.curve = curve; self.moderator = moderator
    self.levelPercent = levelPercent; self.footnote = footnote
  }
}
