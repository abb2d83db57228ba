// SPDX-License-Identifier: GPL-3.0-or-later

/// The model and, for random-effects models, the estimator of the between-cohort variance τ²,
/// with metafor's `rma(method=)` codes.
///
/// See `Docs/methods.md` for every formula and its reference.
public enum TauSquaredMethod: String, CaseIterable, Sendable, Codable {
  /// Equal-effects (common-effect) model: τ² = 0.
  case EE
  /// DerSimonian–Laird method of moments.
  case DL
  /// Hedges (variance component, unweighted method of moments).
  case HE
  /// Hunter–Schmidt.
  case HS
  /// Sidik–Jonkman (one step from τ₀² = Σ(yᵢ−ȳ)²/k).
  case SJ
  /// Maximum likelihood (Fisher scoring).
  case ML
  /// Restricted maximum likelihood (Fisher scoring); metafor's default.
  case REML
  /// Empirical Bayes (Morris); the same estimating equation as Paule–Mandel, solved by Fisher scoring.
  case EB
  /// Paule–Mandel: the τ² at which the generalised Q equals its expectation k − 1.
  case PM

  /// Whether the estimate comes from an iteration that can fail to converge.
  public var isIterative: Bool {
    switch self {
    case .ML, .REML, .EB, .PM: return true
    default: return false
    }
  }

  /// Whether this is a random-effects model (every method but EE).
  public var isRandomEffects: Bool { self != .EE }

  /// A readable name.
  public var name: String {
    switch self {
    case .EE: return "equal-effects (common-effect) model"
    case .DL: return "DerSimonian-Laird"
    case .HE: return "Hedges"
    case .HS: return "Hunter-Schmidt"
    case .SJ: return "Sidik-Jonkman"
    case .ML: return "maximum likelihood"
    case .REML: return "restricted maximum likelihood"
    case .EB: return "empirical Bayes"
    case .PM: return "Paule-Mandel"
    }
  }
}
