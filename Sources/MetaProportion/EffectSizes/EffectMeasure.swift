// SPDX-License-Identifier: GPL-3.0-or-later

/// The scale on which single proportions are pooled, with metafor's `escalc` codes.
///
/// | code | yᵢ | vᵢ |
/// |---|---|---|
/// | PR  | p = x/n | p(1−p)/n |
/// | PLN | ln p | 1/x − 1/n |
/// | PLO | ln(x/(n−x)) | 1/x + 1/(n−x) |
/// | PAS | asin √p | 1/(4n) |
/// | PFT | ½[asin √(x/(n+1)) + asin √((x+1)/(n+1))] | 1/(4n+2) |
///
/// x and n are after the zero-cell correction (see ``ZeroCellRule``); PAS and PFT take no
/// correction by default. Reference: Viechtbauer (2010), metafor `escalc`.
public enum EffectMeasure: String, CaseIterable, Sendable, Codable {
  /// Raw proportion.
  case PR
  /// Log proportion.
  case PLN
  /// Logit (log odds).
  case PLO
  /// Arcsine square root.
  case PAS
  /// Freeman–Tukey double arcsine (metafor's ½-scaled version).
  case PFT

  /// A readable name.
  public var name: String {
    switch self {
    case .PR: return "raw proportion"
    case .PLN: return "log proportion"
    case .PLO: return "logit proportion"
    case .PAS: return "arcsine square-root proportion"
    case .PFT: return "Freeman-Tukey double arcsine proportion"
    }
  }

  /// The add value metafor uses when `add` is not given: ½ for PR, PLN, PLO; 0 for PAS and PFT.
  public var defaultAdd: Double {
    switch self {
    case .PR, .PLN, .PLO: return 0.5
    case .PAS, .PFT: return 0
    }
  }

  /// The back-transformation applied to pooled values on this scale.
  public var backTransformation: BackTransformation {
    switch self {
    case .PR: return .identity
    case .PLN: return .exp
    case .PLO: return .inverseLogit
    case .PAS: return .inverseArcsine
    case .PFT: return .inverseFreemanTukeyHarmonicMean
    }
  }
}
