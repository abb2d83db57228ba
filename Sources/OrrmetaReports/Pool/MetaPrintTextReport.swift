// SPDX-License-Identifier: GPL-3.0-or-later

/// The text report of `pool --profile meta`: orrmeta's own head (file, settings, profile and
/// the defaults it changed), then the layout of R meta 8.2-1's `print(summary(m))` of a
/// `metaprop` object, so that the two can be compared line by line: the per-study table
/// (proportion, CI, `%W(common)` and `%W(random)` where meta prints them, the subgroup and
/// cluster columns), the numbers of studies, observations and events, the common-effect and
/// random-effects rows, "Quantifying heterogeneity" (τ² and τ with their CIs, I² and H with
/// the test-based CIs), the test of heterogeneity (for the GLMM the Wald-type and the
/// likelihood-ratio test), the subgroup tables with the tests for subgroup differences, and
/// "Details of meta-analysis methods"; orrmeta's warnings last.
///
/// Every number comes from the ``PoolReport`` (the JSON's values), rounded as meta rounds
/// (meta's `gs("digits")` defaults: 4 decimals for proportions and τ², 2 for Q and H, 1 for
/// I² and the weights, `formatPT` for p-values), by ``Fmt``. Two are derived here, as meta
/// derives them: the τ CI, the square roots of the τ² CI bounds (meta's `lower.tau`), and the
/// common-effect weights 100 (1/vᵢ)/Σ(1/vⱼ) (meta's `w.common`). Meta's own defaults decide
/// what is shown: no prediction interval (`prediction = FALSE`), no z or p of the pooled
/// estimates (`null.effect` printing off). Layout facts checked against meta's output on the
/// ALK fixture (Fixtures/profiles/meta-print.json, Tests/OrrmetaCLITests/MetaPrintLayoutTests.swift).
package enum MetaPrintTextReport {
  package static func render(_ r: PoolReport) -> String {
    var out = TextReport.header(r) + "\n"
    out += studyTable(r) + "\n"
    out += summary(r)
    out += heterogeneity(r)
    out += heterogeneityTest(r.heterogeneity, glmm: r.settings.method == "GLMM")
    if let groups = r.subgroups, !groups.isEmpty { out += subgroups(groups, test: r.subgroup_test, report: r) }
    out += details(r)
    return out + TextReport.footer(r)
  }

  // MARK: R's printing

  /// R's `prmatrix(quote = FALSE, right = TRUE)`: row names left-justified to the widest, each
  /// column right-justified to the wider of its header and its cells, one space between.
  static func matrix(rows: [String], header: [String], cells: [[String]]) -> String {
    let nameWidth = rows.map(\.count).max() ?? 0
    let widths = header.indices.map { j in max(header[j].count, cells.map { $0[j].count }.max() ?? 0) }
    var out = String(repeating: " ", count: nameWidth)
    for (h, w) in zip(header, widths) { out += " " + Fmt.pad(h, w, right: true) }
    out += "\n"
    for (name, row) in zip(rows, cells) {
      out += Fmt.pad(name, nameWidth)
      for (c, w) in zip(row, widths) { out += " " + Fmt.pad(c, w, right: true) }
      out += "\n"
    }
    return out
  }

  /// meta's `formatCI` of rounded bounds: "[lower; upper]", each side right-justified to the
  /// widest of its column.
  static func intervals(_ bounds: [(Double?, Double?)], digits: Int = 4) -> [String] {
    let lower = bounds.map { Fmt.fixed($0.0, digits) }, upper = bounds.map { Fmt.fixed($0.1, digits) }
    let lw = lower.map(\.count).max() ?? 0, uw = upper.map(\.count).max() ?? 0
    return zip(lower, upper).map { "[" + Fmt.pad($0, lw, right: true) + "; " + Fmt.pad($1, uw, right: true) + "]" }
  }

  /// meta's `formatPT(x, lab = TRUE, labval =)`: "tau^2 = 0", "tau^2 < 0.0001" or four decimals.
  static func labelled(_ label: String, _ x: Double?) -> String {
    guard let x, x.isFinite else { return "\(label) = NA" }
    if x == 0 { return "\(label) = 0" }
    return x < 0.0001 ? "\(label) < 0.0001" : "\(label) = \(Fmt.fixed(x, 4))"
  }

  /// meta's `formatPT(x)` for a table cell: "0", "< 0.0001" or four decimals.
  static func cell(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "NA" }
    if x == 0 { return "0" }
    return x < 0.0001 ? "< 0.0001" : Fmt.fixed(x, 4)
  }

  /// meta's `pasteCI`: " [lower; upper]".
  static func ci(_ lower: Double?, _ upper: Double?, digits: Int, unit: String = "") -> String {
    " [\(Fmt.fixed(lower, digits))\(unit); \(Fmt.fixed(upper, digits))\(unit)]"
  }

  // MARK: The blocks

  static func isThreeLevel(_ r: PoolReport) -> Bool { r.multilevel != nil }
  static func isGLMM(_ r: PoolReport) -> Bool { r.settings.method == "GLMM" }
  /// meta's `random`: every method but EE (and simple pooling, which meta does not offer).
  static func showsRandom(_ r: PoolReport) -> Bool { r.settings.method != "EE" && r.settings.method != "pooled" }

  /// The per-study table of `print.summary.meta`.
  static func studyTable(_ r: PoolReport) -> String {
    let studies = r.studies
    var header = ["proportion", "\(Fmt.f(r.settings.level, 0))%-CI"]
    var cells = zip(studies.map { Fmt.fixed($0.proportion, 4) }, intervals(studies.map { ($0.ci_lower, $0.ci_upper) })).map { [$0, $1] }
    // meta prints no weights for the GLMM, and no common-effect weights for a three-level model.
    if !isGLMM(r), r.common != nil, !isThreeLevel(r) {
      header.append("%W(common)")
      let w = commonWeights(studies)
      for i in cells.indices { cells[i].append(Fmt.fixed(w[i], 1)) }
    }
    if !isGLMM(r), showsRandom(r) {
      header.append("%W(random)")
      for i in cells.indices { cells[i].append(Fmt.fixed(studies[i].weight, 1)) }
    }
    if let by = r.input?.by_column, studies.contains(where: { $0.subgroup != nil }) {
      header.append(by)
      for i in cells.indices { cells[i].append(studies[i].subgroup ?? "") }
    }
    if isThreeLevel(r), studies.contains(where: { $0.cluster != nil }) {
      header.append("cluster")
      for i in cells.indices { cells[i].append(studies[i].cluster ?? "") }
    }
    return matrix(rows: studies.map(\.label), header: header, cells: cells)
  }

  /// The common-effect weights in percent, 100 (1/vᵢ)/Σ(1/vⱼ) (meta's `w.common`); nil where
  /// vᵢ is missing.
  static func commonWeights(_ studies: [PoolReport.Study]) -> [Double?] {
    let w = studies.map { s in s.vi.flatMap { $0 > 0 ? 1 / $0 : nil } }
    let total = w.reduce(0) { $0 + ($1 ?? 0) }
    return w.map { $0.map { 100 * $0 / total } }
  }

  /// The counts and the common-effect and random-effects rows.
  static func summary(_ r: PoolReport) -> String {
    var out = ""
    if let m = r.multilevel {
      out += "Number of studies: n = \(m.levels[0].count)\nNumber of estimates: k = \(r.k)\n"
    } else {
      out += "Number of studies: k = \(r.k)\n"
    }
    out += "Number of observations: o = \(r.totals.n)\nNumber of events: e = \(r.totals.events)\n\n"
    var rows: [String] = [], values: [(Double?, Double?, Double?)] = []
    if let c = r.common, !isThreeLevel(r) {
      rows.append("Common effect model"); values.append((c.proportion, c.proportion_ci_lower, c.proportion_ci_upper))
    }
    if showsRandom(r) {
      rows.append("Random effects model"); values.append((r.pooled.proportion, r.pooled.ci_lower, r.pooled.ci_upper))
    }
    let cells = zip(values.map { Fmt.fixed($0.0, 4) }, intervals(values.map { ($0.1, $0.2) })).map { [$0, $1] }
    return out + matrix(rows: rows, header: ["proportion", "\(Fmt.f(r.settings.level, 0))%-CI"], cells: cells)
  }

  /// "Quantifying heterogeneity": τ² and τ (per level for a three-level model) with their CIs,
  /// I² and H with the test-based CIs (meta's `method.I2 = "Q"`; for the GLMM from the Wald-type Q);
  /// with `--tau-common`, "Quantifying residual heterogeneity" follows.
  static func heterogeneity(_ r: PoolReport) -> String {
    let h = r.heterogeneity
    var taus: [TauRow] = []
    if let m = r.multilevel {
      taus = [TauRow(suffix: "1", tau2: m.levels[0].sigma2, lower: m.levels[0].sigma2_ci_lower, upper: m.levels[0].sigma2_ci_upper, name: "between cluster"),
              TauRow(suffix: "2", tau2: m.levels[1].sigma2, lower: m.levels[1].sigma2_ci_lower, upper: m.levels[1].sigma2_ci_upper, name: "within cluster")]
    } else if showsRandom(r) {
      taus = [TauRow(suffix: "", tau2: h.tau2, lower: h.tau2_ci_lower, upper: h.tau2_ci_upper, name: "")]
    }
    let tauCI = taus.contains { $0.lower != nil && $0.upper != nil } && !taus.allSatisfy { $0.lower == 0 && $0.upper == 0 }
    let q = r.settings.method == "GLMM" ? (h.q_wald ?? h.q) : h.q
    var out = block("heterogeneity", taus: taus, tauCI: tauCI, overallTauCI: tauCI, q: q, df: h.q_df,
                    i2: (h.i2_q, h.i2_q_ci_lower, h.i2_q_ci_upper), h: (h.h, h.h_ci_lower, h.h_ci_upper), level: r.settings.level)
    // meta 8.2-1 R/print.meta.R "Print information on residual heterogeneity": with
    // tau.common, τ² of the meta-regression on the subgroups (no CI) and I², H from Q within.
    if let t = r.subgroup_test, let tau2 = t.tau2_common, t.i2_residual != nil, let q = t.q_within, let df = t.q_within_df {
      out += block("residual heterogeneity", taus: [TauRow(suffix: "", tau2: tau2, lower: nil, upper: nil, name: "")], tauCI: false,
                   overallTauCI: tauCI, q: q, df: df, i2: (t.i2_residual, t.i2_residual_ci_lower, t.i2_residual_ci_upper),
                   h: (t.h_residual, t.h_residual_ci_lower, t.h_residual_ci_upper), level: r.settings.level)
    }
    return out
  }

  /// A τ² row of "Quantifying heterogeneity": label suffix (".1", ".2" per level), τ², its CI
  /// and the level's name.
  struct TauRow {
    var suffix: String, tau2: Double?, lower: Double?, upper: Double?, name: String
  }

  /// One "Quantifying …" block of meta's `cathet`. `overallTauCI`: whether the overall τ² CI is
  /// printed, which meta's header counts for the residual block too.
  static func block(
    _ title: String, taus: [TauRow], tauCI: Bool, overallTauCI: Bool, q: Double?, df: Int,
    i2: (Double?, Double?, Double?), h: (Double?, Double?, Double?), level: Double
  ) -> String {
    let k = Double(df + 1)
    let i2Low = Fmt.fixed(i2.1, 1), i2Up = Fmt.fixed(i2.2, 1)
    let i2CI = i2.1 != nil && i2.2 != nil && i2Low != i2Up
      && (q.map { ($0 > k && k >= 2) || ($0 <= k && k > 2) } ?? false)
    let hCI = i2CI && h.1 != nil && h.2 != nil && Fmt.fixed(h.1, 2) != Fmt.fixed(h.2, 2)
    let count = (overallTauCI ? 2 : 0) + (i2CI ? 1 : 0) + (hCI ? 1 : 0)
    var out = "\nQuantifying \(title)"
    if count > 0 { out += " (with \(Fmt.f(level, 0))%-CI\(count > 1 ? "s" : ""))" }
    out += ":\n"
    var tauLines: [String] = []
    for t in taus {
      let tau = t.tau2.map { $0.squareRoot() }
      var line = " " + labelled("tau^2" + (t.suffix.isEmpty ? "" : ".\(t.suffix)"), t.tau2)
      if tauCI { line += ci(t.lower, t.upper, digits: 4) }
      line += "; " + labelled("tau" + (t.suffix.isEmpty ? "" : ".\(t.suffix)"), tau)
      if tauCI { line += ci(t.lower.map { $0.squareRoot() }, t.upper.map { $0.squareRoot() }, digits: 4) }
      if !t.name.isEmpty { line += " (\(t.name))" }
      tauLines.append(line)
    }
    var i2Line = "I^2 = \(Fmt.fixed(i2.0, 1))%"
    if i2CI { i2Line += ci(i2.1, i2.2, digits: 1, unit: "%") }
    i2Line += "; H = \(Fmt.fixed(h.0, 2))"
    if hCI { i2Line += ci(h.1, h.2, digits: 2) }
    if tauLines.isEmpty {
      out += " " + i2Line + "\n"
    } else if taus.count > 1 || tauCI {
      out += tauLines.joined(separator: "\n") + "\n " + i2Line + "\n"
    } else {
      out += tauLines[0] + "; " + i2Line + "\n"
    }
    return out
  }

  /// "Test of heterogeneity": Cochran's Q, or for the GLMM the Wald-type and the
  /// likelihood-ratio tests (meta's rows " Wald" and " LRT").
  static func heterogeneityTest(_ h: PoolReport.Heterogeneity, glmm: Bool) -> String {
    guard h.q_df > 0 else { return "" }
    var rows: [String] = [], cells: [[String]] = []
    if glmm, let wald = h.q_wald {
      rows = [" Wald", " LRT"]
      cells = [[Fmt.fixed(wald, 2), "\(h.q_df)", Fmt.pMeta(h.q_wald_p_value)],
               [Fmt.fixed(h.q_lrt, 2), "\(h.q_df)", Fmt.pMeta(h.q_lrt_p_value)]]
    } else {
      rows = [""]
      cells = [[Fmt.fixed(h.q, 2), "\(h.q_df)", Fmt.pMeta(h.q_p_value)]]
    }
    return "\nTest of heterogeneity:\n" + matrix(rows: rows, header: ["Q", "d.f.", "p-value"], cells: cells)
  }

  /// The subgroup tables (common effect: k, estimate, CI, Q, I²; random effects: k, estimate,
  /// CI, τ², τ) and the tests for subgroup differences.
  static func subgroups(_ groups: [PoolReport.Subgroup], test t: PoolReport.SubgroupTestBlock?, report r: PoolReport) -> String {
    let by = r.input?.by_column ?? "subgroup"
    let names = groups.map { "\(by) = \($0.name)" }
    let ciHeader = "\(Fmt.f(r.settings.level, 0))%-CI"
    var out = ""
    // The subgroups' Q (GLMM: the Wald-type Q) and I², in the common-effect table or, without
    // one, in the random-effects table; "--" where I² is missing.
    func q(_ g: PoolReport.Subgroup) -> String {
      Fmt.fixed(isGLMM(r) ? (g.heterogeneity.q_wald ?? g.heterogeneity.q) : g.heterogeneity.q, 2)
    }
    func i2(_ g: PoolReport.Subgroup) -> String { g.heterogeneity.i2_q.map { Fmt.fixed($0, 1) + "%" } ?? "--" }
    let commonTable = r.common != nil && !isThreeLevel(r)
    if commonTable {
      let commons = groups.map(\.common)
      let cis = intervals(commons.map { ($0?.proportion_ci_lower, $0?.proportion_ci_upper) })
      let cells = groups.indices.map { i in
        ["\(groups[i].k)", Fmt.fixed(commons[i]?.proportion, 4), cis[i], q(groups[i]), i2(groups[i])]
      }
      out += "\nResults for subgroups (common effect model):\n"
      out += matrix(rows: names, header: ["  k", "proportion", ciHeader, "Q", "I^2"], cells: cells)
      if let t, let q = t.q_common {
        var rows = ["Between groups"], cells = [[Fmt.fixed(q, 2), "\(t.df)", Fmt.pMeta(t.p_value_common)]]
        if let w = t.q_within, let df = t.q_within_df {
          rows.append("Within groups"); cells.append([Fmt.fixed(w, 2), "\(df)", Fmt.pMeta(t.p_value_within)])
        }
        out += "\nTest for subgroup differences (common effect model):\n"
        out += matrix(rows: rows, header: ["Q", "d.f.", "p-value"], cells: cells)
      }
    }
    if showsRandom(r) {
      let cis = intervals(groups.map { ($0.pooled.ci_lower, $0.pooled.ci_upper) })
      // meta prints "--" for the τ² of a one-cohort subgroup (unless τ² is common).
      let single = { (g: PoolReport.Subgroup) in g.k == 1 && !r.settings.tau_common }
      let cells = groups.indices.map { i -> [String] in
        let g = groups[i]
        let row = ["\(g.k)", Fmt.fixed(g.pooled.proportion, 4), cis[i], single(g) ? "--" : cell(g.heterogeneity.tau2), single(g) ? "--" : cell(g.heterogeneity.tau)]
        return commonTable ? row : row + [q(g), i2(g)]
      }
      out += "\nResults for subgroups (random effects model):\n"
      out += matrix(rows: names, header: ["  k", "proportion", ciHeader, "tau^2", "tau"] + (commonTable ? [] : ["Q", "I^2"]), cells: cells)
      if let t, t.q != nil {
        var rows = ["Between groups"], cells = [[Fmt.fixed(t.q, 2), "\(t.df)", Fmt.pMeta(t.p_value)]]
        // With tau.common meta adds the residual Q of the meta-regression on the subgroups
        // (`Q.w.random` = hetcalc's `Q.resid`), which equals Q within (`q_within`).
        if t.tau2_common != nil, let w = t.q_within, let df = t.q_within_df {
          rows.append("Within groups"); cells.append([Fmt.fixed(w, 2), "\(df)", Fmt.pMeta(t.p_value_within)])
        }
        out += "\nTest for subgroup differences (random effects model):\n"
        out += matrix(rows: rows, header: ["Q", "d.f.", "p-value"], cells: cells)
      }
    }
    return out
  }

  /// meta's names of the τ² estimators (R/catmeth.R).
  static let estimatorNames = [
    "DL": "DerSimonian-Laird", "PM": "Paule-Mandel", "REML": "Restricted maximum-likelihood",
    "ML": "Maximum-likelihood", "HS": "Hunter-Schmidt", "SJ": "Sidik-Jonkman", "HE": "Hedges",
    "EB": "Empirical Bayes",
  ]
  /// meta's names of the transformations.
  static let measureNames = [
    "PLO": "Logit transformation", "PFT": "Freeman-Tukey double arcsine transformation",
    "PAS": "Arcsine transformation", "PLN": "Log transformation", "PR": "Untransformed proportions",
  ]
  /// meta's names of the cohorts' CI methods (`method.ci`).
  static let intervalNames = [
    "clopper-pearson": "Clopper-Pearson confidence interval", "wilson": "Wilson Score confidence interval",
    "wilson-cc": "Wilson Score confidence interval with continuity correction",
    "agresti-coull": "Agresti-Coull confidence interval", "wald": "Normal approximation confidence interval",
  ]

  /// "Details of meta-analysis methods", as meta's `catmeth` words them for these settings.
  static func details(_ r: PoolReport) -> String {
    let s = r.settings
    var lines: [String] = []
    // The GLMM's τ² is ML (meta's method.tau for GLMM); otherwise the method is the estimator.
    let estimator = isGLMM(r) ? "ML" : s.method
    if isGLMM(r) {
      lines.append("Random intercept logistic regression model")
    } else if isThreeLevel(r) {
      lines.append("Inverse variance method (three-level model)")
    } else {
      lines.append("Inverse variance method")
    }
    if showsRandom(r), let name = estimatorNames[estimator] {
      lines.append("\(name) estimator for tau^2" + (s.tau_common ? "\n  (assuming common tau^2 in subgroups)" : ""))
    }
    if showsRandom(r), !isGLMM(r) {
      let method = isThreeLevel(r) ? "Profile-Likelihood" : (s.method == "DL" ? "Jackson" : "Q-Profile")
      lines.append("\(method) method for confidence interval of tau^2 and tau")
    }
    lines.append("Calculation of I^2 based on Q")
    // meta's method.random.ci = "HK": rma.uni(test = "knha"), or for the GLMM rma.glmm(test = "t").
    if s.test == "knha" {
      lines.append("Hartung-Knapp adjustment for random effects model (df = \(max(0, r.k - 1)))")
    } else if isGLMM(r), s.test == "t" {
      lines.append("Random effects confidence interval based on t-distribution (df = \(max(0, r.k - 1)))")
    }
    if let m = measureNames[s.measure] { lines.append(m) }
    if let ci = intervalNames[s.ci_method] {
      lines.append("\(ci) for individual studies")
    }
    let zeroCell = r.studies.contains { $0.events == 0 || $0.events == $0.n }
    // R prints the increment as a number: 0.5, 1.
    let add = s.add == s.add.rounded() && abs(s.add) < 1e9 ? String(Int(s.add)) : "\(s.add)"
    if !isGLMM(r), s.add != 0, s.measure == "PLO" || s.measure == "PLN" || s.measure == "PR" {
      if s.to == "all" {
        lines.append("Continuity correction of \(add) in all studies")
      } else if zeroCell {
        lines.append("Continuity correction of \(add) in studies with zero cell frequencies")
      }
    }
    return "\nDetails of meta-analysis methods:\n" + lines.map { "- " + $0 + "\n" }.joined()
  }
}
