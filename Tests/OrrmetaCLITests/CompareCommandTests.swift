// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// `orrmeta compare` through the real binary: the JSON contract (validated against
/// Docs/compare.schema.json), numbers equal to metafor's (Fixtures/compare/expected.json),
/// both input layouts, formats and error messages.
@Suite(.serialized)
struct CompareCommandTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  /// dat.bcg in the wide layout, written from the fixture's counts.
  static func bcgCSV(in dir: String, header: String = "study,events_treat,n_treat,events_ctrl,n_ctrl,alloc") throws -> String {
    let d = try #require((try loadFixtureJSON("compare/expected.json") as? [String: Any])?["datasets"] as? [[String: Any]])
    let bcg = d.first { $0["name"] as? String == "bcg" }!
    let labels = try #require(bcg["labels"] as? [String])
    let cols = try ["ai", "n1i", "ci", "n2i"].map { (try #require(bcg[$0] as? [NSNumber])).map(\.intValue) }
    var text = header + "\n"
    for i in labels.indices {
      text += "\"\(labels[i])\",\(cols[0][i]),\(cols[1][i]),\(cols[2][i]),\(cols[3][i]),\(i % 3 == 0 ? "random" : "systematic")\n"
    }
    let path = dir + "/bcg.csv"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func expectedCase(_ dataset: String, _ measure: String, _ method: String, _ test: String = "z") throws -> [String: Any] {
    let d = try #require((try loadFixtureJSON("compare/expected.json") as? [String: Any])?["datasets"] as? [[String: Any]])
    let cases = try #require(d.first { $0["name"] as? String == dataset }!["cases"] as? [[String: Any]])
    return try #require(cases.first { $0["measure"] as? String == measure && $0["method"] as? String == method && $0["test"] as? String == test }!["pooled"] as? [String: Any])
  }

  func run(_ args: [String]) throws -> (CLIResult, [String: Any]) {
    let r = try runOrrmeta(["compare"] + args + ["--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let d = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    return (r, d)
  }

  func schemaFailures(_ d: [String: Any]) throws -> [String] {
    try JSONSchemaSubset(path: fixturePath("../Docs/compare.schema.json")).violations(of: d)
  }

  @Test(arguments: [("RR", "MH", "z"), ("OR", "MH", "z"), ("RD", "MH", "z"), ("OR", "Peto", "z"), ("OR", "REML", "knha"), ("RD", "DL", "t")])
  func bcgMatchesMetaforAndTheSchema(_ c: (String, String, String)) throws {
    let dir = try temporaryDirectory()
    let file = try Self.bcgCSV(in: dir)
    let (_, d) = try run([file, "--measure", c.0, "--method", c.1, "--test", c.2, "--by", "alloc", "--leave-one-out", "--cumulative"])
    #expect(try schemaFailures(d) == [])
    let e = try Self.expectedCase("bcg", c.0, c.1, c.2)
    let model = try #require(d["model"] as? [String: Any])
    for (key, ref) in [("estimate", "estimate"), ("se", "se"), ("statistic", "zval"), ("p_value", "pval"), ("ci_lower", "ci_lb"), ("ci_upper", "ci_ub"), ("pi_lower", "pi_lb"), ("pi_upper", "pi_ub")] {
      #expect(isClose(number(model[key]), number(e[ref]), rtol: 1e-6), "\(c) model.\(key)")
    }
    let het = try #require(d["heterogeneity"] as? [String: Any])
    #expect(isClose(number(het["q"]), number(e["QE"]), rtol: 1e-6))
    #expect(isClose(number(het["tau2"]), number(e["tau2"]), rtol: 1e-6, atol: 1e-12))
    let pooled = try #require(d["pooled"] as? [String: Any])
    let back: (Double) -> Double = c.0 == "RD" ? { $0 } : { exp($0) }
    #expect(isClose(number(pooled["estimate"]), back(number(e["estimate"])), rtol: 1e-12))
    let s = try #require(d["settings"] as? [String: Any])
    #expect(s["measure"] as? String == c.0 && s["method"] as? String == c.1)
    #expect(s["drop00"] as? Bool == (c.1 == "MH" || c.1 == "Peto"))
    #expect((try #require(d["trials"] as? [Any])).count == 13)
    #expect((try #require(d["subgroups"] as? [Any])).count == 2)
    #expect(try (try #require(d["leave_one_out"] as? [Any])).count == 13 && (try #require(d["cumulative"] as? [Any])).count == 13)
    let last = (try #require(d["cumulative"] as? [[String: Any]])).last!
    #expect(isClose(number(last["estimate"]), number(e["estimate"]), rtol: 1e-9))
    if c.0 == "OR" && c.1 == "MH" {
      let t = try #require(d["tests"] as? [String: Any])
      #expect((t["tarone"] as? [String: Any])?["df"] as? Int == 12)
    }
  }

  @Test func biasTestsForInverseVariance() throws {
    let dir = try temporaryDirectory()
    let file = try Self.bcgCSV(in: dir)
    let (_, d) = try run([file, "--measure", "RR", "--method", "DL", "--bias"])
    #expect(try schemaFailures(d) == [])
    let egger = try #require((d["bias"] as? [String: Any])?["egger"] as? [String: Any])
    let s = try #require((try loadFixtureJSON("compare/sensitivity.json") as? [String: Any])?["datasets"] as? [[String: Any]])
    let c = (try #require(s.first { $0["name"] as? String == "bcg" }!["cases"] as? [[String: Any]])).first { $0["method"] as? String == "DL" && $0["test"] as? String == "z" }!
    #expect(isClose(number(egger["statistic"]), number((try #require(c["egger"] as? [String: Any]))["zval"]), rtol: 1e-6))
    let r = try runOrrmeta(["compare", file, "--method", "MH", "--bias"])
    #expect(r.status == 64 && r.stderr.contains("--bias"))
  }

  @Test func publishedAnchorsInText() throws {
    let dir = try temporaryDirectory()
    let file = try Self.bcgCSV(in: dir)
    let r = try runOrrmeta(["compare", file, "--measure", "RR", "--method", "MH"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("Pooled risk ratio: 0.6353 [0.5881, 0.6862]"))
    let p = try runOrrmeta(["compare", file, "--measure", "OR", "--method", "Peto", "--format", "markdown"])
    #expect(p.stdout.contains("Pooled odds ratio: 0.6222 [0.5746, 0.6738]"))
    let csv = try runOrrmeta(["compare", file, "--format", "csv"])
    #expect(csv.stdout.split(separator: "\n").count == 1 + 13 + 1)
    #expect(csv.stdout.hasPrefix("row_type,subgroup,label,events_treat"))
  }

  @Test func aliasHeadersGiveTheSameResult() throws {
    let dir = try temporaryDirectory()
    let a = try run([try Self.bcgCSV(in: dir), "--measure", "RR"]).1
    let dir2 = try temporaryDirectory()
    let b = try run([try Self.bcgCSV(in: dir2, header: "studlab,event.e,n.e,event.c,n.c,alloc"), "--measure", "RR"]).1
    let dir3 = try temporaryDirectory()
    let c = try run([try Self.bcgCSV(in: dir3, header: "trial,ai,n1i,ci,n2i,alloc"), "--measure", "RR"]).1
    #expect(number((try #require(a["model"] as? [String: Any]))["estimate"]) == number((try #require(b["model"] as? [String: Any]))["estimate"]))
    #expect(number((try #require(a["model"] as? [String: Any]))["estimate"]) == number((try #require(c["model"] as? [String: Any]))["estimate"]))
  }

  /// The long cohort table: next-generation TKI vs crizotinib (ALEX, ALESIA, ALTA-1L, CROWN,
  /// J-ALEX) against rma.mh on the same pairs (Fixtures/compare/expected.json).
  @Test func longLayoutPairsArms() throws {
    let (_, d) = try run([Self.alk, "--arm", "drug", "--trial", "trial", "--treat", "alectinib", "--treat", "brigatinib", "--treat", "lorlatinib", "--control", "crizotinib", "--measure", "RR"])
    #expect(try schemaFailures(d) == [])
    #expect(d["k"] as? Int == 5)
    let e = try Self.expectedCase("alk_nextgen_vs_crizotinib", "RR", "MH")
    #expect(isClose(number((try #require(d["model"] as? [String: Any]))["estimate"]), number(e["estimate"]), rtol: 1e-6))
    #expect((try #require(d["warnings"] as? [String])).contains { $0.contains("without both a treatment and a control arm") })
    #expect((try #require(d["input"] as? [String: Any]))["layout"] as? String == "long")
  }

  @Test func errorsNameFileLineAndColumn() throws {
    let dir = try temporaryDirectory()
    func write(_ text: String) throws -> String {
      let p = dir + "/bad\(text.count).csv"
      try text.write(toFile: p, atomically: true, encoding: .utf8)
      return p
    }
    let a = try write("study,ai,n1i,ci,n2i\nA,3,10,2,12\nB,x,10,2,12\n")
    let r1 = try runOrrmeta(["compare", a])
    #expect(r1.status == 65)
    #expect(r1.stderr.contains("\(a):3") && r1.stderr.contains("ai"))
    let b = try write("study,ai,n1i,ci,n2i\nA,3,10,2,12\nB,11,10,2,12\n")
    let r2 = try runOrrmeta(["compare", b])
    #expect(r2.status == 65 && r2.stderr.contains(":3") && r2.stderr.contains("larger than"))
    let c = try write("study,events,n\nA,3,10\n")
    let r3 = try runOrrmeta(["compare", c])
    #expect(r3.status == 65 && r3.stderr.contains("no treatment events column"))
    let r4 = try runOrrmeta(["compare", a, "--method", "Peto", "--measure", "RR"])
    #expect(r4.status == 64 && r4.stderr.contains("Peto"))
    let r5 = try runOrrmeta(["compare", a, "--method", "MH", "--test", "knha"])
    #expect(r5.status == 64)
    #expect(r5.stdout.isEmpty)
  }

  /// `orrmeta reproduce`: the pooled RR of response for ALK TKI vs chemotherapy and for
  /// next-generation TKI vs crizotinib equal rma.mh on the same pairs.
  @Test func reproduceComparesArms() throws {
    let r = try runOrrmeta(["reproduce", "--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let d = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let rows = try #require(d["comparisons"] as? [[String: Any]])
    #expect(rows.count == 2)
    for (row, dataset, k) in [(rows[0], "alk_tki_vs_chemo", 6), (rows[1], "alk_nextgen_vs_crizotinib", 5)] {
      let e = try Self.expectedCase(dataset, "RR", "MH")
      #expect(row["k"] as? Int == k)
      let model = try #require(row["model"] as? [String: Any])
      #expect(isClose(number(model["estimate"]), number(e["estimate"]), rtol: 1e-6))
      #expect(isClose(number(model["ci_lower"]), number(e["ci_lb"]), rtol: 1e-6))
      #expect(isClose(number((try #require(row["heterogeneity"] as? [String: Any]))["q"]), number(e["QE"]), rtol: 1e-6))
    }
    let text = try runOrrmeta(["reproduce"])
    #expect(text.stdout.contains("RR of response, next-generation ALK TKI vs crizotinib: MH risk ratio 1.1816 [1.1079, 1.2603]"))
  }

  @Test func longLayoutErrorsAndSubgroups() throws {
    let dir = try temporaryDirectory()
    func write(_ name: String, _ text: String) throws -> String {
      let p = dir + "/" + name
      try text.write(toFile: p, atomically: true, encoding: .utf8)
      return p
    }
    let two = try write("two.csv", "trial,drug,responders,n,line\nA,x,5,10,naive\nA,x,6,11,naive\nA,c,2,10,naive\n")
    let r1 = try runOrrmeta(["compare", two, "--arm", "drug", "--trial", "trial", "--treat", "x", "--control", "c"])
    #expect(r1.status == 65 && r1.stderr.contains("\(two):3") && r1.stderr.contains("more than one treatment"))
    let r2 = try runOrrmeta(["compare", two, "--arm", "drug", "--trial", "trial", "--treat", "x", "--control", "X"])
    #expect(r2.status == 65 && r2.stderr.contains("both as --treat and as --control"))
    let r3 = try runOrrmeta(["compare", two, "--arm", "drug", "--treat", "x", "--control", "c"])
    #expect(r3.status == 65 && r3.stderr.contains("--arm COLUMN, --trial COLUMN"))
    let r4 = try runOrrmeta(["compare", two, "--arm", "arm", "--trial", "trial", "--treat", "x", "--control", "c"])
    #expect(r4.status == 65 && r4.stderr.contains("no column named 'arm'"))
    let mixed = try write("mixed.csv", "trial,drug,responders,n,line\nA,x,5,10,naive\nA,c,2,10,pretreated\n")
    let r5 = try runOrrmeta(["compare", mixed, "--arm", "drug", "--trial", "trial", "--treat", "x", "--control", "c", "--by", "line"])
    #expect(r5.status == 65 && r5.stderr.contains("different subgroups"))
    let ok = try write("ok.csv", "trial,drug,responders,n,line\nA,x,5,10,naive\nA,c,2,10,naive\nB,x,7,12,pre\nB,c,3,12,pre\nC,x,4,9,pre\nC,c,4,10,pre\nD,x,9,9,naive\n")
    let (_, d) = try run([ok, "--arm", "drug", "--trial", "trial", "--treat", "X", "--control", "C", "--by", "line", "--method", "DL"])
    #expect(d["k"] as? Int == 3)
    #expect(try (try #require(d["subgroups"] as? [[String: Any]])).map { try #require($0["name"] as? String) } == ["naive", "pre"])
    #expect((try #require(d["warnings"] as? [String])).contains { $0.contains("1 trial(s) without both") && $0.contains("D") })
    #expect(try schemaFailures(d) == [])
  }
}
