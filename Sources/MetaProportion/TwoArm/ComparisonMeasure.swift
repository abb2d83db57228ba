// SPDX-License-Identifier: GPL-3.0-or-later

/// The scale on which two arms are compared, with metafor's `escalc` codes.
///
/// With p₁ = a/n₁, p₂ = c/n₂ (after the zero-cell correction, ``ZeroCellRule``):
///
/// | code | yᵢ | vᵢ |
/// |---|---|---|
/// | OR   | ln[p₁/(1−p₁)] − ln[p₂/(1−p₂)] | 1/a + 1/b + 1/c + 1/d |
/// | RR   | ln p₁ − ln p₂ | 1/a − 1/n₁ + 1/c − 1/n₂ |
/// | RD   | p₁ − p₂ | p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂ |
/// | PETO | (a − Eᵢ)/Vᵢ | 1/Vᵢ |
///
/// with Eᵢ = (a+c)n₁/N and Vᵢ = (a+c)(b+d)n₁n₂/(N²(N−1)), N = n₁ + n₂ (Yusuf et al. 1985).
/// Reference: Viechtbauer (2010), metafor `escalc`; Docs/compare.md.
public enum ComparisonMeasure: String, CaseIterable, Sendable, Codable {
  /// Log odds ratio.
  case OR
  /// Log risk (response-rate) ratio.
  case RR
  /// Risk (response-rate) difference.
  case RD
  /// Peto's one-step log odds ratio: the per-trial outcome of the Peto method (metafor's `PETO`).
  case PETO

  /// A readable name.
  public var name: String {
    switch self {
    case .OR: return "odds ratio"
    case .RR: return "risk ratio"
    case .RD: return "risk difference"
    case .PETO: return "Peto odds ratio"
    }
  }

  /// Whether the measure is a log ratio, reported exponentiated on the ratio scale.
  public var isRatio: Bool { self != .RD }

  /// The value of "no difference" on the model scale (0 for log ratios and for RD).
  public var null: Double { 0 }
}
