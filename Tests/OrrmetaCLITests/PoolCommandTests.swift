// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta pool` through the real binary: output formats, settings echo, exit codes, messages
/// and atomic output.
@Suite(.serialized)
struct PoolCommandTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  func json(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(["pool"] + args + ["--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  @Test func jsonHasEveryContractKeyAndEchoesSettings() throws {
    let d = try json([Self.alk, "--measure", "PFT", "--method", "DL", "--test", "knha", "--level", "90", "--ci-method", "wilson"])
    for key in ["orrmeta_version", "input", "k", "totals", "settings", "model", "pooled", "heterogeneity", "studies", "subgroups", "subgroup_test", "convergence", "warnings"] {
      #expect(d.keys.contains(key), "missing key \(key)")
    }
    let s = try #require(d["settings"] as? [String: Any])
    #expect(s["measure"] as? String == "PFT")
    #expect(s["method"] as? String == "DL")
    #expect(s["test"] as? String == "knha")
    #expect(s["level"] as? Double == 90)
    #expect(s["ci_method"] as? String == "wilson")
    #expect(s["add"] as? Double == 0)  // metafor's default for PFT
    #expect(s["to"] as? String == "only0")
    #expect(s["back_transformation"] as? String == "ipft.hm")
    #expect(d["k"] as? Int == 61)
    let totals = try #require(d["totals"] as? [String: Any])
    #expect(totals["events"] as? Int == 3330)  // the shared README's totals
    #expect(totals["n"] as? Int == 5709)
    let warnings = try #require(d["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("Freeman-Tukey") })
    let model = try #require(d["model"] as? [String: Any])
    #expect(model["df"] as? Double == 60)
  }

  @Test func simplePoolingWarnsAndMatchesCounts() throws {
    let d = try json([Self.alk, "--method", "pooled"])
    let pooled = try #require(d["pooled"] as? [String: Any])
    let p = try #require(pooled["proportion"] as? Double)
    #expect(abs(p - 3330.0 / 5709.0) < 1e-15)
    #expect(pooled["pi_lower"] is NSNull)
    let warnings = try #require(d["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("ignores between-cohort heterogeneity") })
  }

  @Test func subgroupsByLine() throws {
    let d = try json([Self.alk, "--by", "line"])
    let groups = try #require(d["subgroups"] as? [[String: Any]])
    #expect(try groups.map { try #require($0["name"] as? String) } == ["pretreated", "naive"])
    #expect(try groups.map { try #require($0["k"] as? Int) } == [32, 29])
    let t = try #require(d["subgroup_test"] as? [String: Any])
    #expect(t["df"] as? Int == 1)
  }

  @Test func textMarkdownAndCSVFormats() throws {
    let text = try runOrrmeta(["pool", Self.alk])
    #expect(text.status == 0)
    #expect(text.stdout.contains("Pooled result"))
    #expect(text.stdout.contains("PROFILE1001_crizotinib"))
    let md = try runOrrmeta(["pool", Self.alk, "--format", "markdown"])
    #expect(md.stdout.contains("| cohort | events | n |"))
    let csv = try runOrrmeta(["pool", Self.alk, "--format", "csv"])
    let lines = csv.stdout.split(whereSeparator: \.isNewline)
    #expect(lines.first!.hasPrefix("row_type,subgroup,label,events,n"))
    #expect(lines.filter { $0.hasPrefix("study,") }.count == 61)
    #expect(lines.filter { $0.hasPrefix("pooled,") }.count == 1)
    #expect(csv.stdout.hasSuffix("\n"))
  }

  @Test func helpShowsAnExample() throws {
    let r = try runOrrmeta(["pool", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("Examples:"))
    #expect(r.stdout.contains("orrmeta pool Fixtures/alk-nsclc/cohorts.csv"))
  }

  @Test func missingFileExits66() throws {
    let r = try runOrrmeta(["pool", "no/such/file.csv"])
    #expect(r.status == 66)
    #expect(r.stderr.contains("no/such/file.csv"))
    #expect(r.stderr.contains("no such file"))
  }

  @Test func badValueNamesFileLineAndColumnAndExits65() throws {
    let dir = try temporaryDirectory()
    let path = dir + "/bad.csv"
    try "study,events,n\nA,3,10\nB,12,10\n".write(toFile: path, atomically: true, encoding: .utf8)
    let r = try runOrrmeta(["pool", path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("\(path):3:"), "\(r.stderr)")
    #expect(r.stderr.contains("events = 12 is larger than n = 10"))

    try "study,events,n\nA,3,10\nB,abc,10\n".write(toFile: path, atomically: true, encoding: .utf8)
    let r2 = try runOrrmeta(["pool", path])
    #expect(r2.status == 65)
    #expect(r2.stderr.contains("\(path):3: column 'events': value 'abc' is invalid; expected a whole number"))
  }

  @Test func usageErrorsExit64() throws {
    #expect(try runOrrmeta(["pool", Self.alk, "--level", "5"]).status == 64)
    #expect(try runOrrmeta(["pool", Self.alk, "--method", "XYZ"]).status == 64)
    #expect(try runOrrmeta(["pool", Self.alk, "--method", "GLMM", "--measure", "PFT"]).status == 64)
  }

  @Test func undefinedMeasureIsADataError() throws {
    let dir = try temporaryDirectory()
    let path = dir + "/zero.csv"
    try "study,events,n\nA,0,10\nB,5,10\n".write(toFile: path, atomically: true, encoding: .utf8)
    let r = try runOrrmeta(["pool", path, "--to", "none"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("cohort 'A'"))
    #expect(r.stderr.contains("PLO"))
  }

  @Test func outputIsWrittenAtomicallyAndNotOnError() throws {
    let dir = try temporaryDirectory()
    let out = dir + "/result.json"
    let ok = try runOrrmeta(["pool", Self.alk, "--format", "json", "--output", out])
    #expect(ok.status == 0)
    #expect(ok.stdout.isEmpty)
    let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
    #expect(parsed?["k"] as? Int == 61)

    let bad = dir + "/bad.csv"
    try "study,events,n\nA,1,0\n".write(toFile: bad, atomically: true, encoding: .utf8)
    let out2 = dir + "/never.json"
    let r = try runOrrmeta(["pool", bad, "--format", "json", "--output", out2])
    #expect(r.status == 65)
    #expect(!FileManager.default.fileExists(atPath: out2))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)

    let r3 = try runOrrmeta(["pool", Self.alk, "--output", dir + "/missing-dir/x.txt"])
    #expect(r3.status == 73)
  }
}
