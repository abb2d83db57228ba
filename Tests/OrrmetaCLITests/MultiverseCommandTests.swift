// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import Testing
import _TestSupport

/// `orrmeta multiverse` through the real binary: every row against `orrmeta pool` with the
/// row's `pool_arguments` (bit for bit), the JSON against Docs/multiverse.schema.json, the flags
/// on constructed datasets and on the ALK fixture, the specification-curve SVG's structure and
/// the same output for any `--jobs`.
@Suite(.serialized)
struct MultiverseCommandTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  static func json(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(["multiverse"] + args + ["--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
  }

  static func rows(_ d: [String: Any]) -> [[String: Any]] { d["specifications"] as? [[String: Any]] ?? [] }
  static func codes(_ d: [String: Any]) -> [String] { (d["flags"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }
  static func flag(_ d: [String: Any], _ code: String) -> [String: Any]? {
    (d["flags"] as? [[String: Any]])?.first { $0["code"] as? String == code }
  }

  /// Writes a cohort CSV (`trial,label,events,n`) and returns its path.
  static func csv(_ rows: [(String, Int, Int)], in dir: String, name: String = "cohorts.csv") throws -> String {
    var text = "trial,label,events,n\n"
    for (i, r) in rows.enumerated() { text += "\(r.0),c\(i + 1),\(r.1),\(r.2)\n" }
    let path = dir + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The same number in both outputs: both null, or equal doubles (parsed from the same
  /// shortest round-trip text, so equality is bit equality).
  static func same(_ a: Any?, _ b: Any?) -> Bool {
    if a == nil || a is NSNull { return b == nil || b is NSNull }
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else { return false }
    return x.bitPattern == y.bitPattern
  }

  /// Compares one row with the block of `pool`'s JSON it must equal (the whole output, or one
  /// subgroup's block): its `pooled`, `model` and `heterogeneity` objects and `k`.
  static func expectRow(_ row: [String: Any], block: [String: Any]) throws {
    let p = try #require(block["pooled"] as? [String: Any]), m = try #require(block["model"] as? [String: Any])
    let h = try #require(block["heterogeneity"] as? [String: Any]), k = block["k"] as? Int
    let id = row["id"] as? Int ?? 0
    for key in ["proportion", "ci_lower", "ci_upper", "pi_lower", "pi_upper"] {
      #expect(same(row[key], p[key]), "#\(id) \(row["subgroup"] ?? "") \(key): \(row[key] ?? "nil") vs pool \(p[key] ?? "nil")")
    }
    #expect(same(row["tau2"], h["tau2"]) && same(row["i2"], h["i2"]), "#\(id) tau2/i2")
    if row["model"] as? String != "simple" { #expect(same(row["estimate"], m["estimate"]), "#\(id) estimate") }
    if let k { #expect(row["k"] as? Int == k) }
  }

  @Test func defaultMultiverseOfALKMatchesTheSchemaAndCounts() throws {
    let d = try Self.json([Self.alk, "--reference", "0.585"])
    #expect(try JSONSchemaSubset(path: fixturePath("../Docs/multiverse.schema.json")).violations(of: d) == [])
    let rows = Self.rows(d)
    // 5 measures x 9 estimators x {z, knha} + 6 binomial CIs + GLMM.
    #expect(rows.count == 97)
    #expect(rows.map { $0["id"] as? Int ?? 0 } == Array(1...97))
    #expect(rows.filter { $0["model"] as? String == "two-level" }.count == 90)
    #expect(rows.filter { $0["model"] as? String == "simple" }.count == 6)
    #expect(rows.filter { $0["model"] as? String == "glmm" }.count == 1)
    let s = try #require(d["summary"] as? [String: Any])
    #expect(s["fitted"] as? Int == 97 && s["failed"] as? Int == 0)
    let props = rows.compactMap { ($0["proportion"] as? NSNumber)?.doubleValue }
    #expect(number(s["proportion_min"]) == props.min()! && number(s["proportion_max"]) == props.max()!)
    let inCI = rows.filter { number($0["ci_lower"]) <= 0.585 && 0.585 <= number($0["ci_upper"]) }.count
    #expect(s["reference_in_ci"] as? Int == inCI)
    #expect(isClose(number(s["reference_in_ci_share"]), Double(inCI) / 97, rtol: 1e-15))
    // The ALK fixture: simple pooling ignores I^2 ~ 94%, with the ratio of the CI widths.
    let f = try #require(Self.flag(d, "simple-pooling-ignores-heterogeneity"))
    #expect((f["specifications"] as? [Int]) == Array(91...96))
    let re = rows.first { $0["measure"] as? String == "PLO" && $0["method"] as? String == "REML" && $0["test"] as? String == "z" }!
    let cp = rows.first { $0["ci_method"] as? String == "clopper-pearson" }!
    let ratio = (number(re["ci_upper"]) - number(re["ci_lower"])) / (number(cp["ci_upper"]) - number(cp["ci_lower"]))
    #expect((f["message"] as? String ?? "").contains(String(format: "%.1fx as wide", ratio)))
    #expect((f["message"] as? String ?? "").contains("I^2 = 94.5%"))
    #expect(Self.codes(d).contains("pft-back-transform-unstable"))
    #expect(!Self.codes(d).contains("three-level-lrt-significant"))
  }

  /// Every row of the full multiverse with clusters (all four models) equals `orrmeta pool`.
  @Test func everyRowEqualsPoolBitForBit() throws {
    let d = try Self.json([Self.alk, "--cluster", "trial"])
    let rows = Self.rows(d)
    #expect(rows.count == 117)
    #expect(Set(rows.compactMap { $0["model"] as? String }) == ["two-level", "simple", "glmm", "three-level"])
    for row in rows {
      let args = try #require(row["pool_arguments"] as? [String])
      let r = try runOrrmeta(["pool", Self.alk] + args + ["--format", "json"])
      #expect(r.status == 0, "\(args): \(r.stderr)")
      let p = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
      try Self.expectRow(row, block: p)
      let convergence = try #require(p["convergence"] as? [String: Any])
      #expect(row["converged"] as? Bool == convergence["converged"] as? Bool)
      let rowWarnings = try #require(row["warnings"] as? [String]), poolWarnings = try #require(p["warnings"] as? [String])
      #expect(Set(rowWarnings).isSubset(of: Set(poolWarnings)), "\(args)")
    }
  }

  /// With --by, each subgroup row equals the subgroup block of `pool --by`.
  @Test func subgroupRowsEqualPoolBy() throws {
    let d = try Self.json([Self.alk, "--by", "line", "--measures", "PLO,PFT", "--methods", "DL", "--methods", "REML", "--tests", "z,knha", "--ci-methods", "wilson"])
    #expect(try JSONSchemaSubset(path: fixturePath("../Docs/multiverse.schema.json")).violations(of: d) == [])
    let rows = Self.rows(d)
    // (2 x 2 x 2 + 1 + 1) specifications x (overall + 2 subgroups).
    #expect(rows.count == 30)
    for row in rows {
      let r = try runOrrmeta(["pool", Self.alk, "--by", "line"] + (try #require(row["pool_arguments"] as? [String])) + ["--format", "json"])
      let p = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
      if let g = row["subgroup"] as? String {
        let block = try #require((p["subgroups"] as? [[String: Any]])?.first { $0["name"] as? String == g })
        try Self.expectRow(row, block: block)
      } else {
        try Self.expectRow(row, block: p)
      }
    }
  }

  @Test func sameOutputForAnyNumberOfThreads() throws {
    for format in ["json", "csv", "text"] {
      let one = try runOrrmeta(["multiverse", Self.alk, "--cluster", "trial", "--reference", "58.5", "--jobs", "1", "--format", format])
      let two = try runOrrmeta(["multiverse", Self.alk, "--cluster", "trial", "--reference", "58.5", "--jobs", "2", "--format", format])
      let four = try runOrrmeta(["multiverse", Self.alk, "--cluster", "trial", "--reference", "58.5", "--jobs", "4", "--format", format])
      #expect(one.status == 0 && !one.stdout.isEmpty)
      #expect(one.stdout == two.stdout && two.stdout == four.stdout, "\(format)")
    }
  }

  @Test func homogeneousDataHaveNoHeterogeneityFlag() throws {
    let dir = try temporaryDirectory()
    let file = try Self.csv((0..<8).map { ("T\($0)", 300, 1000) }, in: dir)
    let d = try Self.json([file])
    #expect(!Self.codes(d).contains("simple-pooling-ignores-heterogeneity"))
    // Large equal n: the Freeman-Tukey back-transformation does not depend on the n used.
    #expect(!Self.codes(d).contains("pft-back-transform-unstable"))
    // Every random-effects estimator gives tau^2 = 0.
    let boundary = try #require(Self.flag(d, "tau2-at-boundary"))
    #expect(try #require(boundary["specifications"] as? [Int]).count == 5 * 8 * 2)
  }

  @Test func heterogeneousDataFlagSimplePooling() throws {
    let dir = try temporaryDirectory()
    let file = try Self.csv([("A", 10, 100), ("B", 30, 100), ("C", 50, 100), ("D", 70, 100), ("E", 90, 100), ("F", 45, 100)], in: dir)
    let d = try Self.json([file, "--models", "two-level,simple", "--measures", "PLO", "--methods", "REML"])
    let f = try #require(Self.flag(d, "simple-pooling-ignores-heterogeneity"))
    #expect(f["specifications"] as? [Int] == Array(3...8))
    #expect(!Self.codes(d).contains("tau2-at-boundary"))
  }

  @Test func smallCohortsFlagFreemanTukey() throws {
    let dir = try temporaryDirectory()
    let file = try Self.csv([("A", 1, 4), ("B", 3, 5), ("C", 60, 400), ("D", 2, 6), ("E", 150, 300)], in: dir)
    let d = try Self.json([file, "--models", "two-level", "--measures", "PFT", "--methods", "REML", "--tests", "z"])
    let f = try #require(Self.flag(d, "pft-back-transform-unstable"))
    #expect((f["message"] as? String ?? "").contains("n = 4") && (f["message"] as? String ?? "").contains("n = 400"))
  }

  @Test func correlatedCohortsFlagTheThreeLevelLRT() throws {
    let dir = try temporaryDirectory()
    var rows: [(String, Int, Int)] = []
    for (t, p) in [("A", 10), ("B", 40), ("C", 70), ("D", 25), ("E", 55)] {
      for j in 0..<3 { rows.append((t, p + j, 100)) }
    }
    let file = try Self.csv(rows, in: dir)
    let d = try Self.json([file, "--cluster", "trial", "--models", "three-level", "--measures", "PLO", "--tests", "z"])
    #expect(Self.rows(d).count == 2)  // ML and REML
    let f = try #require(Self.flag(d, "three-level-lrt-significant"))
    #expect(f["specifications"] as? [Int] == [1, 2])
    #expect((f["message"] as? String ?? "").contains("cohorts within trial are correlated"))
  }

  @Test func referenceEqualToSimplePoolingIsFlagged() throws {
    let dir = try temporaryDirectory()
    let file = try Self.csv([("A", 10, 100), ("B", 30, 100), ("C", 50, 100), ("D", 70, 100)], in: dir)
    let d = try Self.json([file, "--reference", "40", "--models", "simple", "--ci-methods", "cp"])
    let f = try #require(Self.flag(d, "reference-is-simple-pooling"))
    #expect((f["message"] as? String ?? "").contains("160/400"))
    #expect(try #require(d["summary"] as? [String: Any])["reference"] as? Double == 0.4)
  }

  @Test func specificationCurveSVGStructure() throws {
    let dir = try temporaryDirectory()
    let svgPath = dir + "/curve.svg"
    let r = try runOrrmeta(["multiverse", Self.alk, "--reference", "0.585", "--plot", svgPath, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let d = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let tree = try XMLTree.parse(try String(contentsOfFile: svgPath, encoding: .utf8))
    let specs = tree.find("g", class: "specification")
    #expect(specs.count == 97)
    #expect(Set(specs.compactMap { $0.attributes["data-id"].flatMap(Int.init) }) == Set(1...97))
    // Sorted by the estimate: the tooltips' order is the order of the sorted proportions.
    let byID = Dictionary(uniqueKeysWithValues: try Self.rows(d).map { (try #require($0["id"] as? Int), number($0["proportion"])) })
    let drawn = specs.map { byID[Int($0.attributes["data-id"]!)!]! }
    #expect(drawn == drawn.sorted())
    #expect(specs.allSatisfy { $0.find("circle").count == 1 && $0.find("line").count == 1 && $0.tooltip != nil })
    // Indicators: 3 models, 5 measures, 10 methods (9 estimators and GLMM), 2 tests, 6 CIs.
    let indicators = tree.find("g", class: "indicator")
    #expect(indicators.count == 26)
    let plo = try #require(indicators.first { $0.attributes["data-choice"] == "measure=PLO" })
    #expect(plo.find("circle").count == 19)  // 9 x 2 two-level and the GLMM
    #expect(tree.find("g", class: "reference").count == 1)
  }

  @Test func formatsAndErrors() throws {
    let csv = try runOrrmeta(["multiverse", Self.alk, "--format", "csv"])
    #expect(csv.status == 0)
    let lines = csv.stdout.split(separator: "\n")
    #expect(lines.count == 98 && lines[0].hasPrefix("id,subgroup,model,measure,method,test,ci_method,k,estimate,proportion"))
    // The CSV's pool_arguments are the JSON's, verbatim (a command line, not neutralised as a formula).
    let json = try runOrrmeta(["multiverse", Self.alk, "--format", "json"])
    let rows = try #require((JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["specifications"] as? [[String: Any]])
    let records = CSVRecords(csv.stdout).records.dropFirst().filter { !$0.isEmpty && $0 != [""] }
    #expect(records.count == rows.count && rows.count == 97)
    for (record, row) in zip(records, rows) {
      let arguments = try #require(row["pool_arguments"] as? [String])
      #expect(record.last == arguments.joined(separator: " "))
      #expect(record.last?.hasPrefix("--") == true)
    }
    let md = try runOrrmeta(["multiverse", Self.alk, "--format", "markdown"])
    #expect(md.stdout.contains("### Flags") && md.stdout.contains("| 97 |"))
    let text = try runOrrmeta(["multiverse", Self.alk])
    #expect(text.stdout.hasPrefix("Multiverse of 97 specifications (k = 61") && text.stdout.contains("[simple-pooling-ignores-heterogeneity]"))
    let noCluster = try runOrrmeta(["multiverse", Self.alk, "--models", "three-level"])
    #expect(noCluster.status == 64 && noCluster.stderr.contains("--cluster"))
    let badMeasure = try runOrrmeta(["multiverse", Self.alk, "--measures", "PLO,XYZ"])
    #expect(badMeasure.status == 64 && badMeasure.stderr.contains("'XYZ'"))
    let badReference = try runOrrmeta(["multiverse", Self.alk, "--reference", "-1"])
    #expect(badReference.status == 64)
  }
  @Test func reportSectionAndReproducePlacement() throws {
    let dir = try temporaryDirectory()
    let html = dir + "/report.html"
    let r = try runOrrmeta(["report", Self.alk, "--analyses", "forest,multiverse", "--output", html])
    #expect(r.status == 0, "\(r.stderr)")
    let text = try String(contentsOfFile: html, encoding: .utf8)
    #expect(text.contains("<section id=\"multiverse\""))
    #expect(text.contains("class=\"specification-curve\"") && text.contains("simple-pooling-ignores-heterogeneity"))
    #expect(text.components(separatedBy: "class=\"specification\"").count - 1 == 97)
    // reproduce: the published 58.5% placed in the multiverse of the sourced table (with trials).
    let rep = try runOrrmeta(["reproduce", "--format", "json"])
    #expect(rep.status == 0, "\(rep.stderr)")
    let d = try #require(JSONSerialization.jsonObject(with: Data(rep.stdout.utf8)) as? [String: Any])
    let m = try #require(d["multiverse"] as? [String: Any])
    #expect(m["published"] as? Double == 0.585 && m["specifications"] as? Int == 117)
    let full = try Self.json([Self.alk, "--cluster", "trial", "--reference", "0.585"])
    let s = try #require(full["summary"] as? [String: Any])
    for key in ["proportion_min", "proportion_median", "proportion_max", "reference_in_ci", "reference_in_ci_share", "reference_percentile"] {
      #expect(Self.same(m[key], s[key]), "\(key)")
    }
    #expect(((m["flags"] as? [[String: Any]]) ?? []).map { $0["code"] as? String } == Self.codes(full))
    let plain = try runOrrmeta(["reproduce"])
    #expect(plain.stdout.contains("Multiverse (orrmeta multiverse, 117 specifications on the sourced table)"))
  }
}
