// SPDX-License-Identifier: GPL-3.0-or-later

/// The coordinates of a Baujat plot (Baujat et al. 2002; metafor `baujat`): for each cohort, its
/// contribution to the overall heterogeneity (x) and its influence on the pooled estimate (y).
/// The numbers come from the sensitivity analyses; this type only carries them.
public struct BaujatPlotData: Sendable, Hashable {
  /// One cohort.
  public struct Point: Sendable, Hashable {
    /// The cohort label.
    public var label: String
    /// Contribution to the overall heterogeneity, (yᵢ − μ̂)² / (vᵢ + τ̂²).
    public var x: Double
    /// Influence on the pooled estimate, (μ̂₍₋ᵢ₎ − μ̂)² / v̂₍₋ᵢ₎.
    public var y: Double

    /// Creates a point.
    public init(label: String, x: Double, y: Double) {
      self.label = label
      self.x = x
      self.y = y
    }
  }

  /// A title above the plot.
  public var title: String?
  /// The cohorts.
  public var points: [Point]
  /// A note under the plot.
  public var footnote: String?

  /// Creates the data.
  public init(title: String? = nil, points: [Point], footnote: String? = nil) {
    self.title = title
    self.points = points
    self.footnote = footnote
  }
}
