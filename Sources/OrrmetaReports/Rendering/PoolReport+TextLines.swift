// SPDX-License-Identifier: GPL-3.0-or-later

/// The opening lines shared by the text reports of a cohort file (`pool`, `sensitivity`,
/// `regress`): one formatter for the file line and the method line.
extension PoolReport.Input {
  /// The "File: …" line (with the subgroup column when `subgroups`), then ``filtersLine``.
  package func fileLines(subgroups: Bool) -> String {
    let by = subgroups ? by_column.map { ", subgroups: \($0)" } ?? "" : ""
    return "File: \(file) (events: \(events_column), n: \(n_column)\(label_column.map { ", labels: \($0)" } ?? "")\(by))\n" + (filtersLine ?? "")
  }
}

extension PoolReport.Settings {
  /// The "Settings" heading and its measure, method, test and level line.
  package var methodLines: String {
    "Settings\n  measure: \(measure) (\(measure_name)); method: \(method) (\(method_name)); test: \(test); level: \(Fmt.f(level, 1))%\n"
  }
}
