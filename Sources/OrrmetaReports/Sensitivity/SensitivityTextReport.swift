// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// Renders a ``SensitivityReport`` as readable text: the settings and the pooled result (as
/// `orrmeta pool`), then one table per analysis (in the spirit of metafor's `print` methods).
/// Model-scale values have 4 decimals, proportions are in percent; "NA" marks a value that
/// could not be computed (null in JSON).
package enum SensitivityTextReport {
  package static func render(_ r: SensitivityReport) -> String {
    let s = r.settings
    var out = TextReport.opening(
      version: r.orrmeta_version, title: "sensitivity analyses", input: r.input, subgroups: false, cohorts: "k = \(r.k)", settings: s)
    out += "  zero cells: add \(s.add) to \(s.to); back-transformation: \(s.back_transformation)\n"
    let c = r.sensitivity_settings.control
    out += "  refits: the same tau^2 method, test and level; control threshold \(c.threshold), at most \(c.max_iterations) iterations\n"
    out += "\n" + TextReport.block(title: "Pooled result (all cohorts)", model: r.model, pooled: r.pooled, het: r.heterogeneity, settings: s)
    let level = Fmt.f(s.level, 0)
    let width = min(40, max(6, ([r.leave_one_out, r.cumulative].compactMap { $0 }.flatMap { $0.map(\.label.count) }
      + (r.influence ?? []).map(\.label.count)).max() ?? 6))

    if let rows = r.leave_one_out {
      out += "\nLeave-one-out (metafor leave1out): the model refitted without each cohort\n"
      out += estimateTable(rows, width: width, first: "omitted", level: level)
    }
    if let rows = r.influence {
      out += "\nInfluence diagnostics (metafor influence); * = influential\n"
      let heads = ["rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat", "weight", "dfbetas"]
      out += Fmt.pad("cohort", width) + heads.map { "  " + Fmt.pad($0, 9, right: true) }.joined() + "  inf\n"
      for x in rows {
        let values = [x.rstudent, x.dffits, x.cookDistance, x.covarianceRatio, x.tau2Deleted, x.qDeleted, x.hat, x.weight, x.dfbetas]
        out += Fmt.pad(cut(x.label, width), width) + values.map { "  " + Fmt.pad(Fmt.f($0), 9, right: true) }.joined()
          + (x.influential ? "  *" : "") + "\n"
      }
    }
    if let points = r.baujat {
      out += "\nBaujat plot coordinates (metafor baujat)\n"
      out += Fmt.pad("cohort", width) + "  " + Fmt.pad("x (heterogeneity)", 18, right: true) + "  " + Fmt.pad("y (influence)", 14, right: true) + "\n"
      for p in points {
        out += Fmt.pad(cut(p.label, width), width) + "  " + Fmt.pad(Fmt.f(p.x), 18, right: true) + "  " + Fmt.pad(Fmt.f(p.y), 14, right: true) + "\n"
      }
    }
    if let rows = r.cumulative {
      let order = r.sensitivity_settings.order_by.map { "ordered by \($0), ascending (ties in file order)" } ?? "in file order"
      out += "\nCumulative meta-analysis (metafor cumul): cohorts added \(order)\n"
      out += estimateTable(rows, width: width, first: "added", level: level)
    }
    if let b = r.bias {
      out += "\nSmall-study effects\n"
      out += regressionLine("Egger's regression test (predictor: standard error)", b.egger, level: level)
      out += regressionLine("Peters' test (metafor regtest, predictor: 1/n)", b.peters, level: level)
      out += "  Begg's rank correlation test: Kendall's tau = \(Fmt.f(b.begg.tau)), \(Fmt.pClause(b.begg.pValue)) (\(b.begg.exact ? "exact" : "normal approximation"))\n"
    }
    if let t = r.trimfill {
      out += "\nTrim-and-fill (\(t.estimator.rawValue) estimator; side \(t.side.rawValue)\(t.sideEstimated ? ", estimated" : ""))\n"
      out += "  imputed cohorts: k0 = \(t.k0) (SE \(Fmt.f(t.k0StandardError)))\n"
      out += "  adjusted estimate: \(Fmt.f(t.estimate)) [\(Fmt.f(t.ciLower)), \(Fmt.f(t.ciUpper))], \(Fmt.pClause(t.pValue)); tau^2 = \(Fmt.f(t.tau2))\n"
      out += "  adjusted proportion: \(Fmt.pct(t.proportion)) [\(Fmt.pct(t.proportionCILower)), \(Fmt.pct(t.proportionCIUpper))] (z test, 95% CI, as metafor's trimfill)\n"
    }
    if let g = r.gosh {
      let how = g.exhaustive ? "all \(g.subsets) subsets" : "\(g.subsets) random subsets (seed \(g.seed.map(String.init) ?? "NA"))"
      out += "\nGOSH (metafor gosh): \(how) of the \(g.k) cohorts\n"
      if g.summary.failed > 0 { out += "  \(g.summary.failed) fits failed and are left out\n" }
      out += summaryTable([("estimate", g.summary.estimate), ("I^2", g.summary.i2), ("tau^2", g.summary.tau2), ("Q", g.summary.q), ("H^2", g.summary.h2)])
    }
    if let b = r.bootstrap {
      out += "\nBootstrap (\(b.resamples) resamples of the cohorts, seed \(b.seed))\n"
      out += "  percentile \(level)% CI of the estimate: [\(Fmt.f(b.ciLower)), \(Fmt.f(b.ciUpper))]; proportion [\(Fmt.pct(b.proportionCILower)), \(Fmt.pct(b.proportionCIUpper))]\n"
      out += "  percentile \(level)% CI of tau^2: [\(Fmt.f(b.tau2CILower)), \(Fmt.f(b.tau2CIUpper))]\n"
      out += "  bias \(Fmt.f(b.bias)), SE \(Fmt.f(b.standardError))\(b.failed > 0 ? "; \(b.failed) failed fits left out" : "")\n"
    }
    if !r.warnings.isEmpty {
      out += "\nWarnings\n"
      for w in r.warnings { out += "  - \(w)\n" }
    }
    return out
  }

  static func cut(_ label: String, _ width: Int) -> String {
    label.count > width ? String(label.prefix(width - 1)) + "~" : label
  }

  static func estimateTable(_ rows: [LeaveOneOutRow], width: Int, first: String, level: String) -> String {
    var out = Fmt.pad(first, width) + "  " + Fmt.pad("estimate", 9, right: true) + "  " + Fmt.pad("\(level)% CI", 19, right: true)
      + "  " + Fmt.pad("prop.", 7, right: true) + "  " + Fmt.pad("\(level)% CI", 17, right: true) + "  "
      + Fmt.pad("tau^2", 8, right: true) + "  " + Fmt.pad("I^2", 6, right: true) + "  " + Fmt.pad("Q", 9, right: true) + "\n"
    for x in rows {
      out += Fmt.pad(cut(x.label, width), width) + "  " + Fmt.pad(Fmt.f(x.estimate), 9, right: true) + "  "
        + Fmt.pad("[\(Fmt.f(x.ciLower)), \(Fmt.f(x.ciUpper))]", 19, right: true) + "  "
        + Fmt.pad(Fmt.pct(x.proportion), 7, right: true) + "  "
        + Fmt.pad("[\(Fmt.pct(x.proportionCILower)), \(Fmt.pct(x.proportionCIUpper))]", 17, right: true) + "  "
        + Fmt.pad(Fmt.f(x.tau2), 8, right: true) + "  " + Fmt.pad(Fmt.f(x.i2, 1), 6, right: true) + "  "
        + Fmt.pad(Fmt.f(x.q, 2), 9, right: true) + "\n"
    }
    return out
  }

  static func regressionLine(_ title: String, _ t: SensitivityReport.RegressionTest, level: String) -> String {
    let x = t.test
    let stat = x.degreesOfFreedom.map { "t(\(Fmt.f($0, 0)))" } ?? "z"
    return "  \(title): \(stat) = \(Fmt.f(x.statistic, 3)), \(Fmt.pClause(x.pValue)); slope \(Fmt.f(x.slope)) (SE \(Fmt.f(x.slopeStandardError)))\n"
      + "    limit estimate \(Fmt.f(x.limitEstimate)) [\(Fmt.f(x.limitCILower)), \(Fmt.f(x.limitCIUpper))], proportion \(Fmt.pct(t.limitProportion)) [\(Fmt.pct(t.limitProportionCILower)), \(Fmt.pct(t.limitProportionCIUpper))]\n"
  }

  static func summaryTable(_ rows: [(String, DistributionSummary)]) -> String {
    let heads = ["mean", "sd", "min", "2.5%", "25%", "median", "75%", "97.5%", "max"]
    let width = rows.reduce(8) { max($0, $1.0.count) }
    var out = "  " + Fmt.pad("", width) + heads.map { "  " + Fmt.pad($0, 9, right: true) }.joined() + "\n"
    for (name, d) in rows {
      let values = [d.mean, d.standardDeviation, d.min, d.q025, d.q25, d.median, d.q75, d.q975, d.max]
      out += "  " + Fmt.pad(name, width) + values.map { "  " + Fmt.pad(Fmt.f($0), 9, right: true) }.joined() + "\n"
    }
    return out
  }
}
