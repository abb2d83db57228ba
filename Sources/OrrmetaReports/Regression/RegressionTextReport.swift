// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// Renders a ``RegressionReport`` as text, in the layout of metafor's `print.rma` for a model
/// with moderators: residual heterogeneity, the omnibus test of the moderators, and the
/// coefficient table (with permutation p-values when a permutation test was run).
package enum RegressionTextReport {
  package static func render(_ r: RegressionReport) -> String {
    let f = r.meta_regression
    let s = r.settings
    var out = TextReport.opening(
      version: r.orrmeta_version, title: "mixed-effects meta-regression", input: r.input, subgroups: false,
      cohorts: "k = \(f.k); coefficients: p = \(f.p)", settings: s)
    out += "  zero cells: add \(s.add) to \(s.to)\n"
    out += "Moderators\n"
    for m in r.moderators {
      if let levels = m.levels {
        out += "  \(m.name): categorical, levels \(levels.joined(separator: ", ")) (reference \(m.reference ?? levels[0]))\n"
      } else {
        out += "  \(m.name): continuous\n"
      }
    }
    out += "\nResidual heterogeneity\n"
    out += "  tau^2 = \(Fmt.f(f.tau2.tau2)) (SE \(Fmt.f(f.tau2.standardError))); I^2 = \(Fmt.f(f.i2, 2))%; H^2 = \(Fmt.f(f.h2, 2))"
    if let r2 = f.r2 { out += "; R^2 = \(Fmt.f(r2, 2))%" }
    out += "\n  QE(df = \(f.qeDegreesOfFreedom)) = \(Fmt.f(f.qe)), \(Fmt.pClause(f.qePValue))\n"
    if let m = r.multilevel { out += TextReport.multilevel(m) }
    let range = f.p > 1 ? "coefficients 2:\(f.p)" : "coefficient 1"
    if let df2 = f.qmDenominatorDegreesOfFreedom {
      out += "\nTest of moderators (\(range)): F(df1 = \(f.qmDegreesOfFreedom), df2 = \(df2)) = \(Fmt.f(f.qm)), \(Fmt.pClause(f.qmPValue))"
    } else {
      out += "\nTest of moderators (\(range)): QM(df = \(f.qmDegreesOfFreedom)) = \(Fmt.f(f.qm)), \(Fmt.pClause(f.qmPValue))"
    }
    if let p = r.permutation_test {
      out += "; permutation \(Fmt.pClause(p.result.qmPValue))"
    }
    out += "\n\n"
    let width = max(8, f.coefficients.map(\.name.count).max() ?? 8)
    let statName = f.degreesOfFreedom == nil ? "z" : "t"
    var heads = ["estimate", "se", statName, "p", "ci.lb", "ci.ub"]
    if r.permutation_test != nil { heads.append("perm. p") }
    out += Fmt.pad("", width) + heads.map { "  " + Fmt.pad($0, 10, right: true) }.joined() + "\n"
    for (j, c) in f.coefficients.enumerated() {
      var cells = [Fmt.f(c.estimate), Fmt.f(c.standardError), Fmt.f(c.statistic, 3), Fmt.p(c.pValue), Fmt.f(c.ciLower), Fmt.f(c.ciUpper)]
      if let p = r.permutation_test { cells.append(j < p.result.pValues.count ? Fmt.p(p.result.pValues[j]) : "NA") }
      out += Fmt.pad(c.name, width) + cells.map { "  " + Fmt.pad($0, 10, right: true) }.joined() + "\n"
    }
    if let df = f.degreesOfFreedom { out += "(t tests with \(Fmt.f(df, 0)) df)\n" }
    out += predictionTable(r)
    if let p = r.permutation_test {
      out += p.result.exact
        ? "\nPermutation test (metafor permutest): exact, all \(p.result.iterations) distinct permutations\n"
        : "\nPermutation test (metafor permutest): \(p.result.iterations) random permutations (the first is the observed data; seed \(p.seed))\n"
    }
    if !r.warnings.isEmpty {
      out += "\nWarnings\n"
      for w in r.warnings { out += "  - \(w)\n" }
    }
    return out
  }

  /// The predicted proportions, one row per distinct moderator pattern.
  static func predictionTable(_ r: RegressionReport) -> String {
    guard !r.predictions.isEmpty else { return "" }
    let names = r.moderators.map(\.name)
    let widths = names.map { n in max(n.count, r.predictions.map { ($0.at[n] ?? "").count }.max() ?? 0) }
    var out = "\nPredicted proportions (metafor predict, back-transformed: \(r.settings.back_transformation))\n"
    let heads = ["proportion", "CI", "PI"]
    out += zip(names, widths).map { Fmt.pad($0, $1) + "  " }.joined()
      + Fmt.pad(heads[0], 10, right: true) + "  " + Fmt.pad(heads[1], 16, right: true) + "  " + Fmt.pad(heads[2], 16, right: true) + "\n"
    for p in r.predictions {
      out += zip(names, widths).map { Fmt.pad(p.at[$0] ?? "", $1) + "  " }.joined()
      out += Fmt.pad(Fmt.pct(p.proportion), 10, right: true) + "  "
      out += Fmt.pad("[\(Fmt.pct(p.proportion_ci_lower)), \(Fmt.pct(p.proportion_ci_upper))]", 16, right: true) + "  "
      out += Fmt.pad("[\(Fmt.pct(p.proportion_pi_lower)), \(Fmt.pct(p.proportion_pi_upper))]", 16, right: true) + "\n"
    }
    return out
  }
}
