// SPDX-License-Identifier: GPL-3.0-or-later

/// Everything a forest plot shows, as plain numbers on the proportion scale (0–1).
///
/// The renderer (``ForestPlot``) only draws; the numbers come from the analysis (see
/// ``ForestPlotData/init(analysis:commonEffect:title:)`` and
/// ``ForestPlotData/init(subgrouped:groups:commonEffect:groupColumn:title:)``), or from a test.
package struct ForestPlotData: Sendable, Hashable {
  /// One cohort: label, counts, observed proportion with its CI, and weight.
  package struct Row: ProportionIntervalCarrying, Sendable, Hashable {
    /// The cohort label.
    package var label: String
    /// Responders xᵢ of patients nᵢ.
    package var count: EventCount
    /// xᵢ/nᵢ with its CI (0–1).
    package var interval: EstimateInterval
    /// Weight in percent in the plotted model (NaN when there is none); the box area is
    /// proportional to it.
    package var weight: Double

    /// Creates a row.
    package init(label: String, events: Int, total: Int, proportion: Double, ciLower: Double, ciUpper: Double, weight: Double) {
      self.label = label; self.count = EventCount(events, of: total)
      self.interval = EstimateInterval(proportion, lower: ciLower, upper: ciUpper); self.weight = weight
    }
  }

  /// Which model a diamond summarises (sets its colour and CSS class).
  package enum SummaryKind: String, Sendable, Hashable {
    /// The common-effect (EE) model.
    case common
    /// A random-effects model.
    case random
    /// Simple pooling Σx/Σn.
    case simple
  }

  /// A pooled estimate drawn as a diamond.
  package struct Summary: ProportionIntervalCarrying, Sendable, Hashable {
    /// The row label (e.g. "Random-effects model (REML)").
    package var label: String
    /// The model.
    package var kind: SummaryKind
    /// The pooled proportion with its CI (0–1).
    package var interval: EstimateInterval
    /// Σ weights of the cohorts it covers, percent (nil: not shown).
    package var weight: Double?
    /// Σ events of Σ n it covers (nil: not shown).
    package var count: EventCount?

    /// Creates a summary.
    package init(label: String, kind: SummaryKind, proportion: Double, ciLower: Double, ciUpper: Double, weight: Double? = nil, events: Int? = nil, total: Int? = nil) {
      self.label = label; self.kind = kind; self.interval = EstimateInterval(proportion, lower: ciLower, upper: ciUpper)
      self.weight = weight; self.count = .given(events, of: total)
    }
  }

  /// A Q test: Cochran's Q, its degrees of freedom and P(χ²_df > Q).
  package struct QTest: Sendable, Hashable {
    /// Cochran's Q.
    package var q: Double
    /// Degrees of freedom of Q.
    package var degreesOfFreedom: Int
    /// P(χ²_df > Q).
    package var pValue: Double

    /// Creates the test's numbers.
    package init(q: Double, degreesOfFreedom: Int, pValue: Double) {
      self.q = q; self.degreesOfFreedom = degreesOfFreedom; self.pValue = pValue
    }
  }

  /// The heterogeneity line: "I² = …, τ² = …, Q = … (df = …), p …". NaN parts are left out.
  package struct Heterogeneity: Sendable, Hashable {
    /// I² in percent.
    package var i2: Double
    /// τ̂².
    package var tau2: Double
    /// The Q test of heterogeneity.
    package var test: QTest

    /// Creates the line's numbers.
    package init(i2: Double, tau2: Double, q: Double, degreesOfFreedom: Int, pValue: Double) {
      self.i2 = i2; self.tau2 = tau2; self.test = QTest(q: q, degreesOfFreedom: degreesOfFreedom, pValue: pValue)
    }
  }

  /// The test for subgroup differences.
  package typealias SubgroupTest = QTest

  /// A block of rows: a subgroup (with a title, its diamond and heterogeneity) or, without
  /// subgroups, all cohorts (no title, no summaries).
  package struct Block: Sendable, Hashable {
    /// The block title (e.g. "line = naive"); nil without subgroups.
    package var title: String?
    /// The cohorts.
    package var rows: [Row]
    /// The block's diamonds.
    package var summaries: [Summary]
    /// The block's heterogeneity line.
    package var heterogeneity: Heterogeneity?

    /// Creates a block.
    package init(title: String? = nil, rows: [Row], summaries: [Summary] = [], heterogeneity: Heterogeneity? = nil) {
      self.title = title; self.rows = rows; self.summaries = summaries; self.heterogeneity = heterogeneity
    }
  }

  /// A title above the plot (e.g. the file name).
  package var title: String?
  /// The cohorts, in blocks.
  package var blocks: [Block]
  /// The overall diamonds (common-effect first, then the random-effects or other model).
  package var overall: [Summary]
  /// The prediction interval of the random-effects model (drawn as a bar), if any.
  package var predictionInterval: ClosedRange<Double>?
  /// The overall heterogeneity line.
  package var heterogeneity: Heterogeneity?
  /// The test for subgroup differences.
  package var subgroupTest: SubgroupTest?
  /// The confidence level in percent (column header "95% CI").
  package var levelPercent: Double
  /// The x-axis title.
  package var axisTitle: String
  /// A note under the axis (the methods).
  package var footnote: String?
  /// The value of the dashed vertical reference line (the main pooled estimate).
  package var referenceLine: Double?

  /// Creates the data.
  package init(
    title: String? = nil, blocks: [Block], overall: [Summary] = [], predictionInterval: ClosedRange<Double>? = nil,
    heterogeneity: Heterogeneity? = nil, subgroupTest: SubgroupTest? = nil, levelPercent: Double = 95,
    axisTitle: String = "Proportion (%)", footnote: String? = nil, referenceLine: Double? = nil
  ) {
    self.title = title; self.blocks = blocks; self.overall = overall; self.predictionInterval = predictionInterval
    self.heterogeneity = heterogeneity; self.subgroupTest = subgroupTest; self.levelPercent = levelPercent
    self.axisTitle = axisTitle; self.footnote = footnote; self.referenceLine = referenceLine
  }

  /// Number of cohort rows.
  package var rowCount: Int { blocks.reduce(0) { $0 + $1.rows.count } }
}
