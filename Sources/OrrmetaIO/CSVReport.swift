// SPDX-License-Identifier: GPL-3.0-or-later

import CSV
import Foundation

/// Renders a ``PoolReport`` as CSV (written with CSV.swift): one row per cohort (`row_type`
/// `study`), then one per pooled result (`pooled`, `subgroup`). Numbers at full precision.
public enum CSVReport {
  static let header = [
    "row_type", "subgroup", "label", "events", "n", "yi", "vi", "proportion", "ci_lower", "ci_upper",
    "pi_lower", "pi_upper", "weight", "tau2", "i2", "q", "q_p_value",
  ]

  public static func render(_ r: PoolReport) throws -> String {
    let stream = OutputStream(toMemory: ())
    let csv = try CSVWriter(stream: stream)
    try csv.write(row: header)
    func studies(_ list: [PoolReport.Study], group: String) throws {
      for s in list {
        try csv.write(row: ["study", group, s.label, "\(s.events)", "\(s.n)", Fmt.full(s.yi), Fmt.full(s.vi), Fmt.full(s.proportion), Fmt.full(s.ci_lower), Fmt.full(s.ci_upper), "", "", Fmt.full(s.weight), "", "", "", ""])
      }
    }
    func pooled(_ type: String, _ group: String, _ events: Int, _ n: Int, _ p: PoolReport.Pooled, _ h: PoolReport.Heterogeneity) throws {
      try csv.write(row: [type, group, group.isEmpty ? "overall" : group, "\(events)", "\(n)", "", "", Fmt.full(p.proportion), Fmt.full(p.ci_lower), Fmt.full(p.ci_upper), Fmt.full(p.pi_lower), Fmt.full(p.pi_upper), "", Fmt.full(h.tau2), Fmt.full(h.i2), Fmt.full(h.q), Fmt.full(h.q_p_value)])
    }
    if let groups = r.subgroups {
      for g in groups { try studies(g.studies, group: g.name) }
      for g in groups { try pooled("subgroup", g.name, g.totals.events, g.totals.n, g.pooled, g.heterogeneity) }
    } else {
      try studies(r.studies, group: "")
    }
    try pooled("pooled", "", r.totals.events, r.totals.n, r.pooled, r.heterogeneity)
    if let m = r.multilevel {
      // Three-level fit: one `level` row per variance component (σ² in `tau2`, its profile CI
      // in ci_lower/ci_upper, the number of units in `n`) and an `lrt` row (statistic in `q`).
      for l in m.levels {
        try csv.write(row: ["level", "", l.name, "", "\(l.count)", "", "", "", Fmt.full(l.sigma2_ci_lower), Fmt.full(l.sigma2_ci_upper), "", "", "", Fmt.full(l.sigma2), Fmt.full(l.i2), "", ""])
      }
      try csv.write(row: ["lrt", "", "three-level vs two-level", "", "", "", "", "", "", "", "", "", "", "", Fmt.full(m.i2_total), Fmt.full(m.lrt_vs_two_level.statistic), Fmt.full(m.lrt_vs_two_level.p_value)])
    }
    csv.stream.close()
    guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return "" }
    return String(decoding: data, as: UTF8.self)
  }
}
