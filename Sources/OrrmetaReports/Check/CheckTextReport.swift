// SPDX-License-Identifier: GPL-3.0-or-later

/// Renders a ``CheckReport`` as text: figure by figure, the verdict and how it was reached.
package enum CheckTextReport {
  /// The report as text (one entry per figure, the representative totals, a summary).
  package static func render(_ r: CheckReport) -> String {
    var out = "orrmeta \(r.orrmeta_version): consistency check of published figures\n"
    out += "File: \(r.file)\n"
    if let t = r.title { out += "Source: \(t)\n" }
    out += "Method: whole numbers of responders x out of N whose percentage, and binomial CI on x/N, round to the printed figures (GRIM-style; either rounding direction of an exact half)\n\n"
    let width = min(44, max(12, r.figures.map { $0.name.count }.max() ?? 12))
    let pubWidth = min(28, max(9, r.figures.map { $0.published.count }.max() ?? 9))
    out += "\(Fmt.pad("figure", width))  \(Fmt.pad("published", pubWidth))  status\n"
    for f in r.figures {
      out += "\(Fmt.pad(f.name, width))  \(Fmt.pad(f.published, pubWidth))  \(f.status)\n"
      out += "    \(f.detail)\n"
    }
    let reps = r.proportions.compactMap { p in p.representative.map { (p, $0) } }
    if !reps.isEmpty || !r.partitions.isEmpty {
      out += "\nInteger totals consistent with the publication (closest to the printed figures)\n"
      for (p, rep) in reps {
        var line = "  \(p.name): \(rep.events)/\(rep.patients) = \(Fmt.f(rep.percent, 2))%"
        if let m = rep.ci_method { line += "; \(Fmt.f(p.ci_level, 0))% CI (\(m)) \(Fmt.f(rep.ci_lower, 2))-\(Fmt.f(rep.ci_upper, 2))%" }
        out += line + "\n"
        if let c = p.candidates.first(where: { $0.events == rep.events }), !c.intervals.isEmpty {
          out += "    at \(rep.events): " + c.intervals.map { "\($0.method) \(Fmt.f($0.ci_lower, 2))-\(Fmt.f($0.ci_upper, 2)) \($0.reproduced ? "yes" : "no")" }.joined(separator: "; ") + "\n"
        }
      }
      for s in r.partitions {
        guard let parts = s.representative else { continue }
        out += "  " + parts.map { "\($0.name): \($0.events)/\($0.patients) = \(Fmt.f($0.percent, 2))%" }.joined(separator: "; ")
        out += " (responders sum to \(s.representative_total_events.map(String.init) ?? "NA") of \(s.whole))\n"
      }
    }
    let s = r.summary
    out += "\nSummary: \(s.reproduced) reproduced, \(s.not_reproduced) not reproduced, \(s.not_checkable) not checkable\n"
    return out
  }
}
