// SPDX-License-Identifier: GPL-3.0-or-later

/// The JSON contract of `orrmeta reproduce` (documented in `Docs/cli.md`): one row per published
/// figure with four columns — the published value, the value rebuilt from integer totals
/// consistent with the publication, the value on the sourced cohort table with the paper's
/// method, and with a random-effects model — then per-figure details (k, N, I², prediction
/// interval, CIs of medians). ORR in percent, PFS in months; `null` where a column does not apply.
public struct ReproduceReport: Encodable, Sendable {
  public var orrmeta_version: String
  public var fixtures: String?
  public var cohort_file: String
  /// The row filters applied to the cohort table (`--exclude`, `--where`); empty when none.
  public var row_filters: [String] = []
  public var published_file: String
  public var source_title: String?
  public var methods: Methods
  public var figures: [FigureRow]
  public var details: [Detail]
  public var check_summary: CheckReport.Summary
  public var warnings: [String]
  /// Two-arm comparisons of response on the sourced table (`[[comparison]]` in the published
  /// file; `orrmeta compare`), empty when none are defined.
  public var comparisons: [ComparisonRow] = []
  /// Where the published whole-table proportion sits in the multiverse of the sourced table.
  public var multiverse: ReproduceMultiverse? = nil

  /// What each column means.
  public struct Methods: Encodable, Sendable {
    public var from_published_totals: String
    public var sourced_paper_method: String
    public var sourced_random_effects: String
    public var sourced_three_level: String
    public var weighted_median: String
    public var reproduced: String
  }

  /// One printed figure (a percentage, a CI bound or a median) in the four columns.
  public struct FigureRow: Encodable, Sendable {
    public var name: String
    public var unit: String
    public var decimals: Int
    public var published: Double
    public var from_published_totals: Double?
    public var sourced_paper_method: Double?
    public var sourced_random_effects: Double?
    /// Whether any column rounds to the published figure at its printed precision.
    public var reproduced: Bool
    /// Which columns do.
    public var reproduced_by: [String]
  }

  /// The published column's context.
  public struct PublishedColumn: Encodable, Sendable {
    public var k: Int?
    public var trials: Int?
    public var n: Int?
    /// The level of the published CI, when one is published.
    public var ci_level: Double? = nil
  }
  /// The rebuilt column's totals.
  public struct TotalsColumn: Encodable, Sendable {
    public var events: Int
    public var n: Int
    public var ci_method: String?
  }
  /// The sourced table with the paper's method.
  public struct PaperColumn: Encodable, Sendable {
    public var k: Int
    public var trials: Int? = nil
    /// Patients (for medians, the total weight of the cohorts used).
    public var n: Double
    public var events: Int? = nil
    public var estimate: Double? = nil
    public var ci_method: String? = nil
    public var ci_lower: Double? = nil
    public var ci_upper: Double? = nil
    /// Medians: the cohorts without a median.
    public var left_out: Int? = nil
    public var left_out_labels: [String]? = nil
    public var sign_test_ci_lower: Double? = nil
    public var sign_test_ci_upper: Double? = nil
    public var bootstrap_ci_lower: Double? = nil
    public var bootstrap_ci_upper: Double? = nil
  }
  /// The sourced table with the random-effects model.
  public struct RandomEffectsColumn: Encodable, Sendable {
    public var k: Int
    public var n: Int
    public var estimate: Double? = nil
    public var ci_lower: Double? = nil
    public var ci_upper: Double? = nil
    public var pi_lower: Double? = nil
    public var pi_upper: Double? = nil
    public var tau2: Double? = nil
    public var i2: Double? = nil
    public var i2_ci_lower: Double? = nil
    public var i2_ci_upper: Double? = nil
    /// Width of this CI divided by the width of the paper-method CI on the same cohorts.
    public var ci_width_ratio: Double? = nil
    public var warnings: [String]
  }
  /// One published figure's context in every column.
  public struct Detail: Encodable, Sendable {
    public var figure: String
    public var kind: String
    public var unit: String
    public var subset: String
    public var published: PublishedColumn
    public var from_published_totals: TotalsColumn?
    public var sourced_paper_method: PaperColumn
    public var sourced_random_effects: RandomEffectsColumn?
    /// The three-level model (cohorts in trials); nil for medians, without a `trial` column, or
    /// when the subset has fewer than 3 cohorts or a single trial.
    public var sourced_three_level: ThreeLevelColumn? = nil
  }
  /// The sourced table with the three-level model (cohorts nested in trials).
  public struct ThreeLevelColumn: Encodable, Sendable {
    public var k: Int
    public var trials: Int
    public var estimate: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var pi_lower: Double?
    public var pi_upper: Double?
    public var sigma2_trial: Double?
    public var sigma2_cohort: Double?
    public var lrt: Double?
    public var lrt_p_value: Double?
    /// Width of this CI divided by the width of the two-level random-effects CI.
    public var ci_width_ratio: Double?
  }

  /// One `[[comparison]]`: the paired trials and the pooled result (``CompareReport`` blocks).
  public struct ComparisonRow: Encodable, Sendable {
    public var name: String
    public var label: String
    public var measure: String
    public var method: String
    public var trials: [String]
    public var k: Int
    public var pooled: CompareReport.Pooled
    public var model: CompareReport.Model
    public var heterogeneity: CompareReport.Heterogeneity
  }
}
