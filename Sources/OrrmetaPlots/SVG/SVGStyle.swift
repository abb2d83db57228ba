// SPDX-License-Identifier: GPL-3.0-or-later

/// Fonts and colours shared by every plot (presentation attributes, so that a standalone SVG
/// looks the same in a browser, in librsvg and inlined in the HTML report).
enum SVGStyle {
  static let fontFamily = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif"
  static let fontSize = 12.0
  static let smallFontSize = 10.5
  static let titleFontSize = 14.0

  static let ink = "#1a1a1a"
  /// The one accent colour: what a plot sets apart from its data (the prediction interval, the
  /// trim-and-fill cohorts and estimate, the full model in GOSH, a reference value).
  static let accent = "#c0392b"
  static let muted = "#5a5a5a"
  static let grid = "#d9d9d9"
  static let cohort = "#34495e"
  /// Confidence intervals are drawn in the text colour.
  static let ciLine = ink
  static let common = "#8c8c8c"
  static let random = "#1f4e79"
  static let subgroup = "#4f81bd"
  static let prediction = accent
  static let reference = "#7f7f7f"
  static let imputed = accent
  static let highlight = accent
  /// Contour shades of the contour-enhanced funnel, from the outermost region (smallest p) in.
  static let contourShades = ["#a6a6a6", "#c4c4c4", "#e0e0e0", "#f2f2f2"]
  /// The density ramp (light to dark) for GOSH bins.
  static let densityRamp: [(Double, Double, Double)] = [
    (0.871, 0.922, 0.969), (0.620, 0.792, 0.882), (0.259, 0.573, 0.776), (0.129, 0.443, 0.710),
    (0.031, 0.188, 0.420),
  ]
}
