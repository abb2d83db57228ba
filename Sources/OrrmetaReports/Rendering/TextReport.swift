// SPDX-License-Identifier: GPL-3.0-or-later

/// Renders a ``PoolReport`` as a readable report: settings, per-cohort table, pooled results,
/// heterogeneity, subgroups and warnings (in the spirit of metafor's `print.rma`).
package enum TextReport {
  package static func render(_ r: PoolReport) -> String {
    var out = header(r)
    let s = r.settings
    out += "\n" + studyTable(r.studies, level: s.level)
    out += "\n" + block(title: "Pooled result", model: r.model, pooled: r.pooled, het: r.heterogeneity, settings: s)
    if let m = r.multilevel { out += multilevel(m) }
    if let groups = r.subgroups {
      for g in groups {
        out += "\n" + block(title: "Subgroup \(g.name) (k = \(g.k), \(g.totals.events)/\(g.totals.n))", model: g.model, pooled: g.pooled, het: g.heterogeneity, settings: s)
        if let m = g.multilevel { out += multilevel(m) }
      }
      if let t = r.subgroup_test {
        out += "\nTest for subgroup differences: Q = \(Fmt.f(t.q)), df = \(t.df), \(Fmt.pClause(t.p_value))\n  (\(t.method))\n"
        if let c = t.tau2_common { out += "  tau^2 common to the subgroups: \(Fmt.f(c)) (meta-regression on the subgroups)\n" }
      }
    }
    return out + footer(r)
  }

  /// The file, the cohorts and every setting (with the profile lines): the head of the text
  /// report under every layout.
  static func header(_ r: PoolReport) -> String {
    let s = r.settings
    var out = opening(
      version: r.orrmeta_version, title: "meta-analysis of proportions", input: r.input, subgroups: true,
      cohorts: "k = \(r.k), \(r.totals.events) responders of \(r.totals.n) patients", settings: s, levelNote: levelEcho(s))
    out += "  zero cells: add \(s.add) to \(s.to); per-cohort CI: \(s.ci_method); back-transformation: \(s.back_transformation)\n"
    out += "  prediction interval: \(s.pi_method)\n"
    if let t = s.tau2_ci_method { out += "  tau^2 CI: \(t); I^2: \(s.i2_definition)\n" }
    out += profileLines(s)
    return out
  }

  /// Non-convergence and the warnings: the tail of the text report under every layout.
  static func footer(_ r: PoolReport) -> String {
    var out = ""
    if !r.convergence.converged {
      out += "\nCONVERGENCE: the fit did not converge (\(r.convergence.iterations) iterations)\n"
    }
    if !r.warnings.isEmpty || (r.subgroups?.contains { !$0.warnings.isEmpty } ?? false) {
      out += "\nWarnings\n"
      for w in r.warnings { out += "  - \(w)\n" }
      for g in r.subgroups ?? [] { for w in g.warnings { out += "  - [\(g.name)] \(w)\n" } }
    }
    return out
  }

  /// The profile and the defaults it changed, and the stopping rules when not exact; nothing
  /// under the orrmeta profile with exact convergence (today's report, unchanged).
  static func profileLines(_ s: PoolReport.Settings) -> String {
    var out = ""
    if s.profile != "orrmeta" {
      out += "  profile: \(s.profile); defaults changed: \(s.profile_changes.isEmpty ? "none" : s.profile_changes.joined(separator: ", "))\n"
    }
    if s.convergence != "exact" { out += "  convergence: \(s.convergence) (stopping rules)\n" }
    return out
  }

  /// The variance components of a three-level fit, the total I² and the LRT.
  static func multilevel(_ m: PoolReport.Multilevel) -> String {
    var out = "  three-level model (cohorts nested in \(m.levels[0].name)), profile-likelihood CIs:\n"
    for l in m.levels {
      out += "    sigma^2 (\(l.name), \(l.count) units) = \(Fmt.f(l.sigma2)) [\(Fmt.f(l.sigma2_ci_lower)), \(Fmt.f(l.sigma2_ci_upper))]; I^2 = \(Fmt.f(l.i2, 1))%\n"
    }
    out += "    total I^2 = \(Fmt.f(m.i2_total, 1))%; log-likelihood \(Fmt.f(m.log_likelihood)); LRT vs two-level model = \(Fmt.f(m.lrt_vs_two_level.statistic)) (df = 1, \(Fmt.pClause(m.lrt_vs_two_level.p_value)))\n"
    return out
  }

  /// Under the `meta` profile, which of meta's four levels `--level` stands for (meta's
  /// `level`, `level.ma`, `level.predict` and `level.hetstat` are separate options; orrmeta has one).
  static func levelEcho(_ s: PoolReport.Settings) -> String {
    s.profile == "meta" ? " (R meta: level = level.ma = level.predict = level.hetstat)" : ""
  }

  /// The cohort table; with subgroups, a `subgroup` column after the label. Weights are those
  /// of the overall model (as in the JSON `studies` and the CSV `weight` column).
  static func studyTable(_ studies: [PoolReport.Study], level: Double) -> String {
    let width = min(40, max(5, studies.map { $0.label.count }.max() ?? 5))
    let groups = studies.contains { $0.subgroup != nil }
    let groupWidth = min(24, max(8, studies.map { $0.subgroup?.count ?? 0 }.max() ?? 8))
    func fit(_ s: String, _ w: Int) -> String { s.count > w ? String(s.prefix(w - 1)) + "~" : s }
    var out = "\(Fmt.pad("cohort", width))  " + (groups ? "\(Fmt.pad("subgroup", groupWidth))  " : "")
    out += "\(Fmt.pad("events", 7, right: true))  \(Fmt.pad("n", 7, right: true))  \(Fmt.pad("prop.", 7, right: true))  \(Fmt.pad("\(Fmt.f(level, 0))% CI", 17, right: true))  \(Fmt.pad("weight", 7, right: true))\n"
    for st in studies {
      out += "\(Fmt.pad(fit(st.label, width), width))  " + (groups ? "\(Fmt.pad(fit(st.subgroup ?? "", groupWidth), groupWidth))  " : "")
      out += "\(Fmt.pad("\(st.events)", 7, right: true))  \(Fmt.pad("\(st.n)", 7, right: true))  \(Fmt.pad(Fmt.pct(st.proportion), 7, right: true))  \(Fmt.pad("[\(Fmt.pct(st.ci_lower)), \(Fmt.pct(st.ci_upper))]", 17, right: true))  \(Fmt.pad(st.weight.map { Fmt.f($0, 2) + "%" } ?? "NA", 7, right: true))\n"
    }
    return out
  }

  static func block(title: String, model m: PoolReport.Model, pooled p: PoolReport.Pooled, het h: PoolReport.Heterogeneity, settings s: PoolReport.Settings) -> String {
    var out = "\(title)\n"
    if s.method == "pooled" {
      out += "  proportion: \(Fmt.pct(p.proportion)) [\(Fmt.pct(p.ci_lower)), \(Fmt.pct(p.ci_upper))] (\(s.ci_method) CI on the summed counts)\n"
    } else {
      // The test actually used: a t df only when the fit has one (a single-cohort subgroup under
      // knha or t is tested with z, as metafor does for k = 1).
      let stat = m.df.map { "t(\(Fmt.f($0, 0)))" } ?? "z"
      out += "  estimate (\(s.measure) scale): \(Fmt.f(m.estimate)), SE \(Fmt.f(m.se)), \(stat) = \(Fmt.f(m.statistic, 3)), \(Fmt.pClause(m.p_value))\n"
      out += "  CI [\(Fmt.f(m.ci_lower)), \(Fmt.f(m.ci_upper))]; PI [\(Fmt.f(m.pi_lower)), \(Fmt.f(m.pi_upper))]\n"
      out += "  proportion: \(Fmt.pct(p.proportion)) [\(Fmt.pct(p.ci_lower)), \(Fmt.pct(p.ci_upper))]; prediction interval [\(Fmt.pct(p.pi_lower)), \(Fmt.pct(p.pi_upper))]\n"
    }
    out += "  heterogeneity: Q = \(Fmt.f(h.q)) (df = \(h.q_df), \(Fmt.pClause(h.q_p_value))); I^2 = \(Fmt.f(h.i2, 1))%"
    if h.i2_ci_lower != nil { out += " [\(Fmt.f(h.i2_ci_lower, 1))%, \(Fmt.f(h.i2_ci_upper, 1))%]" }
    out += "; H^2 = \(Fmt.f(h.h2, 2))\n"
    if h.tau2 != nil {
      out += "  tau^2 = \(Fmt.f(h.tau2))"
      if h.tau2_ci_lower != nil { out += " [\(Fmt.f(h.tau2_ci_lower)), \(Fmt.f(h.tau2_ci_upper))]" }
      out += " (SE \(Fmt.f(h.tau2_se))); tau = \(Fmt.f(h.tau))\n"
    }
    if let qw = h.q_wald { out += "  GLMM heterogeneity tests: Wald Q = \(Fmt.f(qw)) (\(Fmt.pClause(h.q_wald_p_value))), LRT = \(Fmt.f(h.q_lrt)) (\(Fmt.pClause(h.q_lrt_p_value)))\n" }
    return out
  }
}
