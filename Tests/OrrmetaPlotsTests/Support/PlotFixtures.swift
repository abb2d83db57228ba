// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import _TestSupport

/// Cohort files for the plot tests.
enum PlotFixtures {
  /// The ALK reference fixture.
  static var alkPath: String { fixturePath("alk-nsclc/cohorts.csv") }

  static func alk(by: String? = nil) throws -> CohortFile {
    try CohortFile.read(path: alkPath, columns: ColumnSelection(by: by))
  }

  /// A deterministic CSV of `k` cohorts (a linear congruential generator, so every run and
  /// every platform gets the same numbers): labels of varying length, some very long and some
  /// with XML-special characters, three subgroups, n from 8 to 407.
  static func largeCSV(k: Int = 150) -> String {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    var lines = ["label,events,n,group"]
    for i in 0..<k {
      let n = 8 + Int(next() % 400)
      let p = 0.15 + 0.7 * Double(next() % 1000) / 1000
      let x = min(n, max(0, Int((p * Double(n)).rounded())))
      lines.append([quoted(label(i)), String(x), String(n), ["alpha", "beta", "gamma"][i % 3]].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The label of cohort `i` (0-based) in ``largeCSV(k:)``.
  static func label(_ i: Int) -> String {
    switch i % 10 {
    case 3: return "Cohort \(i + 1) — a very long cohort description that goes on and on: dose escalation, expansion, Asian sub-population, response-evaluable"
    case 7: return "Cohort \(i + 1) <arm A> & \"B\" 'C'"
    default: return "Cohort \(i + 1)"
    }
  }

  /// ``largeCSV(k:)`` read as a cohort file.
  static func large(k: Int = 150, by: String? = nil) throws -> CohortFile {
    let table = try CSVTable.parse(data: Data(largeCSV(k: k).utf8), file: "generated-\(k).csv")
    return try CohortFile.load(table: table, columns: ColumnSelection(by: by))
  }
}
