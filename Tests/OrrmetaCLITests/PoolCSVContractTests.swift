// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `pool --format csv` says what the JSON says, column for column (issue 12, item 2), and the
/// text and Markdown cohort tables name each cohort's subgroup (item 16).
@Suite("pool: one definition of every column")
struct PoolCSVContractTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  func outputs(_ extra: [String]) throws -> (json: [String: Any], csv: CSVTable, raw: String) {
    let j = try runOrrmeta(["pool", Self.alk, "--format", "json"] + extra)
    #expect(j.status == 0, "\(j.stderr)")
    let c = try runOrrmeta(["pool", Self.alk, "--format", "csv"] + extra)
    #expect(c.status == 0, "\(c.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
    return (json, try CSVTable.parse(data: Data(c.stdout.utf8), file: "pool.csv"), c.stdout)
  }

  func value(_ table: CSVTable, _ record: [String], _ column: String) -> String {
    record[table.header.firstIndex(of: column)!]
  }

  func same(_ cell: String, _ json: Any?) -> Bool {
    if json is NSNull || json == nil { return cell == "NA" }
    guard let d = (json as? NSNumber)?.doubleValue, let c = Double(cell) else { return false }
    // Foundation's JSON reader on Linux can be an ulp off the shortest round-trip text.
    return isClose(c, d, rtol: 1e-15)
  }

  @Test("with --by: overall weights in `weight`, subgroup weights in `weight_in_subgroup`, the subgroup test, model scale, tau^2 CI and warnings")
  func subgroups() throws {
    let (json, csv, raw) = try outputs(["--by", "line", "--measure", "PFT"])
    #expect(raw.hasSuffix("\n"))
    let rows = csv.records
    func rowsOf(_ type: String) -> [[String]] { rows.filter { value(csv, $0, "row_type") == type } }
    // Studies: overall weights, as in JSON studies[] (and the text table).
    let studies = try #require(json["studies"] as? [[String: Any]])
    let studyRows = rowsOf("study")
    #expect(studyRows.count == studies.count)
    for (row, s) in zip(studyRows, studies) {
      #expect(value(csv, row, "label") == s["label"] as? String)
      #expect(value(csv, row, "subgroup") == s["subgroup"] as? String)
      #expect(same(value(csv, row, "weight"), s["weight"]), "\(row)")
    }
    // Within-subgroup weights: those of subgroups[].studies[].
    for g in try #require(json["subgroups"] as? [[String: Any]]) {
      let name = try #require(g["name"] as? String)
      let mine = studyRows.filter { value(csv, $0, "subgroup") == name }
      let gs = try #require(g["studies"] as? [[String: Any]])
      #expect(mine.count == gs.count)
      for (row, s) in zip(mine, gs) { #expect(same(value(csv, row, "weight_in_subgroup"), s["weight"])) }
      let sub = try #require(rowsOf("subgroup").first { value(csv, $0, "subgroup") == name })
      #expect(same(value(csv, sub, "estimate"), (try #require(g["model"] as? [String: Any]))["estimate"]))
      #expect(same(value(csv, sub, "tau2_ci_upper"), (try #require(g["heterogeneity"] as? [String: Any]))["tau2_ci_upper"]))
    }
    // The weights in `weight` sum to 100 over all cohorts, not to 100 per subgroup.
    let total = studyRows.compactMap { Double(value(csv, $0, "weight")) }.reduce(0, +)
    #expect(abs(total - 100) < 1e-9)
    // The test for subgroup differences.
    let test = try #require(rowsOf("subgroup_test").first)
    let jt = try #require(json["subgroup_test"] as? [String: Any])
    #expect(same(value(csv, test, "q"), jt["q"]))
    #expect(same(value(csv, test, "q_p_value"), jt["p_value"]))
    #expect(value(csv, test, "q_df") == "\(try #require(jt["df"] as? Int))")
    // The overall row: model scale and the tau^2 CI.
    let pooled = try #require(rowsOf("pooled").first)
    let model = try #require(json["model"] as? [String: Any]), het = try #require(json["heterogeneity"] as? [String: Any])
    for key in ["estimate", "se", "statistic", "p_value"] { #expect(same(value(csv, pooled, key), model[key]), "\(key)") }
    #expect(same(value(csv, pooled, "model_ci_lower"), model["ci_lower"]))
    #expect(same(value(csv, pooled, "tau2_ci_lower"), het["tau2_ci_lower"]))
    #expect(same(value(csv, pooled, "tau2_ci_upper"), het["tau2_ci_upper"]))
    // Every warning, overall and per subgroup.
    let warnings = rowsOf("warning")
    let expected = (try #require(json["warnings"] as? [String])).count
      + (try (try #require(json["subgroups"] as? [[String: Any]])).reduce(0) { $0 + (try #require($1["warnings"] as? [String])).count })
    #expect(warnings.count == expected)
    #expect(expected > 0)
  }

  @Test("text and Markdown cohort tables show each cohort's subgroup")
  func subgroupColumn() throws {
    let text = try runOrrmeta(["pool", Self.alk, "--by", "line"])
    let header = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("cohort ") })
    #expect(header.contains("subgroup"))
    let row = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("PROFILE1001_crizotinib") })
    #expect(row.contains("  pretreated  "), "\(row)")
    let md = try runOrrmeta(["pool", Self.alk, "--by", "line", "--format", "markdown"])
    #expect(md.stdout.contains("| cohort | subgroup | events | n |"))
    #expect(md.stdout.contains("| PROFILE1001_crizotinib | pretreated | 87 | 143 |"))
    // Without --by there is no subgroup column.
    let plain = try runOrrmeta(["pool", Self.alk, "--format", "markdown"])
    #expect(plain.stdout.contains("| cohort | events | n |"))
  }
}
