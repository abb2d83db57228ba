// SPDX-License-Identifier: GPL-3.0-or-later

/// The opening lines shared by the text reports of a cohort file (`pool`, `sensitivity`,
/// `regress`), written by one formatter.
extension TextReport {
  /// "orrmeta VERSION: TITLE", the file line (with the subgroup column when `subgroups`) and
  /// the row filters, the `cohorts` line and a blank line, then the "Settings" heading with the
  /// measure, method, test and level line (ending with `levelNote`).
  static func opening(version: String, title: String, input: PoolReport.Input?, subgroups: Bool, cohorts: String, settings s: PoolReport.Settings, levelNote: String = "") -> String {
    var out = "orrmeta \(version): \(title)\n"
    if let i = input {
      let by = subgroups ? i.by_column.map { ", subgroups: \($0)" } ?? "" : ""
      out += "File: \(i.file) (events: \(i.events_column), n: \(i.n_column)\(i.label_column.map { ", labels: \($0)" } ?? "")\(by))\n" + (i.filtersLine ?? "")
    }
    out += "Cohorts: \(cohorts)\n\n"
    out += "Settings\n  measure: \(s.measure) (\(s.measure_name)); method: \(s.method) (\(s.method_name)); test: \(s.test); level: \(Fmt.f(s.level, 1))%\(levelNote)\n"
    return out
  }
}
