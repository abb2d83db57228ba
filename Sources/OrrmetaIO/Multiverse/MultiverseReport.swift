// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The JSON contract of `orrmeta multiverse` (`Docs/multiverse.schema.json`): one row per
/// specification (and subgroup, with `--by`), a summary of the overall rows and the flags.
/// Every number of a row is the number `orrmeta pool` reports with the row's `pool_arguments`.
public struct MultiverseReport: NullPreservingEncodable, Sendable {
  public var orrmeta_version: String
  public var input: PoolReport.Input
  public var k: Int
  public var totals: PoolReport.Totals
  /// The settings every specification shares.
  public var settings: Settings
  public var specifications: [Row]
  public var summary: Summary
  public var flags: [Flag]
  /// Warnings about the input file (once, not per row).
  public var warnings: [String]

  public struct Settings: NullPreservingEncodable, Sendable {
    public var level: Double
    public var cluster: String?
    public var models: [String]
    public var measures: [String]
    public var methods: [String]
    public var tests: [String]
    public var ci_methods: [String]
    public var nagq: Int
    public var reference: Double?
  }

  /// One specification's result (one per subgroup as well with `--by`).
  public struct Row: NullPreservingEncodable, Sendable {
    /// The specification's position (1-based); subgroup rows share their specification's id.
    public var id: Int
    /// The subgroup level, null for the overall analysis.
    public var subgroup: String?
    public var model: String
    /// Null for simple pooling (computed on the proportion scale).
    public var measure: String?
    /// The τ² estimator (or `GLMM`, or `pooled` for simple pooling).
    public var method: String
    /// Null for simple pooling.
    public var test: String?
    /// The binomial CI of simple pooling; null for the other models.
    public var ci_method: String?
    public var k: Int
    /// The pooled estimate on the model's scale (null for simple pooling).
    public var estimate: Double?
    public var proportion: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var pi_lower: Double?
    public var pi_upper: Double?
    public var tau2: Double?
    public var i2: Double?
    public var converged: Bool
    public var warnings: [String]
    /// Why the fit failed (its numbers are then null); null when it ran.
    public var error: String?
    /// The `orrmeta pool` flags that reproduce this row.
    public var pool_arguments: [String]
  }

  /// A specification picked out by the summary.
  public struct Pick: NullPreservingEncodable, Sendable {
    public var id: Int
    public var proportion: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var ci_width: Double?
  }

  /// Over the overall rows that produced an estimate.
  public struct Summary: NullPreservingEncodable, Sendable {
    public var specifications: Int
    public var fitted: Int
    public var failed: Int
    public var not_converged: Int
    public var proportion_min: Double?
    public var proportion_median: Double?
    public var proportion_max: Double?
    /// `--reference`, null without it.
    public var reference: Double?
    /// How many rows' CIs contain the reference, and their share of the fitted rows.
    public var reference_in_ci: Int?
    public var reference_in_ci_share: Double?
    /// The reference's rank among the sorted estimates (share of estimates below it).
    public var reference_percentile: Double?
    public var widest_ci: Pick?
    public var narrowest_ci: Pick?
  }

  /// A finding about the multiverse: a stable `code` and its reason in words.
  public struct Flag: NullPreservingEncodable, Sendable {
    public var code: String
    public var message: String
    /// The ids of the specifications it concerns.
    public var specifications: [Int]
  }
}
