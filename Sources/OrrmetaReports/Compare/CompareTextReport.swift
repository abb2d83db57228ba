// SPDX-License-Identifier: GPL-3.0-or-later

/// The text and Markdown renderings of a ``CompareReport`` (numbers from the report, formatted
/// by ``Fmt``).
package enum CompareTextReport {
  package static func render(_ r: CompareReport, markdown md: Bool) -> String {
    var out: [String] = []
    let s = r.settings
    let title = "\(s.method_name) meta-analysis of the \(s.measure_name) (k = \(r.k))"
    out.append(md ? "## \(title)\n" : title)
    out.append("\(md ? "- " : "")measure: \(s.measure) (model scale: \(s.model_scale); back-transformation: \(s.back_transformation))")
    out.append("\(md ? "- " : "")method: \(s.method)\(s.tau2_method.map { " (tau^2: \($0))" } ?? ""); CI: \(s.ci_method); level \(Fmt.f(s.level, 1))%")
    out.append("\(md ? "- " : "")zero cells: add = \(s.add), to = \(s.to), drop00 = \(s.drop00 ? "TRUE" : "FALSE")")
    if s.profile != "orrmeta" {
      out.append("\(md ? "- " : "")profile: \(s.profile); defaults changed: \(s.profile_changes.isEmpty ? "none" : s.profile_changes.joined(separator: "; "))")
    }
    out.append("")
    out += section(nil, r.k, r.model, r.pooled, r.heterogeneity, r.tests, r.trials, md: md, common: r.common)
    for g in r.subgroups ?? [] {
      out.append(md ? "\n### Subgroup \(g.name)\n" : "\nSubgroup \(g.name):")
      out += section(g.name, g.k, g.model, g.pooled, g.heterogeneity, g.tests, g.trials, md: md, common: g.common)
      for w in g.warnings { out.append("\(md ? "- " : "")warning: \(w)") }
    }
    for (title, rows) in [("Leave-one-out (trial omitted)", r.leave_one_out), ("Cumulative (trial added)", r.cumulative)] {
      guard let rows else { continue }
      out.append(md ? "\n### \(title)\n" : "\n\(title):")
      out += table(
        ["trial", "effect", "95% CI", "Q", "I^2", "tau^2"],
        rows.map { [$0.label, Fmt.f($0.effect), "[\(Fmt.f($0.effect_ci_lower)), \(Fmt.f($0.effect_ci_upper))]", Fmt.f($0.q), Fmt.f($0.i2, 2) + "%", Fmt.f($0.tau2)] },
        md: md)
    }
    if let b = r.bias {
      out.append(md ? "\n### Small-study tests\n" : "\nSmall-study tests:")
      for (name, t) in [("Egger (predictor SE)", b.egger), ("Peters (predictor 1/n)", b.peters)] {
        out.append("\(md ? "- " : "  ")\(name): \(t.df == nil ? "z" : "t(\(Fmt.f(t.df, 0)))") = \(Fmt.f(t.statistic)), p = \(Fmt.p(t.p_value)); limit estimate \(Fmt.f(t.limit_estimate)) [\(Fmt.f(t.limit_ci_lower)), \(Fmt.f(t.limit_ci_upper))]")
      }
    }
    if !r.warnings.isEmpty {
      out.append(md ? "\n### Warnings\n" : "\nWarnings:")
      for w in r.warnings { out.append("- \(w)") }
    }
    return out.joined(separator: "\n") + "\n"
  }

  static func section(
    _ group: String?, _ k: Int, _ m: CompareReport.Model, _ p: CompareReport.Pooled, _ h: CompareReport.Heterogeneity,
    _ t: CompareReport.Tests, _ trials: [CompareReport.Trial], md: Bool, common: CompareReport.Common? = nil
  ) -> [String] {
    var out: [String] = []
    let cols = ["trial", "treatment", "control", "effect", "95% CI", "weight"]
    let rows = trials.map { x in
      [x.label, "\(x.events_treat)/\(x.n_treat)", "\(x.events_ctrl)/\(x.n_ctrl)", Fmt.f(x.effect),
       "[\(Fmt.f(x.effect_ci_lower)), \(Fmt.f(x.effect_ci_upper))]", !x.included ? "excluded" : x.weight.map { Fmt.f($0, 2) + "%" } ?? "-"]
    }
    out += table(cols, rows, md: md)
    out.append("")
    let pi = p.pi_lower == p.ci_lower && p.pi_upper == p.ci_upper ? "" : "; PI [\(Fmt.f(p.pi_lower)), \(Fmt.f(p.pi_upper))]"
    if let c = common {
      // --profile meta: both models, as meta's print.
      out.append("\(md ? "**" : "")Common effect (\(c.method)) \(p.scale): \(Fmt.f(c.effect)) [\(Fmt.f(c.effect_ci_lower)), \(Fmt.f(c.effect_ci_upper))]\(md ? "**" : ""); z = \(Fmt.f(c.statistic)), p = \(Fmt.p(c.p_value))")
    }
    out.append("\(md ? "**" : "")\(common == nil ? "Pooled" : "Random effects") \(p.scale): \(Fmt.f(p.estimate)) [\(Fmt.f(p.ci_lower)), \(Fmt.f(p.ci_upper))]\(pi)\(md ? "**" : "")")
    out.append("\(md ? "- " : "")model scale: estimate \(Fmt.f(m.estimate)), SE \(Fmt.f(m.se)), \(m.df == nil ? "z" : "t(\(Fmt.f(m.df, 0)))") = \(Fmt.f(m.statistic)), p = \(Fmt.p(m.p_value))")
    // The GLMM's Q is its likelihood-ratio statistic (UM.FS) or not computed (CM.EL).
    let q = h.q == nil ? "" : "Q(\(h.q_df)) = \(Fmt.f(h.q)), p = \(Fmt.p(h.q_p_value)); "
    if common != nil {
      let ci = { (l: Double?, u: Double?) in l == nil && u == nil ? "" : " [\(Fmt.f(l)), \(Fmt.f(u))]" }
      let i2ci = h.i2_ci_lower == nil && h.i2_ci_upper == nil ? "" : " [\(Fmt.f(h.i2_ci_lower, 2))%, \(Fmt.f(h.i2_ci_upper, 2))%]"
      out.append("\(md ? "- " : "")heterogeneity: \(q)I^2 = \(Fmt.f(h.i2, 2))%\(i2ci); H = \(Fmt.f(h.h))\(ci(h.h_ci_lower, h.h_ci_upper)); tau^2 = \(Fmt.f(h.tau2))\(ci(h.tau2_ci_lower, h.tau2_ci_upper))")
    } else {
      out.append("\(md ? "- " : "")heterogeneity: \(q)I^2 = \(Fmt.f(h.i2, 2))%; H^2 = \(Fmt.f(h.h2)); tau^2 = \(Fmt.f(h.tau2))")
    }
    if let c = t.cmh, let co = t.cochran {
      out.append("\(md ? "- " : "")Cochran-Mantel-Haenszel test: CMH = \(Fmt.f(c.statistic)), p = \(Fmt.p(c.p_value)) (Cochran: \(Fmt.f(co.statistic)), p = \(Fmt.p(co.p_value)))")
    }
    if let ta = t.tarone, let bd = t.breslow_day {
      out.append("\(md ? "- " : "")Tarone's test: X^2(\(ta.df)) = \(Fmt.f(ta.statistic)), p = \(Fmt.p(ta.p_value)) (Breslow-Day: \(Fmt.f(bd.statistic)), p = \(Fmt.p(bd.p_value)))")
    }
    return out
  }

  static func table(_ header: [String], _ rows: [[String]], md: Bool) -> [String] {
    if md {
      let esc = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
      return ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        + rows.map { "| " + $0.map(esc).joined(separator: " | ") + " |" }
    }
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    let line = { (r: [String]) in r.enumerated().map { Fmt.pad($1, widths[$0], right: $0 > 0) }.joined(separator: "  ") }
    return [line(header)] + rows.map(line)
  }
}
