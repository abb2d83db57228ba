// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO

/// Renders a ``PoolReport`` as CSV (written with CSV.swift), full precision, ending with a
/// newline. Rows, by `row_type`:
/// - `study`: one per cohort, in input order; `weight` is its weight in the overall model (the
///   `weight` of the JSON `studies`, the text and Markdown tables), `weight_in_subgroup` its
///   weight in its subgroup's model (with `--by`);
/// - `subgroup`: one per subgroup level; `pooled`: the overall result. Both carry the
///   proportion scale (`proportion`, `ci_*`, `pi_*`), the model scale (`estimate`, `se`,
///   `statistic`, `p_value`, `model_ci_*`) and heterogeneity (`tau2` with its CI, `i2`, `q`,
///   `q_df`, `q_p_value`);
/// - `subgroup_test`: the test for subgroup differences (`q`, `q_df`, `q_p_value`; `message`
///   names the method);
/// - `warning`: one per warning (`message`; `subgroup` for a subgroup's own warning).
///
/// Every column means the same in every row type and is empty where it does not apply; `NA` is
/// a value that applies but is undefined. Each column is the JSON key of the same name.
package enum CSVReport {
  static let header = [
    "row_type", "subgroup", "label", "events", "n", "yi", "vi", "proportion", "ci_lower", "ci_upper",
    "pi_lower", "pi_upper", "weight", "weight_in_subgroup", "estimate", "se", "statistic", "p_value",
    "model_ci_lower", "model_ci_upper", "tau2", "tau2_ci_lower", "tau2_ci_upper", "i2", "q", "q_df", "q_p_value",
    "message",
  ]

  /// One row as a dictionary of the columns it fills.
  static func line(_ fields: [String: String]) -> [String] { header.map { fields[$0] ?? "" } }

  package static func render(_ r: PoolReport) throws -> String {
    var csv = SafeCSVWriter()
    csv.write(row: header)
    let f = Fmt.full
    // Within-subgroup weights, matched to the overall rows by each cohort's level and position.
    var within: [String: [Double?]] = [:]
    for g in r.subgroups ?? [] { within[g.name] = g.studies.map(\.weight) }
    var seen: [String: Int] = [:]
    for s in r.studies {
      var row = [
        "row_type": "study", "subgroup": s.subgroup ?? "", "label": s.label, "events": "\(s.events)", "n": "\(s.n)",
        "yi": f(s.yi), "vi": f(s.vi), "proportion": f(s.proportion), "ci_lower": f(s.ci_lower),
        "ci_upper": f(s.ci_upper), "weight": f(s.weight),
      ]
      if let g = s.subgroup, let w = within[g] {
        let j = seen[g, default: 0]
        seen[g] = j + 1
        row["weight_in_subgroup"] = j < w.count ? f(w[j]) : "NA"
      }
      csv.write(row: line(row))
    }
    func pooled(_ type: String, _ group: String, _ events: Int, _ n: Int, _ m: PoolReport.Model, _ p: PoolReport.Pooled, _ h: PoolReport.Heterogeneity) throws {
      csv.write(row: line([
        "row_type": type, "subgroup": group, "label": group.isEmpty ? "overall" : group, "events": "\(events)", "n": "\(n)",
        "proportion": f(p.proportion), "ci_lower": f(p.ci_lower), "ci_upper": f(p.ci_upper), "pi_lower": f(p.pi_lower),
        "pi_upper": f(p.pi_upper), "estimate": f(m.estimate), "se": f(m.se), "statistic": f(m.statistic),
        "p_value": f(m.p_value), "model_ci_lower": f(m.ci_lower), "model_ci_upper": f(m.ci_upper), "tau2": f(h.tau2),
        "tau2_ci_lower": f(h.tau2_ci_lower), "tau2_ci_upper": f(h.tau2_ci_upper), "i2": f(h.i2), "q": f(h.q),
        "q_df": "\(h.q_df)", "q_p_value": f(h.q_p_value),
      ]))
    }
    for g in r.subgroups ?? [] { try pooled("subgroup", g.name, g.totals.events, g.totals.n, g.model, g.pooled, g.heterogeneity) }
    if let t = r.subgroup_test {
      csv.write(row: line([
        "row_type": "subgroup_test", "label": "test for subgroup differences", "q": f(t.q), "q_df": "\(t.df)",
        "q_p_value": f(t.p_value), "message": t.method,
      ]))
    }
    try pooled("pooled", "", r.totals.events, r.totals.n, r.model, r.pooled, r.heterogeneity)
    if let m = r.multilevel {
      // Three-level fit: one `level` row per variance component (σ² in `tau2`, its profile CI in
      // tau2_ci_lower/upper, the number of units in `n`, its I² in `i2`) and an `lrt` row (the
      // likelihood-ratio test against the two-level model; total I² in `i2`).
      for l in m.levels {
        csv.write(row: line([
          "row_type": "level", "label": l.name, "n": "\(l.count)", "tau2": f(l.sigma2),
          "tau2_ci_lower": f(l.sigma2_ci_lower), "tau2_ci_upper": f(l.sigma2_ci_upper), "i2": f(l.i2),
        ]))
      }
      csv.write(row: line([
        "row_type": "lrt", "label": "three-level vs two-level", "i2": f(m.i2_total),
        "statistic": f(m.lrt_vs_two_level.statistic), "p_value": f(m.lrt_vs_two_level.p_value), "q_df": "1",
      ]))
    }
    for w in r.warnings { csv.write(row: line(["row_type": "warning", "message": w])) }
    for g in r.subgroups ?? [] {
      for w in g.warnings { csv.write(row: line(["row_type": "warning", "subgroup": g.name, "message": w])) }
    }
    return csv.text
  }
}
