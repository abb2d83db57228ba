// SPDX-License-Identifier: GPL-3.0-or-later

/// How cohorts are pooled: an inverse-variance model with a τ² estimator (metafor codes), the
/// binomial-normal GLMM, or simple pooling of the counts.
public enum PoolingMethod: String, CaseIterable, Sendable, Codable {
  case EE, DL, HE, HS, SJ, ML, REML, EB, PM
  /// Random-intercept logistic model by maximum likelihood (metafor `rma.glmm`, measure PLO).
  case GLMM
  /// Σxᵢ/Σnᵢ with a binomial CI: ignores heterogeneity (always warned).
  case pooled

  /// The τ² estimator of an inverse-variance model, or nil for GLMM and simple pooling.
  public var tauSquaredMethod: TauSquaredMethod? { TauSquaredMethod(rawValue: rawValue) }

  /// Whether the model has a random effect.
  public var isRandomEffects: Bool {
    switch self {
    case .EE, .pooled: return false
    default: return true
    }
  }

  /// A readable name.
  public var name: String {
    switch self {
    case .GLMM: return "binomial-normal GLMM (random-intercept logistic model, ML)"
    case .pooled: return "simple pooling (sum of events / sum of n)"
    default: return tauSquaredMethod!.name
    }
  }
}
