// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaReports

/// The `summary` block of `orrmeta multiverse`: the spread of the overall estimates and where a
/// reference value (a published figure, `--reference`) falls among them.
enum MultiverseSummary {
  static func make(_ rows: [MultiverseReport.Row], specifications: Int, reference: Double?) -> MultiverseReport.Summary {
    let fitted = rows.filter { $0.proportion != nil }
    let estimates = fitted.compactMap(\.proportion).sorted()
    let withCI = fitted.filter { $0.ciWidth != nil }
    // Ties go to the first row in the multiverse's order.
    let widest = withCI.reduce(nil as MultiverseReport.Row?) { best, r in best.map { r.ciWidth! > $0.ciWidth! ? r : $0 } ?? r }
    let narrowest = withCI.reduce(nil as MultiverseReport.Row?) { best, r in best.map { r.ciWidth! < $0.ciWidth! ? r : $0 } ?? r }
    var inCI: Int?, share: Double?, percentile: Double?
    if let reference, !fitted.isEmpty {
      let n = withCI.filter { $0.ci_lower! <= reference && reference <= $0.ci_upper! }.count
      inCI = n
      share = Double(n) / Double(fitted.count)
      percentile = Double(estimates.filter { $0 < reference }.count) / Double(estimates.count)
    }
    return MultiverseReport.Summary(
      specifications: specifications, fitted: fitted.count, failed: rows.filter { $0.error != nil }.count,
      not_converged: rows.filter { !$0.converged && $0.error == nil }.count,
      proportion_min: estimates.first, proportion_median: median(estimates), proportion_max: estimates.last,
      reference: reference, reference_in_ci: inCI, reference_in_ci_share: share, reference_percentile: percentile,
      widest_ci: widest.map(MultiverseReport.Pick.init), narrowest_ci: narrowest.map(MultiverseReport.Pick.init))
  }

  /// The median of sorted values (the mean of the middle two for an even count).
  static func median(_ sorted: [Double]) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let m = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
  }
}
