// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO

/// Renders a ``PFSPooledReport`` as text, Markdown or CSV. Every figure comes from the report.
package enum PFSPooledTextReport {
  /// Digits of estimates on the analysis scale (months or log ratios).
  static func digits(_ r: PFSPooledReport) -> Int { r.settings.estimand == "median" || r.settings.estimand == "difference" ? 2 : 4 }

  static func interval(_ lo: Double?, _ hi: Double?, _ d: Int) -> String { "[\(Fmt.f(lo, d)), \(Fmt.f(hi, d))]" }

  /// One summary row per subset: name, k, estimate, CI, PI, ratio (or empty), τ², I², Q, left out.
  static func summaryRows(_ r: PFSPooledReport) -> [[String]] {
    let d = digits(r)
    return ([r.overall] + (r.subgroups ?? [])).map { b in
      guard let iv = b.iv else { return [b.name, "0", "NA", "NA", "NA", "", "NA", "NA", "NA", "\(b.left_out.count)"] }
      let m = iv.model, h = iv.heterogeneity
      let ratio = iv.ratio.map { "\(Fmt.f($0.estimate, 3)) \(interval($0.ci_lower, $0.ci_upper, 3))" } ?? ""
      return [
        b.name, "\(iv.k)", Fmt.f(m.estimate, d), interval(m.ci_lower, m.ci_upper, d), interval(m.pi_lower, m.pi_upper, d), ratio,
        Fmt.f(h.tau2, 4), h.i2.map { String(format: "%.1f%%", $0) } ?? "NA", Fmt.f(h.q, 2), "\(b.left_out.count)",
      ]
    }
  }

  static func summaryHeader(_ r: PFSPooledReport) -> [String] {
    let lv = Fmt.f(r.settings.level, 0)
    return ["subset", "k", "estimate", "\(lv)% CI", "\(lv)% PI", r.overall.iv?.ratio != nil ? "exp (ratio) [CI]" : "", "tau^2", "I^2", "Q", "left out"]
  }

  static func title(_ r: PFSPooledReport) -> String {
    "orrmeta \(r.orrmeta_version): inverse-variance pooling, \(r.settings.estimand_name)"
  }

  static func describeInput(_ r: PFSPooledReport) -> String {
    let cols = r.input.columns.map { "\($0.estimate) [\($0.ci_lower), \($0.ci_upper)], level \($0.ci_level ?? "95% (no column)")" }
    return "File: \(r.input.file) (\(cols.joined(separator: "; "))\(r.input.by_column.map { "; subgroups: \($0)" } ?? ""))"
  }

  static func allWarnings(_ r: PFSPooledReport) -> [String] {
    r.warnings + ([r.overall] + (r.subgroups ?? [])).flatMap { b in b.warnings.map { "[\(b.name)] \($0)" } }
  }

  /// The report as text.
  package static func render(_ r: PFSPooledReport) -> String {
    let s = r.settings
    var out = title(r) + "\n" + describeInput(r) + "\n"
    out += "Model: \(s.method) (\(s.method_name)), test \(s.test), \(Fmt.f(s.level, 0))% level; back-transformation: \(s.back_transformation)\n"
    out += "SE: \(s.standard_error)\nPI: \(s.prediction_interval)\n\n"
    let header = summaryHeader(r), rows = summaryRows(r)
    let widths = header.indices.map { c in max(header[c].count, rows.map { $0[c].count }.max() ?? 0) }
    func line(_ cells: [String]) -> String {
      cells.indices.filter { widths[$0] > 0 }.map { Fmt.pad(cells[$0], widths[$0], right: $0 == 1) }.joined(separator: "  ") + "\n"
    }
    out += line(header)
    for row in rows { out += line(row) }
    if let iv = r.overall.iv {
      let d = digits(r)
      out += "\nCohorts (all)\n"
      let w = max(10, iv.cohorts.map(\.label.count).max() ?? 10)
      out += "\(Fmt.pad("label", w))  \(Fmt.pad("yi", 9, right: true))  \(Fmt.pad("SE", 9, right: true))  \(Fmt.pad("weight", 7, right: true))\n"
      for c in iv.cohorts {
        out += "\(Fmt.pad(c.label, w))  \(Fmt.pad(Fmt.f(c.yi, d), 9, right: true))  \(Fmt.pad(Fmt.f(c.se, d), 9, right: true))  \(Fmt.pad(c.weight.map { String(format: "%.1f%%", $0) } ?? "NA", 7, right: true))\(c.upper_not_reached ? "  (upper bound NR)" : "")\n"
      }
    }
    if let m = r.meta_regression {
      out += "\nMeta-regression (k = \(m.k), mods: \((r.moderators ?? []).map(\.name).joined(separator: ", ")))\n"
      let w = max(12, m.coefficients.map(\.name.count).max() ?? 12)
      out += "\(Fmt.pad("", w))  \(Fmt.pad("estimate", 10, right: true))  \(Fmt.pad("SE", 9, right: true))  \(Fmt.pad("p", 7, right: true))  \(Fmt.f(s.level, 0))% CI\n"
      for c in m.coefficients {
        out += "\(Fmt.pad(c.name, w))  \(Fmt.pad(Fmt.f(c.estimate), 10, right: true))  \(Fmt.pad(Fmt.f(c.standardError), 9, right: true))  \(Fmt.pad(Fmt.p(c.pValue), 7, right: true))  [\(Fmt.f(c.ciLower)), \(Fmt.f(c.ciUpper))]\n"
      }
      out += "QM = \(Fmt.f(m.qm, 3)) (df = \(m.qmDegreesOfFreedom)), p = \(Fmt.p(m.qmPValue)); residual tau^2 = \(Fmt.f(m.tau2.tau2)), I^2 = \(Fmt.f(m.i2, 1))%\(m.r2.map { ", R^2 = \(Fmt.f($0, 1))%" } ?? "")\n"
    }
    for b in [r.overall] + (r.subgroups ?? []) where !b.left_out.labels.isEmpty && (r.subgroups == nil || b.name != "all") {
      let why = b.left_out.reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
      out += "\nLeft out of \(b.name) (\(why)): \(b.left_out.labels.joined(separator: ", "))\n"
    }
    let warnings = allWarnings(r)
    if !warnings.isEmpty {
      out += "\nWarnings\n"
      for w in warnings { out += "  - \(w)\n" }
    }
    return out
  }

  /// The report as Markdown tables.
  package static func markdown(_ r: PFSPooledReport) -> String {
    let s = r.settings
    func cell(_ x: String) -> String { x.replacingOccurrences(of: "|", with: "\\|") }
    var out = "## \(cell(title(r)))\n\n\(cell(describeInput(r)))\n\n"
    out += "Model: \(s.method), test \(s.test), \(Fmt.f(s.level, 0))% level. SE: \(cell(s.standard_error)).\n\n"
    let header = summaryHeader(r).map { $0.isEmpty ? "ratio" : $0 }
    out += "| " + header.map(cell).joined(separator: " | ") + " |\n"
    out += "|" + header.map { _ in " --- " }.joined(separator: "|") + "|\n"
    for row in summaryRows(r) { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
    if let iv = r.overall.iv {
      let d = digits(r)
      out += "\n| cohort | yi | SE | weight |\n| --- | --- | --- | --- |\n"
      for c in iv.cohorts {
        out += "| \(cell(c.label))\(c.upper_not_reached ? " (upper NR)" : "") | \(Fmt.f(c.yi, d)) | \(Fmt.f(c.se, d)) | \(c.weight.map { String(format: "%.1f%%", $0) } ?? "NA") |\n"
      }
    }
    let warnings = allWarnings(r)
    if !warnings.isEmpty { out += "\n**Warnings**\n\n" + warnings.map { "- \(cell($0))\n" }.joined() }
    return out
  }

  static let csvHeader = [
    "row_type", "subgroup", "label", "line", "k", "yi", "se", "weight", "estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper",
    "ratio", "ratio_ci_lower", "ratio_ci_upper", "tau2", "i2", "q", "q_p_value",
  ]

  /// The report as CSV: one row per cohort used (`cohort`), then one per pooled result
  /// (`subgroup`, `pooled`). Numbers at full precision.
  package static func csv(_ r: PFSPooledReport) throws -> String {
    var csv = SafeCSVWriter()
    csv.write(row: csvHeader)
    let blocks = r.subgroups ?? [r.overall]
    for b in blocks {
      for c in b.iv?.cohorts ?? [] {
        csv.write(row: ["cohort", r.subgroups == nil ? "" : b.name, c.label, "\(c.line)", "", Fmt.full(c.yi), Fmt.full(c.se), Fmt.full(c.weight)] + Array(repeating: "", count: 12))
      }
    }
    func pooled(_ type: String, _ b: PFSPooledReport.Block) throws {
      guard let iv = b.iv else {
        csv.write(row: [type, b.name == "all" ? "" : b.name, b.name, "", "0"] + Array(repeating: "", count: 15))
        return
      }
      let m = iv.model, h = iv.heterogeneity
      csv.write(row: [
        type, type == "pooled" ? "" : b.name, type == "pooled" ? "overall" : b.name, "", "\(iv.k)", "", "", "",
        Fmt.full(m.estimate), Fmt.full(m.ci_lower), Fmt.full(m.ci_upper), Fmt.full(m.pi_lower), Fmt.full(m.pi_upper),
        iv.ratio.map { Fmt.full($0.estimate) } ?? "", iv.ratio.map { Fmt.full($0.ci_lower) } ?? "", iv.ratio.map { Fmt.full($0.ci_upper) } ?? "",
        Fmt.full(h.tau2), Fmt.full(h.i2), Fmt.full(h.q), Fmt.full(h.q_p_value),
      ])
    }
    for b in r.subgroups ?? [] { try pooled("subgroup", b) }
    try pooled("pooled", r.overall)
    return String(decoding: csv.bytes, as: UTF8.self)
  }
}
