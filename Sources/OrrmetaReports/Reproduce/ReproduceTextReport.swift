// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// Renders a ``ReproduceReport`` as a side-by-side table: published, rebuilt from published
/// totals, sourced table with the paper's method, sourced table with random effects.
package enum ReproduceTextReport {
  static let nameWidth = 40
  static let columnWidth = 18

  /// The report as text (the side-by-side table, the column definitions, heterogeneity, warnings).
  package static func render(_ r: ReproduceReport) -> String {
    var out = "orrmeta \(r.orrmeta_version): reproduction of published figures\n"
    if let t = r.source_title { out += "Publication: \(t)\n" }
    if let f = r.fixtures { out += "Fixtures: \(f)\n" }
    out += "Cohort table: \(r.cohort_file); published figures: \(r.published_file)\n"
    if let filters = InputSource.rowFilters(r.row_filters) { out += filters + "\n" }
    out += "\n"
    out += line("", ["published", "rebuilt from", "sourced table", "sourced table"], "")
    out += line("", ["", "published totals", "\u{03A3}x/\u{03A3}n (paper)", "random effects"], "reproduced")
    out += String(repeating: "-", count: nameWidth + 4 * columnWidth + 12) + "\n"

    for d in r.details {
      let rows = r.figures.filter { $0.name == d.figure || $0.name.hasPrefix(d.figure + "_ci_") }
      guard let main = rows.first(where: { $0.name == d.figure }) else { continue }
      let unit = d.unit == "percent" ? "%" : d.unit
      let dec = main.decimals
      out += line("\(d.figure), \(unit)", [
        fmt(main.published, dec), fmt(main.from_published_totals, dec, absent: d.kind == "median" ? "n/a" : "NA"), fmt(main.sourced_paper_method, dec),
        fmt(main.sourced_random_effects, dec, absent: d.kind == "median" ? "n/a" : "NA"),
      ], verdict(main))
      if let lo = rows.first(where: { $0.name == d.figure + "_ci_lower" }), let hi = rows.first(where: { $0.name == d.figure + "_ci_upper" }) {
        func pair(_ a: Double?, _ b: Double?, _ d: Int) -> String { a == nil || b == nil ? "NA" : "\(fmt(a, d))-\(fmt(b, d))" }
        let both = lo.reproduced_by.filter { hi.reproduced_by.contains($0) }
        out += line("  \(levelText(d)) CI", [
          pair(lo.published, hi.published, lo.decimals), pair(lo.from_published_totals, hi.from_published_totals, lo.decimals),
          pair(lo.sourced_paper_method, hi.sourced_paper_method, lo.decimals), pair(lo.sourced_random_effects, hi.sourced_random_effects, lo.decimals),
        ], both.isEmpty ? "no" : "yes: " + both.map(short).joined(separator: ", "))
      } else if d.kind == "proportion", let lo = d.sourced_paper_method.ci_lower, let hi = d.sourced_paper_method.ci_upper {
        out += line("  95% CI (not published)", [
          "", "", "\(fmt(lo, dec))-\(fmt(hi, dec))",
          "\(fmt(d.sourced_random_effects?.interval.ci_lower, dec))-\(fmt(d.sourced_random_effects?.interval.ci_upper, dec))",
        ], "")
      }
      if d.kind == "proportion" {
        let p = d.published
        out += line("  k cohorts / N patients", [
          "\(p.k.map(String.init) ?? "-") / \(p.n.map(String.init) ?? "-")",
          d.from_published_totals.map { "- / \($0.n)" } ?? "NA",
          "\(d.sourced_paper_method.k) / \(Int(d.sourced_paper_method.n))",
          d.sourced_random_effects.map { "\($0.k) / \($0.n)" } ?? "NA",
        ], "")
        out += line("  responders", [
          "", d.from_published_totals.map { "\($0.events)" } ?? "NA", d.sourced_paper_method.events.map(String.init) ?? "NA", "",
        ], "")
        if let re = d.sourced_random_effects {
          out += line("  I\u{00B2}", ["", "", "", "\(fmt(re.i2, 1))%"], "")
          out += line("  95% prediction interval", ["", "", "", "\(fmt(re.interval.pi_lower, dec))-\(fmt(re.interval.pi_upper, dec))"], "")
        }
      } else {
        let s = d.sourced_paper_method
        let iv = d.sourced_random_effects
        out += line("  sign-test 95% CI", ["", "", "\(fmt(s.sign_test_ci_lower, dec))-\(fmt(s.sign_test_ci_upper, dec))", ""], "")
        if s.bootstrap_ci_lower != nil {
          out += line("  bootstrap 95% CI", ["", "", "\(fmt(s.bootstrap_ci_lower, dec))-\(fmt(s.bootstrap_ci_upper, dec))", ""], "")
        }
        if let iv {
          // The fourth column for medians: inverse-variance pooling of the cohorts with a median CI.
          out += line("  inverse-variance 95% CI", ["", "", "", "\(fmt(iv.interval.ci_lower, dec))-\(fmt(iv.interval.ci_upper, dec))"], "")
        }
        out += line("  k cohorts / N patients", ["", "", "\(s.k) / \(Int(s.n))", iv.map { "\($0.k) / \($0.n)" } ?? ""], "")
        out += line("  left out (no median)", ["", "", "\(s.left_out ?? 0)", ""], "")
      }
    }

    if let m = r.multiverse { out += m.text }
    out += "\nColumns\n"
    out += "  rebuilt from published totals: \(r.methods.from_published_totals)\n"
    out += "  sourced table, \u{03A3}x/\u{03A3}n (paper): \(r.methods.sourced_paper_method)\n"
    out += "  sourced table, random effects: \(r.methods.sourced_random_effects)\n"
    out += "  weighted median: \(r.methods.weighted_median)\n"
    out += "  reproduced: \(r.methods.reproduced)\n"

    let ratios = r.details.compactMap { d in d.sourced_random_effects.map { (d, $0) } }
    if !ratios.isEmpty {
      out += "\nHeterogeneity ignored by simple pooling\n"
      for (d, re) in ratios {
        let ci = re.i2_ci_lower == nil ? "" : " [\(fmt(re.i2_ci_lower, 1))%, \(fmt(re.i2_ci_upper, 1))%]"
        out += "  \(d.figure): I\u{00B2} = \(fmt(re.i2, 1))%\(ci); the random-effects CI is \(fmt(re.ci_width_ratio, 1)) times as wide as the \u{03A3}x/\u{03A3}n CI\n"
      }
    }
    let nested = r.details.compactMap { d in d.sourced_three_level.map { (d, $0) } }
    if !nested.isEmpty {
      out += "\nThree-level (cohorts in trials): \(r.methods.sourced_three_level)\n"
      for (d, t) in nested {
        out += "  \(d.figure): \(fmt(t.interval.estimate, 1))% [\(fmt(t.interval.ci_lower, 1)), \(fmt(t.interval.ci_upper, 1))] (k = \(t.k), \(t.trials) trials); sigma^2 trial \(fmt(t.sigma2_trial, 4)), cohort \(fmt(t.sigma2_cohort, 4)); LRT vs two-level \(fmt(t.lrt, 2)) (p \(fmt(t.lrt_p_value, 3)))\n"
        out += "    Modelling the trials \(changeSentence(t))\n"
      }
    }
    let s = r.check_summary
    out += "\norrmeta check of the published figures: \(s.reproduced) reproduced, \(s.not_reproduced) not reproduced, \(s.not_checkable) not checkable\n"
    if !r.comparisons.isEmpty {
      out += "\nTwo-arm comparisons on the sourced table (orrmeta compare):\n"
      for c in r.comparisons {
        out += "  \(c.label): \(c.method) \(c.pooled.scale) \(Fmt.f(c.pooled.estimate)) [\(Fmt.f(c.pooled.ci_lower)), \(Fmt.f(c.pooled.ci_upper))], "
          + "k = \(c.k) (\(c.trials.joined(separator: ", "))); Q(\(c.heterogeneity.q_df)) = \(Fmt.f(c.heterogeneity.q)), I^2 = \(Fmt.f(c.heterogeneity.i2, 1))%\n"
      }
    }
    if !r.warnings.isEmpty {
      out += "\nWarnings\n"
      for w in r.warnings { out += "  - \(w)\n" }
    }
    return out
  }

  /// One sentence on what nesting cohorts in trials changes relative to the two-level model.
  static func changeSentence(_ t: ReproduceReport.ThreeLevelColumn) -> String {
    guard let ratio = t.ci_width_ratio else { return "leaves the CI width undefined." }
    let share = (t.sigma2_trial ?? 0) / max((t.sigma2_trial ?? 0) + (t.sigma2_cohort ?? 0), .leastNonzeroMagnitude)
    return "makes the CI \(fmt(ratio, 2)) times as wide as the two-level random-effects CI and attributes \(fmt(100 * share, 0))% of the between-cohort variance to differences between trials."
  }

  static func line(_ name: String, _ cells: [String], _ last: String) -> String {
    var s = Fmt.pad(name, nameWidth)
    for c in cells { s += Fmt.pad(c, columnWidth, right: true) }
    if !last.isEmpty { s += "   " + last }
    while s.hasSuffix(" ") { s.removeLast() }
    return s + "\n"
  }

  static func fmt(_ x: Double?, _ decimals: Int, absent: String = "NA") -> String {
    guard let x, x.isFinite else { return absent }
    return RoundedFigure.format(x, decimals: decimals)
  }

  static func short(_ column: String) -> String {
    switch column {
    case ReproduceReport.totalsColumn: return "totals"
    case ReproduceReport.paperColumn: return "sourced \u{03A3}x/\u{03A3}n"
    case ReproduceReport.randomEffectsColumn: return "random effects"
    default: return column
    }
  }

  static func verdict(_ row: ReproduceReport.FigureRow) -> String {
    row.reproduced ? "yes: " + row.reproduced_by.map(short).joined(separator: ", ") : "no"
  }

  static func levelText(_ d: ReproduceReport.Detail) -> String {
    guard let l = d.published.ci_level else { return "95%" }
    return "\(RoundedFigure.format(l, decimals: l == l.rounded() ? 0 : 1))%"
  }
}
