// SPDX-License-Identifier: GPL-3.0-or-later

/// Renders a ``PFSReport`` as a readable table.
package enum PFSTextReport {
  /// The report as text (one row per subset, then the cohorts left out and the warnings).
  package static func render(_ r: PFSReport) -> String {
    let s = r.settings
    var out = "orrmeta \(r.orrmeta_version): weighted median of cohort medians\n"
    let i = r.input
    out += "File: \(i.file) (values: \(i.value_column), weights: \(i.weights_column)\(i.label_column.map { ", labels: \($0)" } ?? "")\(i.by_column.map { ", subgroups: \($0)" } ?? ""))\n"
    out += i.filtersLine ?? ""
    out += "Median: \(s.method): \(s.method_name)\n"
    out += "\(Fmt.f(s.level, 0))% CIs: \(s.sign_test)\n"
    if let exact = s.sign_test_exact { out += "  and \(exact)\n" }
    out += "  and \(s.bootstrap)\(s.bootstrap_replicates > 0 ? " (\(s.bootstrap_replicates) replicates, seed \(s.seed))" : "")\n\n"
    let blocks = [r.overall] + (r.subgroups ?? [])
    let width = max(10, blocks.map { $0.name.count }.max() ?? 10)
    let ciHeader = "\(Fmt.f(s.level, 0))% CI"
    out += "\(Fmt.pad("subset", width))  \(Fmt.pad("k", 4, right: true))  \(Fmt.pad("weight", 8, right: true))  \(Fmt.pad("median", 7, right: true))  \(Fmt.pad("sign-test \(ciHeader)", 19))  \(Fmt.pad("bootstrap \(ciHeader)", 19))  left out (no median)\n"
    for b in blocks {
      let weight = b.total_weight.map { $0 == $0.rounded() ? "\(Int($0))" : Fmt.f($0, 1) } ?? "NA"
      let sign = b.weighted_median == nil ? "NA" : "[\(Fmt.f(b.sign_test_ci_lower, 1)), \(Fmt.f(b.sign_test_ci_upper, 1))]"
      let boot = b.bootstrap_ci_lower == nil ? "NA" : "[\(Fmt.f(b.bootstrap_ci_lower, 1)), \(Fmt.f(b.bootstrap_ci_upper, 1))]"
      let lo = b.left_out
      var why: [String] = []
      if lo.empty > 0 { why.append("\(lo.empty) empty") }
      if lo.not_reached > 0 { why.append("\(lo.not_reached) NR") }
      if lo.not_reported > 0 { why.append("\(lo.not_reported) NA") }
      out += "\(Fmt.pad(b.name, width))  \(Fmt.pad("\(b.k)", 4, right: true))  \(Fmt.pad(weight, 8, right: true))  \(Fmt.pad(Fmt.f(b.weighted_median, 1), 7, right: true))  \(Fmt.pad(sign, 19))  \(Fmt.pad(boot, 19))  \(lo.count)\(why.isEmpty ? "" : " (\(why.joined(separator: ", ")))")\n"
    }
    if s.sign_test_exact != nil {
      out += "\nExact sign-test \(ciHeader)\n"
      for b in blocks {
        let exact = b.sign_test_exact_ci_lower == nil ? "NA" : "[\(Fmt.f(b.sign_test_exact_ci_lower, 1)), \(Fmt.f(b.sign_test_exact_ci_upper, 1))] (coverage \(Fmt.pct(b.sign_test_exact_coverage, 2)))"
        out += "\(Fmt.pad(b.name, width))  \(exact)\n"
      }
    }
    for b in blocks where !b.left_out.labels.isEmpty && (r.subgroups == nil || b.name != "all") {
      out += "\nLeft out of \(b.name): \(b.left_out.labels.joined(separator: ", "))\n"
    }
    let warnings = r.warnings + blocks.flatMap { b in b.warnings.map { "[\(b.name)] \($0)" } }
    if !warnings.isEmpty {
      out += "\nWarnings\n"
      for w in warnings { out += "  - \(w)\n" }
    }
    return out
  }
}
