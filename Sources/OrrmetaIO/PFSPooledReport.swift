// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The JSON contract of `orrmeta pfs --pool iv` and `orrmeta pfs --hr` (schema:
/// `Docs/pfs-iv.schema.json`): inverse-variance random-effects pooling of medians (or their
/// difference or log ratio) or of log hazard ratios from reported CIs, overall and per subgroup.
/// Non-finite numbers are written as `null`.
public struct PFSPooledReport: Encodable, Sendable {
  public var orrmeta_version: String
  public var input: Input
  public var settings: Settings
  public var overall: Block
  public var subgroups: [Block]?
  /// With `--mods`: the moderators and the meta-regression on every cohort used (metafor
  /// `rma.uni(yi, vi, mods =)`; keys as `orrmeta regress`).
  public var moderators: [ModeratorColumns.Column]?
  public var meta_regression: MetaRegressionFit?
  public var warnings: [String]

  /// Where the values came from.
  public struct Input: Encodable, Sendable {
    public var file: String
    public var columns: [Columns]
    public var label_column: String?
    public var by_column: String?
  }
  /// The columns of one interval (level nil: absent, 95 % assumed).
  public struct Columns: Encodable, Sendable {
    public var estimate: String
    public var ci_lower: String
    public var ci_upper: String
    public var ci_level: String?
  }
  /// Every method choice.
  public struct Settings: Encodable, Sendable {
    public var pool: String
    /// `median`, `difference`, `log-ratio` or `log-hazard-ratio`.
    public var estimand: String
    public var estimand_name: String
    /// `treat`, `ctrl` or nil (the value column) for the median; nil otherwise.
    public var arm: String?
    public var method: String
    public var method_name: String
    public var test: String
    public var level: Double
    public var standard_error: String
    public var pooling: String
    public var prediction_interval: String
    public var back_transformation: String
  }
  /// The pooled estimate on the analysis scale (months; log ratio; log hazard ratio): the same
  /// block as `orrmeta pool`'s `model` (null for a figure that is not defined).
  public typealias Model = PoolReport.Model
  /// exp of the model (log ratio of medians, log hazard ratio).
  public struct Ratio: Encodable, Sendable {
    public var estimate: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var pi_lower: Double?
    public var pi_upper: Double?
  }
  /// Heterogeneity.
  public struct Heterogeneity: Encodable, Sendable {
    public var tau2: Double?
    public var tau: Double?
    public var q: Double?
    public var q_df: Int
    public var q_p_value: Double?
    public var i2: Double?
    public var h2: Double?
  }
  /// One cohort used.
  public struct Cohort: Encodable, Sendable {
    public var label: String
    public var line: Int
    public var yi: Double?
    public var se: Double?
    /// Weight in percent, 100·wᵢ/Σw with wᵢ = 1/(SEᵢ² + τ̂²).
    public var weight: Double?
    /// Whether an upper bound was not reached (SE from the lower half-width).
    public var upper_not_reached: Bool
  }
  /// The inverse-variance result.
  public struct InverseVariance: Encodable, Sendable {
    public var k: Int
    public var model: Model
    public var ratio: Ratio?
    public var heterogeneity: Heterogeneity
    public var converged: Bool
    public var cohorts: [Cohort]
  }
  /// The rows left out, by reason.
  public struct LeftOut: Encodable, Sendable {
    public var count: Int
    public var reasons: [String: Int]
    public var labels: [String]
  }
  /// The result for all cohorts or one subgroup (`iv` nil when no row is usable).
  public struct Block: Encodable, Sendable {
    public var name: String
    public var iv: InverseVariance?
    public var left_out: LeftOut
    public var warnings: [String]
  }
}
