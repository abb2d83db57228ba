// SPDX-License-Identifier: GPL-3.0-or-later

/// Renders a ``PoolReport`` as Markdown tables.
package enum MarkdownReport {
  package static func render(_ r: PoolReport) -> String {
    let s = r.settings
    var out = "# Pooled proportion\n\n"
    out += "| setting | value |\n|---|---|\n"
    out += "| measure | \(s.measure) (\(s.measure_name)) |\n| method | \(s.method) (\(s.method_name)) |\n| test | \(s.test) |\n| level | \(Fmt.f(s.level, 1))% |\n| zero cells | add \(s.add) to \(s.to) |\n| per-cohort CI | \(s.ci_method) |\n| back-transformation | \(s.back_transformation) |\n| prediction interval | \(s.pi_method) |\n"
    if let f = r.input?.filters, !f.isEmpty { out += "| row filters | \(escape(f.joined(separator: ", "))) |\n" }
    out += "\n"
    let groups = r.studies.contains { $0.subgroup != nil }
    out += groups
      ? "| cohort | subgroup | events | n | proportion | CI | weight |\n|---|---|---:|---:|---:|---:|---:|\n"
      : "| cohort | events | n | proportion | CI | weight |\n|---|---:|---:|---:|---:|---:|\n"
    for st in r.studies {
      out += "| \(escape(st.label)) |" + (groups ? " \(escape(st.subgroup ?? "")) |" : "") + " \(st.events) | \(st.n) | \(Fmt.pct(st.proportion)) | \(Fmt.pct(st.ci_lower)) – \(Fmt.pct(st.ci_upper)) | \(Fmt.f(st.weight, 2))% |\n"
    }
    out += "\n| result | k | proportion | CI | PI | I² | τ² | Q p-value |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
    out += row("overall", r.k, r.pooled, r.heterogeneity)
    for g in r.subgroups ?? [] { out += row(escape(g.name), g.k, g.pooled, g.heterogeneity) }
    if let m = r.multilevel {
      out += "\n| level | units | σ² | 95% profile CI | I² |\n|---|---:|---:|---:|---:|\n"
      for l in m.levels {
        out += "| \(escape(l.name)) | \(l.count) | \(Fmt.f(l.sigma2)) | \(Fmt.f(l.sigma2_ci_lower)) – \(Fmt.f(l.sigma2_ci_upper)) | \(Fmt.f(l.i2, 1))% |\n"
      }
      out += "\nTotal I² \(Fmt.f(m.i2_total, 1))%; LRT against the two-level model: \(Fmt.f(m.lrt_vs_two_level.statistic)) (df = 1, p = \(Fmt.p(m.lrt_vs_two_level.p_value))).\n"
    }
    if let t = r.subgroup_test {
      out += "\nTest for subgroup differences: Q = \(Fmt.f(t.q)), df = \(t.df), \(Fmt.pClause(t.p_value))"
      out += (t.tau2_common.map { "; τ² common to the subgroups = \(Fmt.f($0))" } ?? "") + ".\n"
    }
    let groupWarnings = (r.subgroups ?? []).flatMap { g in g.warnings.map { "[\(g.name)] \($0)" } }
    if !r.warnings.isEmpty || !groupWarnings.isEmpty {
      out += "\n**Warnings**\n\n" + (r.warnings + groupWarnings).map { "- \(escape($0))\n" }.joined()
    }
    return out
  }

  static func row(_ name: String, _ k: Int, _ p: PoolReport.Pooled, _ h: PoolReport.Heterogeneity) -> String {
    "| \(name) | \(k) | \(Fmt.pct(p.proportion)) | \(Fmt.pct(p.ci_lower)) – \(Fmt.pct(p.ci_upper)) | \(Fmt.pct(p.pi_lower)) – \(Fmt.pct(p.pi_upper)) | \(Fmt.f(h.i2, 1))% | \(Fmt.f(h.tau2)) | \(Fmt.p(h.q_p_value)) |\n"
  }

  static func escape(_ s: String) -> String {
    // Raw HTML in a label would be rendered by most Markdown viewers: shown as text instead.
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
      .replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}
