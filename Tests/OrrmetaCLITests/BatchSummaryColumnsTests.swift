// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `summary.csv` names the method settings and carries the subgroup results and the key
/// sensitivity outcomes (issue 12, item 18).
@Suite("batch summary columns")
struct BatchSummaryColumnsTests {
  static let spec = """
    [analyses.main]
    type = "pool"
    method = "DL"
    test = "knha"

    [analyses.lines]
    type = "pool"
    by = "line"

    [analyses.sens]
    type = "sensitivity"
    analyses = ["bias", "trimfill", "bootstrap"]
    bootstrap = 50
    seed = 3
    """

  @Test("measure, method, test; subgroups and their test; Egger p, trim-and-fill, bootstrap CI — equal to the commands' own JSON")
  func columns() throws {
    let dir = try TemporaryDirectory("batch-summary-columns")
    defer { dir.remove() }
    try dir.write("in/alk.csv", try String(contentsOfFile: fixturePath("alk-nsclc/cohorts.csv"), encoding: .utf8))
    try dir.write("spec.toml", Self.spec)
    let batch = try runOrrmeta(["batch", "in", "--out", "out", "--spec", "spec.toml", "--quiet"], directory: dir.path)
    #expect(batch.status == 0, "\(batch.stderr)")
    let csv = try CSVTable.parse(data: try dir.read("out/summary.csv"), file: "summary.csv")
    for column in ["measure", "method", "test", "subgroups", "subgroup_q_p_value", "egger_p_value", "trimfill_proportion", "bootstrap_ci_lower", "bootstrap_ci_upper"] {
      #expect(csv.header.contains(column), "\(column)")
    }
    func cell(_ analysis: String, _ column: String) -> String {
      let row = csv.records.first { $0[csv.header.firstIndex(of: "analysis")!] == analysis }!
      return row[csv.header.firstIndex(of: column)!]
    }
    #expect(cell("main", "measure") == "PLO")
    #expect(cell("main", "method") == "DL")
    #expect(cell("main", "test") == "knha")
    #expect(cell("lines", "method") == "REML")
    #expect(cell("main", "subgroups") == "")
    #expect(cell("main", "egger_p_value") == "")

    // Subgroups: the same numbers as `orrmeta pool --by line`.
    let pool = try runOrrmeta(["pool", "in/alk.csv", "--by", "line", "--format", "json"], directory: dir.path)
    let pj = try #require(try JSONSerialization.jsonObject(with: Data(pool.stdout.utf8)) as? [String: Any])
    let test = try #require(pj["subgroup_test"] as? [String: Any])
    // (Foundation's JSON reader on Linux can be a few ulp off the printed value: rtol 1e-14.)
    func close(_ cell: String, _ json: Any?) -> Bool { isClose(Double(cell) ?? .nan, number(json), rtol: 1e-14) }
    #expect(close(cell("lines", "subgroup_q_p_value"), test["p_value"]))
    #expect(close(cell("lines", "subgroup_q"), test["q"]))
    let groups = try #require(pj["subgroups"] as? [[String: Any]])
    let naive = groups.first { $0["name"] as? String == "naive" }!
    let np = try #require(naive["pooled"] as? [String: Any])
    let parts = cell("lines", "subgroups").components(separatedBy: "; ")
    #expect(parts.count == groups.count)
    let naiveCell = try #require(parts.first { $0.hasPrefix("naive: ") })
    let numbersInCell = naiveCell.dropFirst("naive: ".count).split(whereSeparator: { "[], ()".contains($0) }).compactMap { Double($0) }
    #expect(numbersInCell.count == 4)  // proportion, CI, k
    for (got, key) in zip(numbersInCell, ["proportion", "ci_lower", "ci_upper"]) { #expect(isClose(got, number(np[key]), rtol: 1e-14), "\(key)") }
    #expect(naiveCell.hasSuffix("(k = \(try #require(naive["k"] as? Int)))"))

    // Sensitivity outcomes: the same numbers as `orrmeta sensitivity`.
    let sens = try runOrrmeta(["sensitivity", "in/alk.csv", "--bias", "--trimfill", "--bootstrap", "50", "--seed", "3", "--format", "json"], directory: dir.path)
    #expect(sens.status == 0, "\(sens.stderr)")
    let sj = try #require(try JSONSerialization.jsonObject(with: Data(sens.stdout.utf8)) as? [String: Any])
    let egger = (try #require((sj["bias"] as? [String: Any])?["egger"] as? [String: Any]))
    let eggerP = try #require(egger["pValue"] as? Double ?? (egger["test"] as? [String: Any])?["pValue"] as? Double ?? egger["p_value"] as? Double)
    #expect(close(cell("sens", "egger_p_value"), eggerP))
    let tf = try #require(sj["trimfill"] as? [String: Any])
    let tfp = try #require(tf["proportion"] as? Double)
    #expect(close(cell("sens", "trimfill_proportion"), tfp))
    #expect(Int(cell("sens", "trimfill_k0")) == tf["k0"] as? Int)
    let boot = try #require(sj["bootstrap"] as? [String: Any])
    let lo = try #require(boot["proportionCILower"] as? Double ?? boot["proportion_ci_lower"] as? Double)
    #expect(close(cell("sens", "bootstrap_ci_lower"), lo))
    #expect(cell("sens", "bootstrap_ci_upper") != "")
  }
}
