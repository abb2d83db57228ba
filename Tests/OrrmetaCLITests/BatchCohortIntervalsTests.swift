// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `cohort_intervals = "none"`: the result without the cohorts' CIs, every other number the same.
@Suite struct BatchCohortIntervalsTests {
  static let spec = """
    [analyses.all]
    method = "REML"

    [analyses.spelt]
    method = "REML"
    cohort_intervals = "all"

    [analyses.none]
    method = "REML"
    cohort_intervals = "none"

    [analyses.none-knha]
    method = "DL"
    test = "knha"
    cohort_intervals = "none"

    [analyses.all-knha]
    method = "DL"
    test = "knha"
    """

  /// The JSON object of a result file.
  static func object(_ data: Data) throws -> NSDictionary {
    try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
  }

  /// A result with every cohort's CI replaced by null.
  static func withoutCohortIntervals(_ result: NSDictionary) throws -> NSDictionary {
    let copy = try #require(result.mutableCopy() as? NSMutableDictionary)
    let studies = try #require(result["studies"] as? [NSDictionary]).map { s throws -> NSDictionary in
      let m = try #require(s.mutableCopy() as? NSMutableDictionary)
      m["ci_lower"] = NSNull()
      m["ci_upper"] = NSNull()
      return m
    }
    copy["studies"] = studies
    return copy
  }

  @Test func noneLeavesOutOnlyTheCohortsIntervals() throws {
    let dir = try TemporaryDirectory("cohort-intervals")
    defer { dir.remove() }
    let files = try writeCorpus(in: dir, count: 12)
    try dir.write("spec.toml", Self.spec)
    let r = try runOrrmeta(["batch", "corpus", "--out", "out", "--spec", "spec.toml", "--quiet"], directory: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    let root = BatchLayout.InputRoot(files: files)
    for f in files {
      func result(_ analysis: String) throws -> Data { try dir.read("out/" + BatchLayout.resultPath(file: f, analysis: analysis, root: root)) }
      // "all" is pool's result, byte for byte; spelt out or not, the same bytes.
      let pool = try runOrrmeta(["pool", f, "--format", "json"], directory: dir.path)
      #expect(try result("all") == Data(pool.stdout.utf8))
      #expect(try result("spelt") == result("all"))
      for (none, all) in [("none", "all"), ("none-knha", "all-knha")] {
        let withCIs = try Self.object(try result(all))
        let without = try Self.object(try result(none))
        #expect(try without == Self.withoutCohortIntervals(withCIs), "\(f) \(none)")
        // The intervals were there to leave out.
        #expect(try #require(withCIs["studies"] as? [NSDictionary]).allSatisfy { $0["ci_lower"] is NSNumber })
      }
    }
    // The summary rows are the same but for the analysis name.
    let rows = try summaryRows(dir.path + "/out")
    for f in files {
      func row(_ a: String) throws -> NSDictionary {
        let m = try #require(rows.first { ($0["file"] as? String) == f && ($0["analysis"] as? String) == a })
        let copy = NSMutableDictionary(dictionary: m)
        copy["analysis"] = nil
        return copy
      }
      #expect(try row("none") == row("all"))
      #expect(try row("none-knha") == row("all-knha"))
    }
    // The default's settings hash is the one it had before the key existed; "none" has its own.
    let info = try BatchRunInfo.read(path: dir.path + "/out/batch.json")
    func hash(_ name: String) -> String? { info.analyses.first { $0.name == name }?.settings_sha256 }
    #expect(hash("all") == hash("spelt"))
    #expect(hash("none") != hash("all"))
    let plain = BatchAnalysis(name: "x", kind: .pool, settings: AnalysisSettings(), columns: ColumnSelection())
    #expect(hash("all") == plain.settingsHash)
  }

  @Test func refusedWithByAndForOtherValues() throws {
    let dir = try TemporaryDirectory("cohort-intervals-refused")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 2)
    try dir.write("by.toml", "[analyses.x]\nby = \"arm\"\ncohort_intervals = \"none\"\n")
    let by = try runOrrmeta(["batch", "corpus", "--out", "out", "--spec", "by.toml"], directory: dir.path)
    #expect(by.status == 64)
    #expect(by.stderr.contains("[analyses.x] cohort_intervals = \"none\": cannot be combined with by = \"arm\""), "\(by.stderr)")
    try dir.write("bad.toml", "[analyses.x]\ncohort_intervals = \"some\"\n")
    let bad = try runOrrmeta(["batch", "corpus", "--out", "out", "--spec", "bad.toml"], directory: dir.path)
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("expected \"all\""), "\(bad.stderr)")
    try dir.write("sens.toml", "[analyses.x]\ntype = \"sensitivity\"\nanalyses = [\"bias\"]\ncohort_intervals = \"none\"\n")
    let sens = try runOrrmeta(["batch", "corpus", "--out", "out", "--spec", "sens.toml"], directory: dir.path)
    #expect(sens.status == 64)
    #expect(sens.stderr.contains("unknown key"), "\(sens.stderr)")
  }
}
