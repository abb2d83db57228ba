// SPDX-License-Identifier: GPL-3.0-or-later

/// One cohort's row in a result.
public struct StudyResult: Sendable, Hashable {
  public var label: String
  public var events: Int
  public var total: Int
  /// yᵢ on the measure's scale (after any correction).
  public var yi: Double
  /// vᵢ.
  public var vi: Double
  /// Whether the continuity correction was added.
  public var corrected: Bool
  /// xᵢ/nᵢ.
  public var proportion: Double
  /// The cohort's CI (``AnalysisSettings/studyInterval``).
  public var ciLower: Double
  public var ciUpper: Double
  /// Weight in the pooled estimate, percent (for simple pooling nᵢ/Σn).
  public var weight: Double
}

/// The pooled proportion (0–1): back-transformed estimate, CI and PI.
public struct PooledProportion: Sendable, Hashable {
  public var proportion: Double
  public var ciLower: Double
  public var ciUpper: Double
  public var piLower: Double
  public var piUpper: Double
}

/// Heterogeneity statistics (NaN where not defined, e.g. τ² CI for EE).
public struct HeterogeneitySummary: Sendable, Hashable {
  public var tau2: Double
  public var tau: Double
  public var tau2StandardError: Double
  public var tau2CILower: Double
  public var tau2CIUpper: Double
  /// I² (percent).
  public var i2: Double
  public var i2CILower: Double
  public var i2CIUpper: Double
  public var h2: Double
  public var h2CILower: Double
  public var h2CIUpper: Double
  /// Cochran's Q (weights 1/vᵢ).
  public var q: Double
  public var qDegreesOfFreedom: Int
  public var qPValue: Double
  /// GLMM only: Wald-type and likelihood-ratio tests for heterogeneity (metafor QE.Wld, QE.LRT).
  public var qWald: Double?
  public var qWaldPValue: Double?
  public var qLRT: Double?
  public var qLRTPValue: Double?
}

/// The complete result of pooling one set of cohorts.
public struct ProportionAnalysis: Sendable, Hashable {
  /// The settings used.
  public var settings: AnalysisSettings
  /// Number of cohorts.
  public var k: Int
  /// Σxᵢ and Σnᵢ.
  public var totalEvents: Int
  public var totalPatients: Int
  /// Harmonic mean of nᵢ (used by the Freeman–Tukey back-transformation).
  public var harmonicMeanN: Double
  /// Per-cohort rows, in input order.
  public var studies: [StudyResult]
  /// Pooled estimate on the transformed scale (simple pooling: on the proportion scale).
  public var model: ModelSummary
  /// Pooled proportion.
  public var pooled: PooledProportion
  /// Heterogeneity.
  public var heterogeneity: HeterogeneitySummary
  /// The inverse-variance fit, when the method is one (nil for GLMM and simple pooling).
  public var fit: ModelFit?
  /// The simple-pooling result, when the method is `pooled`.
  public var simple: SimplePooling?
  /// Whether every iterative step converged.
  public var converged: Bool
  /// Iterations of the τ² estimator (or GLMM optimizer).
  public var iterations: Int
  /// Warnings, in the order they arose.
  public var warnings: [AnalysisWarning]
  /// The three-level fit (cohorts nested in clusters) when the analysis was run with a cluster
  /// column; `model`, `pooled` and `heterogeneity` then come from it.
  public var multilevel: ThreeLevelFit? = nil
  /// The three-level binomial-normal GLMM (`--method GLMM` with a cluster column); `multilevel`
  /// then holds its summary in the inverse-variance model's shape.
  public var multilevelGLMM: ThreeLevelGLMMFit? = nil
}
