// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Renders the results as a Markdown table (pasted as is into Docs/performance.md).
enum TableRenderer {
  /// A duration with a unit that keeps three significant digits.
  static func duration(_ s: Double?) -> String {
    guard let s else { return "—" }
    switch s {
    case ..<1e-6: return String(format: "%.0f ns", s * 1e9)
    case ..<1e-3: return String(format: "%.2f µs", s * 1e6)
    case ..<1: return String(format: "%.2f ms", s * 1e3)
    default: return String(format: "%.2f s", s)
    }
  }

  static func render(_ report: BenchReport) -> String {
    var lines = [String]()
    let m = report.machine
    lines.append("orrmeta-bench, \(report.date): \(m.cpu), \(m.cores) cores, \(String(format: "%.1f", m.memoryGiB)) GiB, load \(m.loadAverage ?? "?")")
    lines.append("")
    lines.append("| task | method | data (k) | threads | operation | min | median | cpu | ns/cohort | allocs/op | note |")
    lines.append("|---|---|---|---:|---|---:|---:|---:|---:|---:|---|")
    for r in report.results {
      let data = r.dataset.map { d in r.k.map { "\(d) (\($0))" } ?? d } ?? "—"
      var perCohort = "—"
      if r.task == "fit", let k = r.k, let med = r.medianSeconds { perCohort = String(format: "%.2f", med * 1e9 / Double(k)) }
      let allocs = r.allocationsPerOperation.map { $0 == $0.rounded() ? String(format: "%.0f", $0) : String(format: "%.3f", $0) } ?? "—"
      lines.append(
        "| \(r.task) | \(r.method ?? "—") | \(data) | \(r.threads) | \(r.operation) | \(duration(r.minSeconds)) | \(duration(r.medianSeconds)) | \(duration(r.cpuSeconds)) | \(perCohort) | \(allocs) | \(r.note ?? "") |")
    }
    return lines.joined(separator: "\n")
  }
}
