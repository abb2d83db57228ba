// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO

/// The text, Markdown and CSV renderings of a ``MultiverseReport`` (numbers from the report,
/// formatted by ``Fmt``; CSV at full precision).
package enum MultiverseTextReport {
  /// Renders a report in a format (JSON through the one encoder).
  package static func render(_ r: MultiverseReport, format: ReportFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.encode(r)
    case .text: return TerminalText.safe(text(r, markdown: false))
    case .markdown: return TerminalText.safe(text(r, markdown: true))
    case .csv: return try csv(r)
    }
  }

  static func text(_ r: MultiverseReport, markdown md: Bool) -> String {
    let s = r.settings, sum = r.summary
    var out: [String] = []
    let title = "Multiverse of \(sum.specifications) specifications (k = \(r.k), \(r.totals.events)/\(r.totals.n))"
    out.append(md ? "## \(title)\n" : title)
    out.append("\(md ? "- " : "")file: \(r.input.file)")
    if let f = r.input.filtersLine { out.append((md ? "- " : "") + f.trimmingCharacters(in: .newlines)) }
    out.append("\(md ? "- " : "")models: \(s.models.joined(separator: ", ")); measures: \(s.measures.joined(separator: ", ")); methods: \(s.methods.joined(separator: ", ")); tests: \(s.tests.joined(separator: ", ")); simple-pooling CIs: \(s.ci_methods.joined(separator: ", ")); level \(Fmt.f(s.level, 1))%")
    out.append("")
    let level = "\(Fmt.f(s.level, 0))% CI"
    out += CompareTextReport.table(
      ["#", "subgroup", "model", "measure", "method", "test", "CI method", "proportion", level, "PI", "tau^2", "I^2", "notes"],
      r.specifications.map { row in
        [
          "\(row.id)", row.subgroup ?? "", row.model, row.measure ?? "", row.method, row.test ?? "", row.ci_method ?? "",
          Fmt.pct(row.proportion, 2), "\(Fmt.pct(row.ci_lower, 2)) - \(Fmt.pct(row.ci_upper, 2))",
          row.pi_lower == nil ? "" : "\(Fmt.pct(row.pi_lower, 2)) - \(Fmt.pct(row.pi_upper, 2))",
          Fmt.significant(row.tau2), Fmt.f(row.i2, 1), notes(row),
        ]
      }, md: md)
    out.append(md ? "\n### Summary\n" : "\nSummary:")
    let b = md ? "- " : "  "
    out.append("\(b)\(sum.fitted) of \(sum.specifications) specifications fitted (\(sum.failed) failed, \(sum.not_converged) not converged)")
    out.append("\(b)pooled proportion: median \(Fmt.pct(sum.proportion_median, 2)), range \(Fmt.pct(sum.proportion_min, 2)) - \(Fmt.pct(sum.proportion_max, 2))")
    for (name, p) in [("widest CI", sum.widest_ci), ("narrowest CI", sum.narrowest_ci)] {
      guard let p else { continue }
      out.append("\(b)\(name): #\(p.id) \(Fmt.pct(p.proportion, 2)) [\(Fmt.pct(p.ci_lower, 2)), \(Fmt.pct(p.ci_upper, 2))] (width \(Fmt.percent(p.ci_width, 2)) points)")
    }
    if let ref = sum.reference, let n = sum.reference_in_ci {
      out.append("\(b)reference \(Fmt.pct(ref, 2)): inside \(n) of \(sum.fitted) CIs (\(Fmt.pct(sum.reference_in_ci_share))); \(Fmt.pct(sum.reference_percentile)) of the estimates lie below it")
    }
    if !r.flags.isEmpty {
      out.append(md ? "\n### Flags\n" : "\nFlags:")
      for f in r.flags { out.append("- [\(f.code)] \(f.message)") }
    }
    if !r.warnings.isEmpty {
      out.append(md ? "\n### Warnings\n" : "\nWarnings:")
      for w in r.warnings { out.append("- \(w)") }
    }
    return out.joined(separator: "\n") + "\n"
  }

  /// A short note for the table: the fit's error, non-convergence or its number of warnings.
  static func notes(_ r: MultiverseReport.Row) -> String {
    if r.error != nil { return "failed" }
    var n: [String] = []
    if !r.converged { n.append("not converged") }
    if !r.warnings.isEmpty { n.append("\(r.warnings.count) warning\(r.warnings.count == 1 ? "" : "s")") }
    return n.joined(separator: ", ")
  }

  static let csvHeader = [
    "id", "subgroup", "model", "measure", "method", "test", "ci_method", "k", "estimate", "proportion", "ci_lower",
    "ci_upper", "pi_lower", "pi_upper", "tau2", "i2", "converged", "warnings", "error", "pool_arguments",
  ]

  /// CSV (written with `SafeCSVWriter`: formula cells neutralised, except `pool_arguments`,
  /// which orrmeta writes itself and which must stay a usable `orrmeta pool` command line): one
  /// line per row of `specifications`, numbers at full precision.
  static func csv(_ r: MultiverseReport) throws -> String {
    var csv = SafeCSVWriter()
    csv.write(row: csvHeader)
    let poolArguments: Set = [csvHeader.count - 1]
    for x in r.specifications {
      csv.write(row: [
        "\(x.id)", x.subgroup ?? "", x.model, x.measure ?? "", x.method, x.test ?? "", x.ci_method ?? "", "\(x.k)",
        Fmt.full(x.estimate), Fmt.full(x.proportion), Fmt.full(x.ci_lower), Fmt.full(x.ci_upper), Fmt.full(x.pi_lower),
        Fmt.full(x.pi_upper), Fmt.full(x.tau2), Fmt.full(x.i2), x.converged ? "true" : "false",
        x.warnings.joined(separator: "; "), x.error ?? "", x.pool_arguments.joined(separator: " "),
      ], verbatim: poolArguments)
    }
    return String(decoding: csv.bytes, as: UTF8.self)
  }
}
