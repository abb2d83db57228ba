// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The JSON contract of `orrmeta pfs --pool iv` and `orrmeta pfs --hr` (schema:
/// `Docs/pfs-iv.schema.json`): inverse-variance random-effects pooling of medians (or their
/// difference or log ratio) or of log hazard ratios from reported CIs, overall and per subgroup.
/// Non-finite numbers are written as `null`.
package struct PFSPooledReport: Encodable, Sendable {
  package var orrmeta_version: String
  package var input: Input
  package var settings: Settings
  package var overall: Block
  package var subgroups: [Block]?
  /// With `--mods`: the moderators and the meta-regression on every cohort used (metafor
  /// `rma.uni(yi, vi, mods =)`; keys as `orrmeta regress`).
  package var moderators: [ModeratorColumns.Column]?
  package var meta_regression: MetaRegressionFit?
  package var warnings: [String]
  package init(orrmeta_version: String, input: Input, settings: Settings, overall: Block, subgroups: [Block]? = nil, moderators: [ModeratorColumns.Column]? = nil, meta_regression: MetaRegressionFit? = nil, warnings: [String]) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.settings = settings; self.overall = overall
    self.subgroups = subgroups; self.moderators = moderators; self.meta_regression = meta_regression
    self.warnings = warnings
  }

  /// Where the values came from.
  package struct Input: Encodable, Sendable {
    package var file: String
    package var columns: [Columns]
    package var label_column: String?
    package var by_column: String?
    /// The block of a file as read.
    package init(_ f: PFSIntervalFile) {
      file = f.file; columns = f.columns.map(Columns.init); label_column = f.labelColumn; by_column = f.byColumn
    }
  }
  /// The columns of one interval (level nil: absent, 95 % assumed).
  package struct Columns: Encodable, Sendable {
    package var estimate: String
    package var ci_lower: String
    package var ci_upper: String
    package var ci_level: String?
    /// The columns of one of ``PFSIntervalFile/columns``.
    init(_ c: (estimate: String, lower: String, upper: String, level: String?)) {
      estimate = c.estimate; ci_lower = c.lower; ci_upper = c.upper; ci_level = c.level
    }
  }
  /// Every method choice.
  package struct Settings: Encodable, Sendable {
    package var pool: String
    /// `median`, `difference`, `log-ratio` or `log-hazard-ratio`.
    package var estimand: String
    package var estimand_name: String
    /// `treat`, `ctrl` or nil (the value column) for the median; nil otherwise.
    package var arm: String?
    package var method: String
    package var method_name: String
    package var test: String
    package var level: Double
    package var standard_error: String
    package var pooling: String
    package var prediction_interval: String
    package var back_transformation: String
    package init(pool: String, estimand: String, estimand_name: String, arm: String? = nil, method: String, method_name: String, test: String, level: Double, standard_error: String, pooling: String, prediction_interval: String, back_transformation: String) {
      self.pool = pool; self.estimand = estimand; self.estimand_name = estimand_name; self.arm = arm
      self.method = method; self.method_name = method_name; self.test = test; self.level = level
      self.standard_error = standard_error; self.pooling = pooling; self.prediction_interval = prediction_interval
      self.back_transformation = back_transformation
    }
  }
  /// The pooled estimate on the analysis scale (months; log ratio; log hazard ratio): the same
  /// block as `orrmeta pool`'s `model` (null for a figure that is not defined).
  package typealias Model = PoolReport.Model
  /// exp of the model (log ratio of medians, log hazard ratio).
  package typealias Ratio = IntervalEstimate
  /// Heterogeneity.
  package struct Heterogeneity: Encodable, Sendable {
    package var tau2: Double?
    package var tau: Double?
    package var q: Double?
    package var q_df: Int
    package var q_p_value: Double?
    package var i2: Double?
    package var h2: Double?
    package init(tau2: Double? = nil, tau: Double? = nil, q: Double? = nil, q_df: Int, q_p_value: Double? = nil, i2: Double? = nil, h2: Double? = nil) {
      self.tau2 = tau2; self.tau = tau; self.q = q; self.q_df = q_df; self.q_p_value = q_p_value; self.i2 = i2
      self.h2 = h2
    }
  }
  /// One cohort used.
  package struct Cohort: Encodable, Sendable {
    package var label: String
    package var line: Int
    package var yi: Double?
    package var se: Double?
    /// Weight in percent, 100·wᵢ/Σw with wᵢ = 1/(SEᵢ² + τ̂²).
    package var weight: Double?
    /// Whether an upper bound was not reached (SE from the lower half-width).
    package var upper_not_reached: Bool
    package init(label: String, line: Int, yi: Double? = nil, se: Double? = nil, weight: Double? = nil, upper_not_reached: Bool) {
      self.label = label; self.line = line; self.yi = yi; self.se = se; self.weight = weight
      self.upper_not_reached = upper_not_reached
    }
  }
  /// The inverse-variance result.
  package struct InverseVariance: Encodable, Sendable {
    package var k: Int
    package var model: Model
    package var ratio: Ratio?
    package var heterogeneity: Heterogeneity
    package var converged: Bool
    package var cohorts: [Cohort]
    package init(k: Int, model: Model, ratio: Ratio? = nil, heterogeneity: Heterogeneity, converged: Bool, cohorts: [Cohort]) {
      self.k = k; self.model = model; self.ratio = ratio; self.heterogeneity = heterogeneity
      self.converged = converged; self.cohorts = cohorts
    }
  }
  /// The rows left out, by reason.
  package struct LeftOut: Encodable, Sendable {
    package var count: Int
    package var reasons: [String: Int]
    package var labels: [String]
    package init(count: Int, reasons: [String: Int], labels: [String]) {
      self.count = count; self.reasons = reasons; self.labels = labels
    }
  }
  /// The result for all cohorts or one subgroup (`iv` nil when no row is usable).
  package struct Block: Encodable, Sendable {
    package var name: String
    package var iv: InverseVariance?
    package var left_out: LeftOut
    package var warnings: [String]
    package init(name: String, iv: InverseVariance? = nil, left_out: LeftOut, warnings: [String]) {
      self.name = name; self.iv = iv; self.left_out = left_out; self.warnings = warnings
    }
  }
}
