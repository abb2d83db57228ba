// SPDX-License-Identifier: GPL-3.0-or-later

/// An estimate of the between-cohort variance τ², with how it was reached.
public struct TauSquaredEstimate: Sendable, Hashable {
  /// τ̂² (≥ 0; 0 for EE).
  public var tau2: Double
  /// The standard error of τ̂² as metafor computes it (`se.tau2`); NaN where undefined (EE, k = 1).
  public var standardError: Double
  /// Whether the iteration converged (always true for closed-form estimators).
  public var converged: Bool
  /// Fisher-scoring or root-finding iterations (0 for closed-form estimators).
  public var iterations: Int
  /// Whether the unconstrained estimate was negative and was truncated to 0.
  public var truncatedAtZero: Bool
  /// Whether metafor's log-likelihood check reset τ̂² to 0.
  public var resetByLogLikelihoodCheck: Bool
  /// PM under `--convergence metafor`: the root lies beyond metafor's `tau2.max`, where
  /// metafor stops with "Value of 'tau2.max' too low"; orrmeta searched further.
  public var beyondMetaforSearchRange = false

  /// Creates an estimate.
  public init(
    tau2: Double, standardError: Double, converged: Bool = true, iterations: Int = 0,
    truncatedAtZero: Bool = false, resetByLogLikelihoodCheck: Bool = false
  ) {
    self.tau2 = tau2; self.standardError = standardError; self.converged = converged; self.iterations = iterations
    self.truncatedAtZero = truncatedAtZero; self.resetByLogLikelihoodCheck = resetByLogLikelihoodCheck
  }
}
