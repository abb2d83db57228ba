// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The JSON contract of `orrmeta multiverse` (`Docs/multiverse.schema.json`): one row per
/// specification (and subgroup, with `--by`), a summary of the overall rows and the flags.
/// Every number of a row is the number `orrmeta pool` reports with the row's `pool_arguments`.
package struct MultiverseReport: NullPreservingEncodable, Sendable {
  package var orrmeta_version: String
  package var input: PoolReport.Input
  package var k: Int
  package var totals: PoolReport.Totals
  /// The settings every specification shares.
  package var settings: Settings
  package var specifications: [Row]
  package var summary: Summary
  package var flags: [Flag]
  /// Warnings about the input file (once, not per row).
  package var warnings: [String]

  package struct Settings: NullPreservingEncodable, Sendable {
    package var level: Double
    package var cluster: String?
    package var models: [String]
    package var measures: [String]
    package var methods: [String]
    package var tests: [String]
    package var ci_methods: [String]
    package var nagq: Int
    package var reference: Double?

    package init(level: Double, cluster: String? = nil, models: [String], measures: [String], methods: [String], tests: [String], ci_methods: [String], nagq: Int, reference: Double? = nil) {
      self.level = level; self.cluster = cluster; self.models = models; self.measures = measures; self.methods = methods
      self.tests = tests; self.ci_methods = ci_methods; self.nagq = nagq; self.reference = reference
    }
  }

  /// One specification's result (one per subgroup as well with `--by`): its pooled proportion
  /// with CI and PI as `pool` writes them (`row.group`, ``PoolReport/Pooled``) and these.
  package typealias Row = WithGroup<RowFields, PoolReport.Pooled>
  /// A row's keys besides the pooled proportion's.
  package struct RowFields: NullPreservingEncodable, Sendable {
    /// The specification's position (1-based); subgroup rows share their specification's id.
    package var id: Int
    /// The subgroup level, null for the overall analysis.
    package var subgroup: String?
    package var model: String
    /// Null for simple pooling (computed on the proportion scale).
    package var measure: String?
    /// The τ² estimator (or `GLMM`, or `pooled` for simple pooling).
    package var method: String
    /// Null for simple pooling.
    package var test: String?
    /// The binomial CI of simple pooling; null for the other models.
    package var ci_method: String?
    package var k: Int
    /// The pooled estimate on the model's scale (null for simple pooling).
    package var estimate: Double?
    package var tau2: Double?
    package var i2: Double?
    package var converged: Bool
    package var warnings: [String]
    /// Why the fit failed (its numbers are then null); null when it ran.
    package var error: String?
    /// The `orrmeta pool` flags that reproduce this row.
    package var pool_arguments: [String]

    package init(id: Int, subgroup: String? = nil, model: String, measure: String? = nil, method: String, test: String? = nil, ci_method: String? = nil, k: Int, estimate: Double? = nil, tau2: Double? = nil, i2: Double? = nil, converged: Bool, warnings: [String], error: String? = nil, pool_arguments: [String]) {
      self.id = id; self.subgroup = subgroup; self.model = model; self.measure = measure; self.method = method
      self.test = test; self.ci_method = ci_method; self.k = k; self.estimate = estimate
      self.tau2 = tau2; self.i2 = i2; self.converged = converged; self.warnings = warnings; self.error = error
      self.pool_arguments = pool_arguments
    }
  }

  /// A specification picked out by the summary.
  package struct Pick: NullPreservingEncodable, Sendable {
    package var id: Int
    package var proportion: Double?
    package var ci_lower: Double?
    package var ci_upper: Double?
    package var ci_width: Double?
  }

  /// Over the overall rows that produced an estimate.
  package struct Summary: NullPreservingEncodable, Sendable {
    package var specifications: Int
    package var fitted: Int
    package var failed: Int
    package var not_converged: Int
    package var proportion_min: Double?
    package var proportion_median: Double?
    package var proportion_max: Double?
    /// `--reference`, null without it.
    package var reference: Double?
    /// How many rows' CIs contain the reference, and their share of the fitted rows.
    package var reference_in_ci: Int?
    package var reference_in_ci_share: Double?
    /// The reference's rank among the sorted estimates (share of estimates below it).
    package var reference_percentile: Double?
    package var widest_ci: Pick?
    package var narrowest_ci: Pick?

    package init(specifications: Int, fitted: Int, failed: Int, not_converged: Int, proportion_min: Double? = nil, proportion_median: Double? = nil, proportion_max: Double? = nil, reference: Double? = nil, reference_in_ci: Int? = nil, reference_in_ci_share: Double? = nil, reference_percentile: Double? = nil, widest_ci: Pick? = nil, narrowest_ci: Pick? = nil) {
      self.specifications = specifications; self.fitted = fitted; self.failed = failed
      self.not_converged = not_converged; self.proportion_min = proportion_min
      self.proportion_median = proportion_median; self.proportion_max = proportion_max; self.reference = reference
      self.reference_in_ci = reference_in_ci; self.reference_in_ci_share = reference_in_ci_share
      self.reference_percentile = reference_percentile; self.widest_ci = widest_ci; self.narrowest_ci = narrowest_ci
    }
  }

  /// A finding about the multiverse: a stable `code` and its reason in words.
  package struct Flag: NullPreservingEncodable, Sendable {
    package var code: String
    package var message: String
    /// The ids of the specifications it concerns.
    package var specifications: [Int]

    package init(code: String, message: String, specifications: [Int]) {
      self.code = code; self.message = message; self.specifications = specifications
    }
  }

  package init(orrmeta_version: String, input: PoolReport.Input, k: Int, totals: PoolReport.Totals, settings: Settings, specifications: [Row], summary: Summary, flags: [Flag], warnings: [String]) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.k = k; self.totals = totals
    self.settings = settings; self.specifications = specifications; self.summary = summary; self.flags = flags
    self.warnings = warnings
  }
}

extension MultiverseReport.Row {
  /// The CI's width, nil without both limits (the summary picks the widest and narrowest by it).
  package var ciWidth: Double? {
    guard let lo = self.ci_lower, let hi = self.ci_upper else { return nil }
    return hi - lo
  }
}

extension MultiverseReport.Pick {
  /// A row, picked: its estimate, CI and the CI's width.
  package init(_ r: MultiverseReport.Row) {
    id = r.id; proportion = r.proportion; ci_lower = r.ci_lower; ci_upper = r.ci_upper; ci_width = r.ciWidth
  }
}
