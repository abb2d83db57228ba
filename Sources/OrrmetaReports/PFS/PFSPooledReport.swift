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
  package init(orrmeta_version: String, input: Input, settings: Settings, overall: Block, subgroups: [Block]? = nil, moderators: [ModeratorColumns.Column]? = nil, meta_regression: MetaRegressionFit? = nil, warnings: [String]) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.settings = settings; self.overall = overall
    self.subgroups = subgroups; self.moderators = moderators; self.meta_regression = meta_regression
    self.warnings = warnings
  }

  /// Where the values came from.
  public struct Input: Encodable, Sendable {
    public var file: String
    public var columns: [Columns]
    public var label_column: String?
    public var by_column: String?
    package init(file: String, columns: [Columns], label_column: String? = nil, by_column: String? = nil) {
      self.file = file; self.columns = columns; self.label_column = label_column; self.by_column = by_column
    }
  }
  /// The columns of one interval (level nil: absent, 95 % assumed).
  public struct Columns: Encodable, Sendable {
    public var estimate: String
    public var ci_lower: String
    public var ci_upper: String
    public var ci_level: String?
    package init(estimate: String, ci_lower: String, ci_upper: String, ci_level: String? = nil) {
      self.estimate = estimate; self.ci_lower = ci_lower; self.ci_upper = ci_upper; self.ci_level = ci_level
    }
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
    package init(pool: String, estimand: String, estimand_name: String, arm: String? = nil, method: String, method_name: String, test: String, level: Double, standard_error: String, pooling: String, prediction_interval: String, back_transformation: String) {
      self.pool = pool; self.estimand = estimand; self.estimand_name = estimand_name; self.arm = arm
      self.method = method; self.method_name = method_name; self.test = test; self.level = level
      self.standard_error = standard_error; self.pooling = pooling; self.prediction_interval = prediction_interval
      self.back_transformation = back_transformation
    }
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
    package init(estimate: Double? = nil, ci_lower: Double? = nil, ci_upper: Double? = nil, pi_lower: Double? = nil, pi_upper: Double? = nil) {
      self.estimate = estimate; self.ci_lower = ci_lower; self.ci_upper = ci_upper; self.pi_lower = pi_lower
      self.pi_upper = pi_upper
    }
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
    package init(tau2: Double? = nil, tau: Double? = nil, q: Double? = nil, q_df: Int, q_p_value: Double? = nil, i2: Double? = nil, h2: Double? = nil) {
      self.tau2 = tau2; self.tau = tau; self.q = q; self.q_df = q_df; self.q_p_value = q_p_value; self.i2 = i2
      self.h2 = h2
    }
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
    package init(label: String, line: Int, yi: Double? = nil, se: Double? = nil, weight: Double? = nil, upper_not_reached: Bool) {
      self.label = label; self.line = line; self.yi = yi; self.se = se; self.weight = weight
      self.upper_not_reached = upper_not_reached
    }
  }
  /// The inverse-variance result.
  public struct InverseVariance: Encodable, Sendable {
    public var k: Int
    public var model: Model
    public var ratio: Ratio?
    public var heterogeneity: Heterogeneity
    public var converged: Bool
    public var cohorts: [Cohort]
    package init(k: Int, model: Model, ratio: Ratio? = nil, heterogeneity: Heterogeneity, converged: Bool, cohorts: [Cohort]) {
      self.k = k; self.model = model; self.ratio = ratio; self.heterogeneity = heterogeneity
      self.converged = converged; self.cohorts = cohorts
    }
  }
  /// The rows left out, by reason.
  public struct LeftOut: Encodable, Sendable {
    public var count: Int
    public var reasons: [String: Int]
    public var labels: [String]
    package init(count: Int, reasons: [String: Int], labels: [String]) {
      self.count = count; self.reasons = reasons; self.labels = labels
    }
  }
  /// The result for all cohorts or one subgroup (`iv` nil when no row is usable).
  public struct Block: Encodable, Sendable {
    public var name: String
    public var iv: InverseVariance?
    public var left_out: LeftOut
    public var warnings: [String]
    package init(name: String, iv: InverseVariance? = nil, left_out: LeftOut, warnings: [String]) {
      self.name = name; self.iv = iv; self.left_out = left_out; self.warnings = warnings
    }
  }
}
