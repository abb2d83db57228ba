// SPDX-License-Identifier: GPL-3.0-or-later

/// Everything the forest plot of a two-arm comparison shows (`plot compare-forest`): per trial
/// both arms' counts (events/total, as meta's `forest` for `metabin` and metafor's `forest` for
/// `rma.mh`), the trial's effect with its CI and weight, the pooled diamonds, the prediction
/// interval and heterogeneity, on the reported scale (OR and RR drawn on a log axis, RD on a
/// linear one). The renderer (``ComparisonForestPlot``) only draws.
package struct ComparisonForestPlotData: Sendable, Hashable {
  /// One trial.
  package struct Row: EffectIntervalCarrying, Sendable, Hashable {
    package var label: String
    /// The arms' events of their patients.
    package var treat: EventCount
    package var control: EventCount
    /// The trial's effect on the reported scale with its CI (OR, RR or RD; NaN when undefined or dropped).
    package var interval: EstimateInterval
    /// Weight in percent (NaN when the method has none, e.g. GLMM).
    package var weight: Double
    /// Whether the trial has an outcome (false: dropped by drop00 or undefined).
    package var included: Bool

    package init(
      label: String, eventsTreat: Int, totalTreat: Int, eventsControl: Int, totalControl: Int, effect: Double,
      ciLower: Double, ciUpper: Double, weight: Double, included: Bool
    ) {
      self.label = label
      self.treat = EventCount(eventsTreat, of: totalTreat); self.control = EventCount(eventsControl, of: totalControl)
      self.interval = EstimateInterval(effect, lower: ciLower, upper: ciUpper)
      self.weight = weight; self.included = included
    }
  }

  /// A pooled effect drawn as a diamond, with the arms' totals it covers.
  package struct Summary: EffectIntervalCarrying, Sendable, Hashable {
    package var label: String
    package var kind: ForestPlotData.SummaryKind
    /// The pooled effect with its CI.
    package var interval: EstimateInterval
    /// Σ weights covered, percent (nil: not shown).
    package var weight: Double?
    /// Σ events of Σ totals of each arm (nil: not shown).
    package var treat: EventCount?
    package var control: EventCount?

    package init(
      label: String, kind: ForestPlotData.SummaryKind, effect: Double, ciLower: Double, ciUpper: Double,
      weight: Double? = nil, eventsTreat: Int? = nil, totalTreat: Int? = nil, eventsControl: Int? = nil,
      totalControl: Int? = nil
    ) {
      self.label = label; self.kind = kind
      self.interval = EstimateInterval(effect, lower: ciLower, upper: ciUpper)
      self.weight = weight
      self.treat = .given(eventsTreat, of: totalTreat); self.control = .given(eventsControl, of: totalControl)
    }
  }

  /// A block of trials: a subgroup (title, diamond, heterogeneity) or all trials.
  package struct Block: Sendable, Hashable {
    package var title: String?
    package var rows: [Row]
    package var summaries: [Summary]
    package var heterogeneity: ForestPlotData.Heterogeneity?

    package init(title: String? = nil, rows: [Row], summaries: [Summary] = [], heterogeneity: ForestPlotData.Heterogeneity? = nil) {
      self.title = title; self.rows = rows; self.summaries = summaries; self.heterogeneity = heterogeneity
    }
  }

  package var title: String?
  package var blocks: [Block]
  /// The overall diamonds (common effect first).
  package var overall: [Summary]
  /// The prediction interval on the reported scale, if the method has one.
  package var predictionInterval: ClosedRange<Double>?
  package var heterogeneity: ForestPlotData.Heterogeneity?
  /// The measure's abbreviation and name ("RR", "Risk ratio").
  package var measure: String
  package var measureName: String
  /// Whether the effect is a ratio (drawn on a log axis around 1) or a difference (linear, around 0).
  package var isRatio: Bool
  /// The arms' column headers.
  package var treatLabel: String
  package var controlLabel: String
  package var levelPercent: Double
  /// Decimals of the effects in the estimate column.
  package var decimals: Int
  /// A note under the axis (the methods).
  package var footnote: String?

  package init(
    title: String? = nil, blocks: [Block], overall: [Summary] = [], predictionInterval: ClosedRange<Double>? = nil,
    heterogeneity: ForestPlotData.Heterogeneity? = nil, measure: String, measureName: String, isRatio: Bool,
    treatLabel: String = "Treatment", controlLabel: String = "Control", levelPercent: Double = 95, decimals: Int = 2,
    footnote: String? = nil
  ) {
    self.title = title; self.blocks = blocks; self.overall = overall
    self.predictionInterval = predictionInterval; self.heterogeneity = heterogeneity
    self.measure = measure; self.measureName = measureName; self.isRatio = isRatio
    self.treatLabel = treatLabel; self.controlLabel = controlLabel
    self.levelPercent = levelPercent; self.decimals = min(4, max(0, decimals)); self.footnote = footnote
  }

  /// The null effect: 1 for ratios, 0 for the risk difference.
  package var nullEffect: Double { isRatio ? 1 : 0 }

}
