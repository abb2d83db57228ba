// SPDX-License-Identifier: GPL-3.0-or-later

/// How the ML, REML and EB estimates of τ² are iterated (``FitControl/algorithm``).
///
/// Both start at metafor's value (max(0, τ̂²_HE)), halve a step that would make τ² negative, stop
/// when |Δτ²| < ``FitControl/threshold`` and end with metafor's log-likelihood check; both find
/// the same root of the estimating equation. They differ in the step:
public enum LikelihoodAlgorithm: String, Sendable, Hashable, CaseIterable, Codable {
  /// metafor's Fisher scoring, step by step: Δ = (YᵀPPY − Σw)/Σw² (ML),
  /// (YᵀPPY − tr P)/tr PP (REML), (YᵀPY·k/(k−1) − k)/Σw (EB). Converges linearly: at a tight
  /// threshold it can take tens of iterations.
  case fisherScoring
  /// Newton steps with the exact second derivative: Δ = (YᵀPPY − Σw)/(2YᵀPPPY − Σw²) (ML),
  /// (YᵀPPY − tr P)/(2YᵀPPPY − tr PP) (REML), (YᵀPY − (k−1))/YᵀPPY (EB); the Fisher-scoring
  /// step wherever the curvature is not negative (the log-likelihood not concave there).
  /// Converges quadratically near the root: a handful of iterations at any threshold.
  case newton
}
