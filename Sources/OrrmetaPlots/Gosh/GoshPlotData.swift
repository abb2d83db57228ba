// SPDX-License-Identifier: GPL-3.0-or-later

/// The subset fits of a GOSH analysis (Olkin et al. 2012; metafor `gosh`): for each subset of
/// cohorts, the pooled estimate (x) and I² in percent (y). Up to millions of points; the plot
/// draws their density, not the points. The numbers come from the sensitivity analyses.
package struct GoshPlotData: Sendable, Hashable {
  /// The full model's point (marked with a cross).
  package struct Marker: Sendable, Hashable {
    /// The pooled estimate (x).
    package var estimate: Double
    /// I² in percent.
    package var i2: Double

    /// Creates a marker.
    package init(estimate: Double, i2: Double) {
      self.estimate = estimate; self.i2 = i2
    }
  }

  /// A title above the plot.
  package var title: String?
  /// The subsets' pooled estimates (NaN for failed fits, which are left out and counted).
  package var estimates: [Double]
  /// The subsets' I² in percent, one per estimate.
  package var i2: [Double]
  /// The model with all cohorts.
  package var fullModel: Marker?
  /// The x-axis title (e.g. "Pooled proportion (%)").
  package var xTitle: String
  /// x-axis ticks (nil: round numbers); ticks outside the data range are dropped.
  package var xTicks: [AxisTick]?
  /// A note under the plot.
  package var footnote: String?

  /// Creates the data.
  package init(
    title: String? = nil, estimates: [Double], i2: [Double], fullModel: Marker? = nil, xTitle: String,
    xTicks: [AxisTick]? = nil, footnote: String? = nil
  ) {
    self.title = title; self.estimates = estimates; self.i2 = i2; self.fullModel = fullModel; self.xTitle = xTitle
    self.xTicks = xTicks; self.footnote = footnote
  }
}
