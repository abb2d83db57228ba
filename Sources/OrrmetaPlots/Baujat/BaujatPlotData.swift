// SPDX-License-Identifier: GPL-3.0-or-later

/// The coordinates of a Baujat plot (Baujat et al. 2002; metafor `baujat`): for each cohort, its
/// contribution to the overall heterogeneity (x) and its influence on the pooled estimate (y).
/// The numbers come from the sensitivity analyses; this type only carries them.
package struct BaujatPlotData: Sendable, Hashable {
  /// One cohort.
  package struct Point: Sendable, Hashable {
    /// The cohort label.
    package var label: String
    /// Contribution to the overall heterogeneity, (yᵢ − μ̂)² / (vᵢ + τ̂²).
    package var x: Double
    /// Influence on the pooled estimate, (μ̂₍₋ᵢ₎ − μ̂)² / v̂₍₋ᵢ₎.
    package var y: Double

    /// Creates a point.
    package init(label: String, x: Double, y: Double) {
      self.label = label; self.x = x; self.y = y
    }
  }

  /// A title above the plot.
  package var title: String?
  /// The cohorts.
  package var points: [Point]
  /// A note under the plot.
  package var footnote: String?

  /// Creates the data.
  package init(title: String? = nil, points: [Point], footnote: String? = nil) {
    self.title = title; self.points = points; self.footnote = footnote
  }
}
