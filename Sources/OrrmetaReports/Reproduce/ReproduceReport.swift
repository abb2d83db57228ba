// SPDX-License-Identifier: GPL-3.0-or-later

/// The JSON contract of `orrmeta reproduce` (documented in `Docs/cli.md`): one row per published
/// figure with four columns — the published value, the value rebuilt from integer totals
/// consistent with the publication, the value on the sourced cohort table with the paper's
/// method, and with a random-effects model — then per-figure details (k, N, I², prediction
/// interval, CIs of medians). ORR in percent, PFS in months; `null` where a column does not apply.
package struct ReproduceReport: Encodable, Sendable {
  package var orrmeta_version: String
  package var fixtures: String?
  package var cohort_file: String
  /// The row filters applied to the cohort table (`--exclude`, `--where`); empty when none.
  package var row_filters: [String] = []
  package var published_file: String
  package var source_title: String?
  package var methods: Methods
  package var figures: [FigureRow]
  package var details: [Detail]
  package var check_summary: CheckReport.Summary
  package var warnings: [String]
  /// Two-arm comparisons of response on the sourced table (`[[comparison]]` in the published
  /// file; `orrmeta compare`), empty when none are defined.
  package var comparisons: [ComparisonRow] = []
  /// Where the published whole-table proportion sits in the multiverse of the sourced table.
  package var multiverse: ReproduceMultiverse? = nil
  package init(orrmeta_version: String, fixtures: String? = nil, cohort_file: String, row_filters: [String] = [], published_file: String, source_title: String? = nil, methods: Methods, figures: [FigureRow], details: [Detail], check_summary: CheckReport.Summary, warnings: [String], comparisons: [ComparisonRow] = [], multiverse: ReproduceMultiverse? = nil) {
    self.orrmeta_version = orrmeta_version; self.fixtures = fixtures; self.cohort_file = cohort_file
    self.row_filters = row_filters; self.published_file = published_file; self.source_title = source_title
    self.methods = methods; self.figures = figures; self.details = details; self.check_summary = check_summary
    self.warnings = warnings; self.comparisons = comparisons; self.multiverse = multiverse
  }

  /// What each column means.
  package struct Methods: Encodable, Sendable {
    package var from_published_totals: String
    package var sourced_paper_method: String
    package var sourced_random_effects: String
    package var sourced_three_level: String
    package var weighted_median: String
    package var reproduced: String
    package init(from_published_totals: String, sourced_paper_method: String, sourced_random_effects: String, sourced_three_level: String, weighted_median: String, reproduced: String) {
      self.from_published_totals = from_published_totals; self.sourced_paper_method = sourced_paper_method
      self.sourced_random_effects = sourced_random_effects; self.sourced_three_level = sourced_three_level
      self.weighted_median = weighted_median; self.reproduced = reproduced
    }
  }

  /// One printed figure (a percentage, a CI bound or a median) in the four columns.
  package struct FigureRow: Encodable, Sendable {
    package var name: String
    package var unit: String
    package var decimals: Int
    package var published: Double
    package var from_published_totals: Double?
    package var sourced_paper_method: Double?
    package var sourced_random_effects: Double?
    /// Whether any column rounds to the published figure at its printed precision.
    package var reproduced: Bool
    /// Which columns do.
    package var reproduced_by: [String]
    package init(name: String, unit: String, decimals: Int, published: Double, from_published_totals: Double? = nil, sourced_paper_method: Double? = nil, sourced_random_effects: Double? = nil, reproduced: Bool, reproduced_by: [String]) {
      self.name = name; self.unit = unit; self.decimals = decimals; self.published = published
      self.from_published_totals = from_published_totals; self.sourced_paper_method = sourced_paper_method
      self.sourced_random_effects = sourced_random_effects; self.reproduced = reproduced
      self.reproduced_by = reproduced_by
    }
  }

  /// The published column's context.
  package struct PublishedColumn: Encodable, Sendable {
    package var k: Int?
    package var trials: Int?
    package var n: Int?
    /// The level of the published CI, when one is published.
    package var ci_level: Double? = nil
    package init(k: Int? = nil, trials: Int? = nil, n: Int? = nil, ci_level: Double? = nil) {
      self.k = k; self.trials = trials; self.n = n; self.ci_level = ci_level
    }
  }
  /// The rebuilt column's totals.
  package struct TotalsColumn: Encodable, Sendable {
    package var events: Int
    package var n: Int
    package var ci_method: String?
    /// The totals of a figure rebuilt from whole numbers (``PublishedCheck/rebuilt(_:)``).
    package init(_ r: PublishedCheck.Rebuilt) {
      events = r.events; n = r.patients; ci_method = r.ciMethod?.rawValue
    }
  }
  /// The sourced table with the paper's method.
  package struct PaperColumn: Encodable, Sendable {
    package var k: Int
    package var trials: Int? = nil
    /// Patients (for medians, the total weight of the cohorts used).
    package var n: Double
    package var events: Int? = nil
    package var estimate: Double? = nil
    package var ci_method: String? = nil
    package var ci_lower: Double? = nil
    package var ci_upper: Double? = nil
    /// Medians: the cohorts without a median.
    package var left_out: Int? = nil
    package var left_out_labels: [String]? = nil
    package var sign_test_ci_lower: Double? = nil
    package var sign_test_ci_upper: Double? = nil
    package var bootstrap_ci_lower: Double? = nil
    package var bootstrap_ci_upper: Double? = nil
    package init(k: Int, trials: Int? = nil, n: Double, events: Int? = nil, estimate: Double? = nil, ci_method: String? = nil, ci_lower: Double? = nil, ci_upper: Double? = nil, left_out: Int? = nil, left_out_labels: [String]? = nil, sign_test_ci_lower: Double? = nil, sign_test_ci_upper: Double? = nil, bootstrap_ci_lower: Double? = nil, bootstrap_ci_upper: Double? = nil) {
      self.k = k; self.trials = trials; self.n = n; self.events = events; self.estimate = estimate
      self.ci_method = ci_method; self.ci_lower = ci_lower; self.ci_upper = ci_upper; self.left_out = left_out
      self.left_out_labels = left_out_labels; self.sign_test_ci_lower = sign_test_ci_lower
      self.sign_test_ci_upper = sign_test_ci_upper; self.bootstrap_ci_lower = bootstrap_ci_lower
      self.bootstrap_ci_upper = bootstrap_ci_upper
    }
  }
  /// The sourced table with the random-effects model: ``RandomEffectsFields`` and the pooled
  /// estimate with its CI and PI.
  package typealias RandomEffectsColumn = WithInterval<RandomEffectsFields>
  /// The keys of a ``RandomEffectsColumn`` besides its interval.
  package struct RandomEffectsFields: Encodable, Sendable {
    package var k: Int
    package var n: Int
    package var tau2: Double? = nil
    package var i2: Double? = nil
    package var i2_ci_lower: Double? = nil
    package var i2_ci_upper: Double? = nil
    /// Width of this CI divided by the width of the paper-method CI on the same cohorts.
    package var ci_width_ratio: Double? = nil
    package var warnings: [String]
    package init(k: Int, n: Int, warnings: [String]) {
      self.k = k; self.n = n; self.warnings = warnings
    }
  }
  /// One published figure's context in every column.
  package struct Detail: Encodable, Sendable {
    package var figure: String
    package var kind: String
    package var unit: String
    package var subset: String
    package var published: PublishedColumn
    package var from_published_totals: TotalsColumn?
    package var sourced_paper_method: PaperColumn
    package var sourced_random_effects: RandomEffectsColumn?
    /// The three-level model (cohorts in trials); nil for medians, without a `trial` column, or
    /// when the subset has fewer than 3 cohorts or a single trial.
    package var sourced_three_level: ThreeLevelColumn? = nil
    package init(figure: String, kind: String, unit: String, subset: String, published: PublishedColumn, from_published_totals: TotalsColumn? = nil, sourced_paper_method: PaperColumn, sourced_random_effects: RandomEffectsColumn? = nil, sourced_three_level: ThreeLevelColumn? = nil) {
      self.figure = figure; self.kind = kind; self.unit = unit; self.subset = subset; self.published = published
      self.from_published_totals = from_published_totals; self.sourced_paper_method = sourced_paper_method
      self.sourced_random_effects = sourced_random_effects; self.sourced_three_level = sourced_three_level
    }
  }
  /// The sourced table with the three-level model (cohorts nested in trials): ``ThreeLevelFields``
  /// and the pooled estimate with its CI and PI.
  package typealias ThreeLevelColumn = WithInterval<ThreeLevelFields>
  /// The keys of a ``ThreeLevelColumn`` besides its interval.
  package struct ThreeLevelFields: Encodable, Sendable {
    package var k: Int
    package var trials: Int
    package var sigma2_trial: Double? = nil
    package var sigma2_cohort: Double? = nil
    package var lrt: Double? = nil
    package var lrt_p_value: Double? = nil
    /// Width of this CI divided by the width of the two-level random-effects CI.
    package var ci_width_ratio: Double? = nil
    package init(k: Int, trials: Int) {
      self.k = k; self.trials = trials
    }
  }

  /// One `[[comparison]]`: the paired trials and the pooled result (``CompareReport`` blocks).
  package struct ComparisonRow: Encodable, Sendable {
    package var name: String
    package var label: String
    package var measure: String
    package var method: String
    package var trials: [String]
    package var k: Int
    package var pooled: CompareReport.Pooled
    package var model: CompareReport.Model
    package var heterogeneity: CompareReport.Heterogeneity
    package init(name: String, label: String, measure: String, method: String, trials: [String], k: Int, pooled: CompareReport.Pooled, model: CompareReport.Model, heterogeneity: CompareReport.Heterogeneity) {
      self.name = name; self.label = label; self.measure = measure; self.method = method; self.trials = trials
      self.k = k; self.pooled = pooled; self.model = model; self.heterogeneity = heterogeneity
    }
  }
}

extension ReproduceReport {
  /// The column names, as in the JSON.
  package static let totalsColumn = "from_published_totals"
  package static let paperColumn = "sourced_paper_method"
  package static let randomEffectsColumn = "sourced_random_effects"
}
