// SPDX-License-Identifier: GPL-3.0-or-later

/// The sensitivity analyses, named by the metafor function each reproduces, and the one rule
/// of which model supports which of them.
///
/// Everything that lists or allows analyses is derived from this enum: the flags of
/// `orrmeta sensitivity` and their validation, the `analyses` of a batch spec, the
/// report's sections and the batch fingerprint. A new analysis adds a case here and its
/// row in ``supports(method:)`` and ``supportsClusters``; the command line and the batch spec
/// then accept it for exactly the same models.
public enum SensitivityAnalysisKind: String, CaseIterable, Sendable, Hashable, Codable {
  /// The model without each cohort (metafor `leave1out`).
  case leaveOneOut = "leave1out"
  /// Case-deletion diagnostics and Baujat coordinates (metafor `influence`, `baujat`).
  case influence
  /// Cumulative meta-analysis (metafor `cumul`).
  case cumulative = "cumul"
  /// Small-study tests: Egger's and Peters' regression tests and Begg's rank correlation
  /// (metafor `regtest`, `ranktest`).
  case bias = "regtest"
  /// Trim-and-fill (metafor `trimfill`).
  case trimFill = "trimfill"
  /// The model on subsets of the cohorts (metafor `gosh`).
  case gosh
  /// Percentile CIs from resampling the cohorts (no metafor function: `boot` on `rma`).
  case bootstrap = "boot"

  /// Whether the analysis is defined for a model fitted with `method`.
  ///
  /// The inverse-variance methods (EE and the τ² estimators) support every analysis: each
  /// refits the inverse-variance model on changed data. The GLMM supports the analyses that
  /// only refit the model on a subset of the cohorts (leave-one-out and cumulative; each refit
  /// is a maximum-likelihood GLMM, as metafor's `leave1out`/`cumul` of an `rma.glmm` fit);
  /// the others need weights, residuals or a funnel of an inverse-variance fit. Simple
  /// pooling has no model to refit and supports none.
  public func supports(method: PoolingMethod) -> Bool {
    switch method {
    case .pooled: return false
    case .GLMM: return self == .leaveOneOut || self == .cumulative
    case .EE, .DL, .HE, .HS, .SJ, .ML, .REML, .EB, .PM: return true
    }
  }

  /// Whether the analysis has a three-level (cohorts nested in clusters) version: every one
  /// but trim-and-fill, whose funnel has no cluster analogue.
  public var supportsClusters: Bool { self != .trimFill }

  /// The analyses `--all` selects: every one but GOSH and the bootstrap (the resampling ones,
  /// which take a size and a seed).
  public static let selectedByAll: [SensitivityAnalysisKind] = [.leaveOneOut, .influence, .cumulative, .bias, .trimFill]
}
