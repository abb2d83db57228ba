// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import Testing
import _TestSupport

/// `orrmeta batch` with `type = "compare"` analyses: each result file is
/// `orrmeta compare FILE --format json` with the same settings, byte for byte; the summary row
/// holds k, both arms' totals and the pooled effect on the reported scale; a bad file gives an
/// error row; the outputs validate against their schemas.
@Suite(.serialized)
struct BatchCompareTests {
  /// The settings hash of a compare analysis covers its analyses through one encoded value: an
  /// option enters with its analysis only, and pool analyses carry no such block.
  @Test("compare fingerprint: the analyses as an encoded value; a seed without GOSH does not enter; none for pool")
  func compareFingerprint() throws {
    func block(_ toml: String) throws -> [String: Any]? {
      let f = try BatchClusterSensitivityTests.analyses("[analyses.a]\n" + toml)[0].fingerprint
      let object = try #require(try JSONSerialization.jsonObject(with: Data(f.utf8)) as? [String: Any])
      return object["compare_analyses"] as? [String: Any]
    }
    let full = try #require(try block(
      "type = \"compare\"\nmethod = \"REML\"\nanalyses = [\"leave-one-out\", \"trimfill\", \"gosh\"]\nside = \"left\"\nsubsets = 100\nseed = 3\n"))
    #expect(full["leave_one_out"] as? Bool == true && full["cumulative"] as? Bool == false && full["bias"] as? Bool == false)
    #expect(full["influence"] as? Bool == false)
    let trimfill = try #require(full["trimfill"] as? [String: Any])
    #expect(trimfill["estimator"] as? String == "L0" && trimfill["side"] as? String == "left")
    let gosh = try #require(full["gosh"] as? [String: Any])
    #expect(gosh["subsets"] as? Int == 100 && gosh["seed"] as? Int == 3)
    #expect(try block("type = \"compare\"\nmethod = \"REML\"\nseed = 9\n") == nil)
    #expect(try block("type = \"pool\"\n") == nil)
    let plain = try BatchClusterSensitivityTests.analyses("[analyses.a]\ntype = \"compare\"\nmethod = \"REML\"\n")[0].fingerprint
    let seeded = try BatchClusterSensitivityTests.analyses("[analyses.a]\ntype = \"compare\"\nmethod = \"REML\"\nseed = 9\n")[0].fingerprint
    #expect(plain == seeded)
  }

  /// Under `profile = "meta"` an MH or Peto analysis also fits random effects: its τ² estimator
  /// and stopping rule enter the hash (a `--resume` after changing them recomputes).
  @Test("compare fingerprint under profile meta: tau2_method and convergence enter the hash")
  func compareMetaProfileFingerprint() throws {
    func fingerprint(_ extra: String) throws -> String {
      try BatchClusterSensitivityTests.analyses("[analyses.a]\ntype = \"compare\"\nprofile = \"meta\"\nmethod = \"MH\"\n" + extra)[0].fingerprint
    }
    let dl = try fingerprint("tau2_method = \"DL\"\n"), pm = try fingerprint("tau2_method = \"PM\"\n")
    #expect(dl != pm)
    #expect(try fingerprint("convergence = \"exact\"\n") != fingerprint("convergence = \"metafor\"\n"))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(pm.utf8)) as? [String: Any])
    let settings = try #require(object["compare_settings"] as? [String: Any])
    #expect(settings["tau2_method"] as? String == "PM" && settings["common_method"] as? String == "MH")
  }

  @Test("batch type = \"compare\": result = compare --format json; summary row; error row; schemas")
  func batchCompare() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = try CompareCommandTests.bcgCSV(in: dir)
    try "study,events_treat,n_treat,events_ctrl,n_ctrl\nA,5,10,3,12\nB,12,10,4,20\n".write(toFile: "\(dir)/bad.csv", atomically: true, encoding: .utf8)
    try """
      [analyses.mh]
      type = "compare"
      measure = "RR"
      method = "MH"

      [analyses.reml]
      type = "compare"
      measure = "OR"
      method = "REML"
      test = "knha"
      by = "alloc"

      """.write(toFile: "\(dir)/spec.toml", atomically: true, encoding: .utf8)
    let batch = try runOrrmeta(["batch", "bcg.csv", "bad.csv", "--output", "out", "--spec", "spec.toml", "--quiet"], directory: dir)
    #expect(batch.status == 3, "\(batch.stderr)")
    let cases: [(String, [String])] = [
      ("mh", ["--measure", "RR", "--method", "MH"]), ("reml", ["--measure", "OR", "--method", "REML", "--test", "knha", "--by", "alloc"]),
    ]
    for (name, flags) in cases {
      let standalone = try runOrrmeta(["compare", "bcg.csv"] + flags + ["--format", "json"], directory: dir)
      #expect(standalone.status == 0, "\(standalone.stderr)")
      let result = try String(contentsOfFile: "\(dir)/out/results/bcg.csv/\(name).json", encoding: .utf8)
      #expect(result == standalone.stdout, "\(name)")
    }
    let rows = try String(contentsOfFile: "\(dir)/out/summary.jsonl", encoding: .utf8).split(separator: "\n")
      .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    let schema = try JSONSchemaSubset(path: fixturePath("../Docs/batch-summary.schema.json"))
    for row in rows { #expect(schema.violations(of: row).isEmpty, "\(row)") }
    let batchSchema = try JSONSchemaSubset(path: fixturePath("../Docs/batch.schema.json"))
    let info = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/out/batch.json")))
    #expect(batchSchema.violations(of: info).isEmpty)
    func row(_ file: String, _ analysis: String) -> [String: Any]? {
      rows.first { $0["file"] as? String == file && $0["analysis"] as? String == analysis }
    }
    // dat.bcg, MH RR (metafor's tests against Stata): 0.6353 [0.5881, 0.6862].
    let mh = try #require(row("bcg.csv", "mh"))
    #expect(mh["status"] as? String == "ok" && mh["measure"] as? String == "RR" && mh["method"] as? String == "MH")
    #expect(mh["k"] as? Int == 13 && mh["n_total"] as? Int == 357_347 && mh["events_total"] as? Int == 2_575)
    let est = try #require(mh["effect"] as? Double), lo = try #require(mh["effect_ci_lower"] as? Double), hi = try #require(mh["effect_ci_upper"] as? Double)
    #expect(abs(est - 0.6353) < 5e-5 && abs(lo - 0.5881) < 5e-5 && abs(hi - 0.6862) < 5e-5, "\(est) [\(lo), \(hi)]")
    // The effect has its own columns; a comparison has no pooled proportion.
    #expect(mh["effect_scale"] as? String == "risk ratio")
    for key in ["proportion", "ci_lower", "ci_upper", "pi_lower", "pi_upper"] { #expect(mh[key] is NSNull, "\(key)") }
    let csv = try CSVTable.parse(data: Data(contentsOf: URL(fileURLWithPath: "\(dir)/out/summary.csv")), file: "summary.csv")
    let csvRow = try #require(csv.records.first { $0[csv.header.firstIndex(of: "analysis")!] == "mh" && $0[0] == "bcg.csv" })
    func cell(_ c: String) -> String { csvRow[csv.header.firstIndex(of: c)!] }
    #expect(cell("proportion") == "" && cell("effect_scale") == "risk ratio" && isClose(Double(cell("effect")) ?? .nan, est, rtol: 1e-14))  // Foundation's JSON reader on Linux: a few ulp
    let reml = try #require(row("bcg.csv", "reml"))
    #expect(reml["status"] as? String == "ok" && (reml["tau2"] as? Double ?? 0) > 0 && (reml["i2"] as? Double ?? 0) > 50)
    #expect((reml["subgroups"] as? String)?.hasPrefix("random: ") == true, "\(reml)")
    // bad.csv: 12 responders of 10 patients on line 3 (mh); no `alloc` column (reml, by = "alloc").
    for (name, message) in [("mh", "line 3"), ("reml", "no column named 'alloc'")] {
      let bad = try #require(row("bad.csv", name))
      #expect(bad["status"] as? String == "error" && (bad["error"] as? String)?.contains(message) == true, "\(bad)")
      #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/results/bad.csv/\(name).json"))
    }
    // A spec value the command refuses is refused with the command's reason.
    try "[analyses.x]\ntype = \"compare\"\nmeasure = \"PLO\"\n".write(toFile: "\(dir)/bad.toml", atomically: true, encoding: .utf8)
    let refused = try runOrrmeta(["batch", "bcg.csv", "--output", "out2", "--spec", "bad.toml"], directory: dir)
    #expect(refused.status == 64 && refused.stderr.contains("[analyses.x]") && refused.stderr.contains("PLO"), "\(refused.stderr)")
  }

  @Test("compare specs: the long layout (arm, trial, treat, control) and analyses = [...], as compare's flags")
  func longLayoutAndAnalyses() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = try CompareCommandTests.bcgCSV(in: dir)
    try FileManager.default.copyItem(atPath: fixturePath("alk-nsclc/cohorts.csv"), toPath: "\(dir)/alk.csv")
    try """
      [analyses.nextgen]
      type = "compare"
      measure = "RR"
      arm = "drug"
      trial = "trial"
      treat = ["alectinib", "brigatinib", "lorlatinib"]
      control = "crizotinib"
      analyses = ["leave-one-out", "cumulative"]

      """.write(toFile: "\(dir)/long.toml", atomically: true, encoding: .utf8)
    try """
      [analyses.peto]
      type = "compare"
      method = "Peto"
      analyses = ["leave-one-out", "cumulative"]

      [analyses.dl]
      type = "compare"
      measure = "OR"
      method = "DL"
      analyses = ["bias", "influence", "trimfill", "gosh"]
      estimator = "R0"
      subsets = 500
      seed = 7

      """.write(toFile: "\(dir)/wide.toml", atomically: true, encoding: .utf8)
    var r = try runOrrmeta(["batch", "alk.csv", "--output", "out-long", "--spec", "long.toml", "--quiet"], directory: dir)
    #expect(r.status == 0, "\(r.stderr)")
    r = try runOrrmeta(["batch", "bcg.csv", "--output", "out-wide", "--spec", "wide.toml", "--quiet"], directory: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let cases: [(String, String, [String])] = [
      ("out-long/results/alk.csv/nextgen.json", "alk.csv", [
        "--measure", "RR", "--arm", "drug", "--trial", "trial", "--treat", "alectinib", "--treat", "brigatinib",
        "--treat", "lorlatinib", "--control", "crizotinib", "--leave-one-out", "--cumulative",
      ]),
      ("out-wide/results/bcg.csv/peto.json", "bcg.csv", ["--method", "Peto", "--leave-one-out", "--cumulative"]),
      ("out-wide/results/bcg.csv/dl.json", "bcg.csv", [
        "--measure", "OR", "--method", "DL", "--bias", "--influence", "--trimfill", "--estimator", "R0", "--gosh",
        "--subsets", "500", "--seed", "7",
      ]),
    ]
    for (path, file, flags) in cases {
      let standalone = try runOrrmeta(["compare", file] + flags + ["--format", "json"], directory: dir)
      #expect(standalone.status == 0, "\(standalone.stderr)")
      let result = try String(contentsOfFile: "\(dir)/\(path)", encoding: .utf8)
      #expect(result == standalone.stdout, "\(path)")
      let json = try #require(try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any])
      if path.hasSuffix("dl.json") {
        #expect(json["influence"] is [Any] && json["trimfill"] is [String: Any] && json["gosh"] is [String: Any])
      } else {
        #expect((json["leave_one_out"] as? [Any])?.isEmpty == false && (json["cumulative"] as? [Any])?.isEmpty == false)
      }
    }
    let rows = try String(contentsOfFile: "\(dir)/out-wide/summary.jsonl", encoding: .utf8).split(separator: "\n")
      .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    let dl = try #require(rows.first { $0["analysis"] as? String == "dl" })
    let standalone = try runOrrmeta(["compare", "bcg.csv", "--measure", "OR", "--method", "DL", "--bias", "--format", "json"], directory: dir)
    let egger = ((try JSONSerialization.jsonObject(with: Data(standalone.stdout.utf8)) as? [String: Any])?["bias"] as? [String: Any])?["egger"] as? [String: Any]
    #expect(dl["egger_p_value"] as? Double == egger?["p_value"] as? Double)
    #expect(dl["effect_scale"] as? String == "odds ratio")

    // Refusals: the command's rules, named by the spec's table.
    for (spec, says) in [
      ("[analyses.x]\ntype = \"compare\"\nmethod = \"MH\"\nanalyses = [\"influence\"]\n", "influence() is not defined for rma.mh"),
      ("[analyses.x]\ntype = \"compare\"\nanalyses = [\"baujat\"]\n", "unknown analysis \"baujat\""),
      ("[analyses.x]\ntype = \"compare\"\nmethod = \"DL\"\nestimator = \"R0\"\n", "--estimator and --side apply to --trimfill only"),
    ] {
      try spec.write(toFile: "\(dir)/bad.toml", atomically: true, encoding: .utf8)
      let refused = try runOrrmeta(["batch", "bcg.csv", "--output", "out-bad", "--spec", "bad.toml"], directory: dir)
      #expect(refused.status == 64 && refused.stderr.contains("[analyses.x]") && refused.stderr.contains(says), "\(refused.stderr)")
    }
  }
}
