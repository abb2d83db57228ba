// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO
import OrrmetaReports

/// One row of `summary.csv` / `summary.jsonl`: the outcome of one file × analysis.
///
/// Numbers are those of the pool JSON contract (``PoolReport``): the overall pooled proportion
/// with its confidence and prediction intervals, τ², I² (%) and the p-value of Cochran's Q. A
/// `sensitivity` analysis fills them from the pool blocks of its report, which are the same.
/// A number that is undefined for the method (τ² of simple pooling) or not finite is `NA` in
/// the CSV and `null` in the JSON lines; in an `error` row every number is empty / `null`.
package struct BatchRow: Codable, NullPreservingEncodable, Sendable, Equatable {
  /// The input path (as found from the INPUT arguments).
  package var file: String
  /// The analysis name.
  package var analysis: String
  /// `ok` or `error`.
  package var status: String
  /// The effect measure (PLO, PFT, …), the pooling method (REML, GLMM, pooled, …) and the test
  /// (z, t, knha) of the analysis.
  package var measure: String?
  package var method: String?
  package var test: String?
  /// Number of cohorts.
  package var k: Int?
  /// Σ nᵢ.
  package var n_total: Int?
  /// Σ eventsᵢ.
  package var events_total: Int?
  /// The pooled proportion.
  package var proportion: Double?
  /// Lower confidence limit of the pooled proportion.
  package var ci_lower: Double?
  /// Upper confidence limit.
  package var ci_upper: Double?
  /// Lower prediction limit (random-effects methods).
  package var pi_lower: Double?
  /// Upper prediction limit.
  package var pi_upper: Double?
  /// A two-arm comparison (`type = "compare"`) only, instead of the proportion columns: the
  /// scale of the pooled effect (`odds ratio`, `risk ratio`, `risk difference`), the pooled
  /// effect on that scale and its confidence and prediction limits (nil / empty for the other
  /// analyses, whose result is a proportion).
  package var effect_scale: String?
  package var effect: Double?
  package var effect_ci_lower: Double?
  package var effect_ci_upper: Double?
  package var effect_pi_lower: Double?
  package var effect_pi_upper: Double?
  /// τ² (random-effects methods).
  package var tau2: Double?
  /// I² in percent.
  package var i2: Double?
  /// p-value of the test of heterogeneity.
  package var q_p_value: Double?
  /// With `by`: each subgroup as `level: proportion [ci_lower, ci_upper] (k = …)`, joined by
  /// `; `, and the test for subgroup differences (Q and its p-value).
  package var subgroups: String?
  package var subgroup_q: Double?
  package var subgroup_q_p_value: Double?
  /// Sensitivity analyses, when the spec asked for them: Egger's test p-value, the
  /// trim-and-fill number of filled cohorts and adjusted proportion with its CI, and the
  /// bootstrap percentile CI of the pooled proportion.
  package var egger_p_value: Double?
  package var trimfill_k0: Int?
  package var trimfill_proportion: Double?
  package var trimfill_ci_lower: Double?
  package var trimfill_ci_upper: Double?
  package var bootstrap_ci_lower: Double?
  package var bootstrap_ci_upper: Double?
  /// The report's warnings, subgroup warnings prefixed with `[level]`.
  package var warnings: [String]
  /// The error, with the file and line, for an `error` row.
  package var error: String?

  /// The column names, in order.
  package static let columns = [
    "file", "analysis", "status", "measure", "method", "test", "k", "n_total", "events_total", "proportion",
    "ci_lower", "ci_upper", "pi_lower", "pi_upper", "effect_scale", "effect", "effect_ci_lower", "effect_ci_upper",
    "effect_pi_lower", "effect_pi_upper", "tau2", "i2", "q_p_value", "subgroups", "subgroup_q",
    "subgroup_q_p_value", "egger_p_value", "trimfill_k0", "trimfill_proportion", "trimfill_ci_lower",
    "trimfill_ci_upper", "bootstrap_ci_lower", "bootstrap_ci_upper", "warnings", "error",
  ]

  /// The columns filled only by a sensitivity analysis that ran the corresponding analysis.
  package static let sensitivityColumns: Set = [
    "egger_p_value", "trimfill_k0", "trimfill_proportion", "trimfill_ci_lower", "trimfill_ci_upper",
    "bootstrap_ci_lower", "bootstrap_ci_upper",
  ]

  /// The `ok` row of a report.
  package init(file: String, analysis: String, report r: PoolReport) {
    self.init(
      file: file, analysis: analysis, measure: r.settings.measure, method: r.settings.method, test: r.settings.test,
      k: r.k, n: r.totals.n, events: r.totals.events,
      tau2: r.heterogeneity.tau2, i2: r.heterogeneity.i2, qPValue: r.heterogeneity.q_p_value, warnings: r.warnings)
    proportion = r.pooled.proportion
    ci_lower = r.pooled.ci_lower
    ci_upper = r.pooled.ci_upper
    pi_lower = r.pooled.pi_lower
    pi_upper = r.pooled.pi_upper
    for g in r.subgroups ?? [] { warnings += g.warnings.map { "[\(g.name)] \($0)" } }
    subgroups = r.subgroups.map { Self.subgroupList($0.map { ($0.name, $0.pooled.proportion, $0.pooled.ci_lower, $0.pooled.ci_upper, $0.k) }) }
    subgroup_q = r.subgroup_test?.q
    subgroup_q_p_value = r.subgroup_test?.p_value
  }

  /// The `ok` row of a meta-regression: k, the totals, the residual τ², I² and the p-value of
  /// QE; the pooled proportion and its intervals are `NA` (the predictions are in the result file).
  package init(file: String, analysis: String, regression r: RegressionReport, cohorts: CohortFile) {
    let fit = r.meta_regression
    self.init(
      file: file, analysis: analysis, measure: r.settings.measure, method: r.settings.method, test: r.settings.test,
      k: fit.k, n: cohorts.studies.reduce(0) { $0 + $1.total }, events: cohorts.studies.reduce(0) { $0 + $1.events },
      tau2: fit.tau2.tau2, i2: fit.i2, qPValue: fit.qePValue, warnings: r.warnings)
  }

  /// The `ok` row of a sensitivity analysis: the numbers of its pool blocks, and the warnings of
  /// its report (the pool warnings, then those of the sensitivity analyses).
  package init(file: String, analysis: String, sensitivity outcome: SensitivityPipeline.Outcome) {
    self.init(file: file, analysis: analysis, report: outcome.pool)
    warnings = outcome.report.warnings
    let report = outcome.report
    egger_p_value = report.bias?.egger.test.pValue
    if let t = report.trimfill {
      trimfill_k0 = t.k0
      trimfill_proportion = t.proportion
      trimfill_ci_lower = t.proportionCILower
      trimfill_ci_upper = t.proportionCIUpper
    }
    bootstrap_ci_lower = report.bootstrap?.proportionCILower
    bootstrap_ci_upper = report.bootstrap?.proportionCIUpper
  }

  /// The `ok` row of a sensitivity analysis with `cluster`: the numbers of the three-level pool
  /// blocks (`orrmeta pool --cluster`), the multilevel Egger test's p-value, and the warnings of
  /// the cluster diagnostics (the pool warnings, then their own).
  package init(file: String, analysis: String, clusterSensitivity r: ClusterSensitivityReport, pool: PoolReport) {
    self.init(file: file, analysis: analysis, report: pool)
    warnings = r.warnings
    egger_p_value = r.bias?.p_value
  }

  /// The `ok` row of a two-arm comparison: k, the totals of both arms, the pooled effect on
  /// the reported scale (the ratio for OR and RR) in `effect` with its intervals and its scale
  /// in `effect_scale` (the proportion columns stay empty), τ², I² and the p-value of Q; with
  /// `by`, the subgroups as for pool (no test of differences); Egger's p-value when the spec's
  /// `analyses` ran `bias`.
  package init(file: String, analysis: String, comparison r: CompareReport) {
    self.init(
      file: file, analysis: analysis, measure: r.settings.measure, method: r.settings.method, test: r.settings.test,
      k: r.k, n: r.trials.reduce(0) { $0 + $1.n_treat + $1.n_ctrl }, events: r.trials.reduce(0) { $0 + $1.events_treat + $1.events_ctrl },
      tau2: r.heterogeneity.tau2, i2: r.heterogeneity.i2, qPValue: r.heterogeneity.q_p_value, warnings: r.warnings)
    effect_scale = r.pooled.scale
    effect = r.pooled.estimate
    effect_ci_lower = r.pooled.ci_lower
    effect_ci_upper = r.pooled.ci_upper
    effect_pi_lower = r.pooled.pi_lower
    effect_pi_upper = r.pooled.pi_upper
    egger_p_value = r.bias?.egger.p_value
    for g in r.subgroups ?? [] { warnings += g.warnings.map { "[\(g.name)] \($0)" } }
    subgroups = r.subgroups.map { Self.subgroupList($0.map { ($0.name, $0.pooled.estimate, $0.pooled.ci_lower, $0.pooled.ci_upper, $0.k) }) }
  }

  /// The fields of every `ok` row (the one place they are set): the settings, k, the totals,
  /// τ², I², the p-value of Q and the report's warnings; the other numbers stay empty until
  /// the caller fills its own.
  private init(
    file: String, analysis: String, measure: String?, method: String?, test: String?, k: Int, n: Int, events: Int,
    tau2: Double?, i2: Double?, qPValue: Double?, warnings: [String]
  ) {
    self.file = file
    self.analysis = analysis
    status = "ok"
    self.measure = measure
    self.method = method
    self.test = test
    self.k = k
    n_total = n
    events_total = events
    self.tau2 = tau2
    self.i2 = i2
    q_p_value = qPValue
    self.warnings = warnings
  }

  /// The `subgroups` field: `level: estimate [ci_lower, ci_upper] (k = …)` joined by `; `.
  static func subgroupList(_ groups: [(name: String, estimate: Double?, lower: Double?, upper: Double?, k: Int)]) -> String {
    func num(_ x: Double?) -> String { x.map { $0.isFinite ? "\($0)" : "NA" } ?? "NA" }
    return groups.map { "\($0.name): \(num($0.estimate)) [\(num($0.lower)), \(num($0.upper))] (k = \($0.k))" }.joined(separator: "; ")
  }

  /// The `error` row of a failure.
  package init(file: String, analysis: String, error: String) {
    self.file = file
    self.analysis = analysis
    status = "error"
    warnings = []
    self.error = error
  }

  /// The CSV fields: `NA` for an undefined number of an `ok` row, empty in an `error` row and
  /// for what was not asked for (no `by`, a sensitivity analysis not run); warnings joined with
  /// ` | `. Numbers in Swift's shortest round-trip form.
  package var csvFields: [String] {
    let ok = status == "ok"
    func num(_ x: Double?) -> String { ok ? (x.map { $0.isFinite ? "\($0)" : "NA" } ?? "NA") : "" }
    func int(_ x: Int?) -> String { x.map(String.init) ?? (ok ? "NA" : "") }
    func optional(_ x: Double?) -> String { x.map { $0.isFinite ? "\($0)" : "NA" } ?? "" }
    // A comparison fills the effect columns (NA when undefined) and leaves the proportion
    // columns empty; every other analysis the reverse.
    let comparison = effect_scale != nil
    func proportionCell(_ x: Double?) -> String { comparison ? "" : num(x) }
    func effectCell(_ x: Double?) -> String { comparison ? num(x) : "" }
    return [
      file, analysis, status, measure ?? "", method ?? "", test ?? "", int(k), int(n_total), int(events_total),
      proportionCell(proportion), proportionCell(ci_lower), proportionCell(ci_upper), proportionCell(pi_lower),
      proportionCell(pi_upper), effect_scale ?? "", effectCell(effect), effectCell(effect_ci_lower),
      effectCell(effect_ci_upper), effectCell(effect_pi_lower), effectCell(effect_pi_upper), num(tau2), num(i2),
      num(q_p_value), subgroups ?? "", optional(subgroup_q), optional(subgroup_q_p_value), optional(egger_p_value),
      trimfill_k0.map(String.init) ?? "", optional(trimfill_proportion), optional(trimfill_ci_lower),
      optional(trimfill_ci_upper), optional(bootstrap_ci_lower), optional(bootstrap_ci_upper),
      warnings.joined(separator: " | "), error ?? "",
    ]
  }

  enum CodingKeys: String, CodingKey {
    case file, analysis, status, measure, method, test, k, n_total, events_total, proportion, ci_lower, ci_upper
    case pi_lower, pi_upper, effect_scale, effect, effect_ci_lower, effect_ci_upper, effect_pi_lower, effect_pi_upper, tau2, i2, q_p_value, subgroups, subgroup_q, subgroup_q_p_value, egger_p_value
    case trimfill_k0, trimfill_proportion, trimfill_ci_lower, trimfill_ci_upper, bootstrap_ci_lower
    case bootstrap_ci_upper, warnings, error
  }
}

// Documented: a non-finite number of a summary row is `NA` in the CSV and `null` in JSON.
extension BatchRow: NotAvailableAsNull {}
