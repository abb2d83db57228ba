// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import MetaProportion

/// Everything a funnel plot shows, on the model's (transformed) scale: each cohort's outcome
/// yᵢ against its standard error √vᵢ, the pooled estimate with its pseudo-confidence region,
/// optional significance contours (contour-enhanced funnel) and optional trim-and-fill
/// imputed cohorts.
package struct FunnelPlotData: Sendable, Hashable {
  /// A cohort (observed or imputed): its outcome and standard error on the model scale.
  package struct Point: Sendable, Hashable {
    /// The cohort label (tooltip).
    package var label: String
    /// yᵢ.
    package var effect: Double
    /// √vᵢ.
    package var standardError: Double

    /// The point of an outcome yᵢ with its sampling variance vᵢ (drawn at SE = √vᵢ).
    package init(label: String, yi: Double, vi: Double) {
      self.label = label; effect = yi; standardError = vi.squareRoot()
    }

    /// The cohorts trim-and-fill imputed (labelled "filled 1", "filled 2", …).
    package static func filled(_ tf: TrimAndFillResult) -> [Point] {
      zip(tf.filledYi, tf.filledVi).enumerated().map { i, p in Point(label: "filled \(i + 1)", yi: p.0, vi: p.1) }
    }
  }

  /// A significance contour: the region `centre ± critical · SE` of a two-sided test at
  /// `levelPercent` (e.g. 95 % → critical 1.96).
  package struct Contour: Sendable, Hashable {
    /// The level in percent.
    package var levelPercent: Double
    /// The two-sided normal critical value z₁₋α/₂ of that level.
    package var critical: Double

    /// The contour of a level; nil when the level has no normal quantile (outside 0–100 %).
    package init?(levelPercent: Double) {
      guard let z = Self.critical(levelPercent: levelPercent) else { return nil }
      self.levelPercent = levelPercent; critical = z
    }

    /// z₁₋α/₂ of a two-sided level in percent (also the pseudo-confidence region's critical value).
    package static func critical(levelPercent: Double) -> Double? {
      try? Normal.standard.upperQuantile((1 - levelPercent / 100) / 2)
    }
  }

  /// A title above the plot.
  package var title: String?
  /// The cohorts.
  package var points: [Point]
  /// Cohorts imputed by trim-and-fill (drawn as open circles), empty when not requested.
  package var imputed: [Point]
  /// The pooled estimate (vertical line, apex of the pseudo-confidence region).
  package var estimate: Double
  /// The trim-and-fill adjusted estimate (dashed line), if any.
  package var adjustedEstimate: Double?
  /// The critical value of the pseudo-confidence region `estimate ± critical · SE` (nil: none).
  package var pseudoConfidenceCritical: Double?
  /// The confidence level of that region, in percent.
  package var levelPercent: Double
  /// Significance contours (empty: a plain funnel), any order.
  package var contours: [Contour]
  /// The value the contours are centred on (the null hypothesis on the model scale).
  package var contourCentre: Double
  /// What the centre is, in words, for the legend (e.g. "null 50%").
  package var contourCentreLabel: String?
  /// The x-axis title.
  package var xTitle: String
  /// The x-axis ticks (nil: round numbers on the model scale).
  package var xTicks: [AxisTick]?
  /// A note under the plot.
  package var footnote: String?

  /// Creates the data.
  package init(
    title: String? = nil, points: [Point], imputed: [Point] = [], estimate: Double,
    adjustedEstimate: Double? = nil, pseudoConfidenceCritical: Double? = nil, levelPercent: Double = 95,
    contours: [Contour] = [], contourCentre: Double = 0, contourCentreLabel: String? = nil,
    xTitle: String, xTicks: [AxisTick]? = nil, footnote: String? = nil
  ) {
    self.title = title; self.points = points; self.imputed = imputed; self.estimate = estimate
    self.adjustedEstimate = adjustedEstimate; self.pseudoConfidenceCritical = pseudoConfidenceCritical
    self.levelPercent = levelPercent; self.contours = contours; self.contourCentre = contourCentre
    self.contourCentreLabel = contourCentreLabel; self.xTitle = xTitle; self.xTicks = xTicks; self.footnote = footnote
  }
}
