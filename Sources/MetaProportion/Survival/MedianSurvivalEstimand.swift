// SPDX-License-Identifier: GPL-3.0-or-later

/// What an inverse-variance meta-analysis of median survival times pools (metamedian's
/// `metamedian_survival(estimand =)`).
public enum MedianSurvivalEstimand: String, CaseIterable, Sendable, Codable {
  /// The median of one arm: yᵢ = mᵢ, vᵢ = SEᵢ² (metamedian `median_g1` / `median_g2`).
  case median
  /// The difference of medians, treatment − control: yᵢ = m₁ᵢ − m₂ᵢ, vᵢ = SE₁ᵢ² + SE₂ᵢ²
  /// (`difference_median`).
  case difference
  /// The log ratio of medians: yᵢ = ln m₁ᵢ − ln m₂ᵢ, vᵢ = SE₁ᵢ²/m₁ᵢ² + SE₂ᵢ²/m₂ᵢ² (delta method;
  /// `ratio_median`). Pooled on the log scale and back-transformed by exp.
  case logRatio = "log-ratio"

  /// Whether both arms are needed.
  public var needsBothArms: Bool { self != .median }

  /// A readable description.
  public var name: String {
    switch self {
    case .median: return "median survival time of one arm"
    case .difference: return "difference of median survival times (treatment - control)"
    case .logRatio: return "log ratio of median survival times (treatment / control), back-transformed by exp"
    }
  }
}
