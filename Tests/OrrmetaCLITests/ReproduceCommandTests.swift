// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// `orrmeta reproduce`, run as the built binary.
@Suite("orrmeta reproduce")
struct ReproduceCommandTests {
  struct Report: Decodable {
    struct Row: Decodable {
      var name: String
      var unit: String
      var decimals: Int
      var published: Double
      var from_published_totals: Double?
      var sourced_paper_method: Double?
      var sourced_random_effects: Double?
      var reproduced: Bool
      var reproduced_by: [String]
    }
    struct Detail: Decodable {
      struct Paper: Decodable {
        var k: Int
        var n: Double
        var events: Int?
        var ci_method: String?
        var ci_lower: Double?
        var ci_upper: Double?
        var left_out: Int?
        var sign_test_ci_lower: Double?
        var sign_test_ci_upper: Double?
        var bootstrap_ci_lower: Double?
        var bootstrap_ci_upper: Double?
      }
      struct RE: Decodable {
        var k: Int
        var n: Int
        var i2: Double?
        var tau2: Double?
        var pi_lower: Double?
        var pi_upper: Double?
        var ci_width_ratio: Double?
      }
      struct Totals: Decodable {
        var events: Int
        var n: Int
        var ci_method: String?
      }
      var figure: String
      var from_published_totals: Totals?
      var sourced_paper_method: Paper
      var sourced_random_effects: RE?
    }
    var figures: [Row]
    var details: [Detail]
    var warnings: [String]
  }

  static let figureNames = [
    "pooled_orr", "pooled_orr_ci_lower", "pooled_orr_ci_upper", "naive_orr", "pretreated_orr",
    "naive_weighted_median_pfs", "pretreated_weighted_median_pfs",
  ]

  func report(_ extra: [String] = []) throws -> Report {
    let r = try runOrrmeta(["reproduce", "--format", "json"] + extra)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
  }

  @Test("the rebuilt-from-totals column equals every published ORR figure at one decimal")
  func rebuiltFromTotals() throws {
    let rep = try report()
    #expect(rep.figures.map(\.name) == Self.figureNames)
    let published = ["pooled_orr": "58.5", "pooled_orr_ci_lower": "57.3", "pooled_orr_ci_upper": "59.7", "naive_orr": "71.8", "pretreated_orr": "48.4"]
    for row in rep.figures where published[row.name] != nil {
      let rebuilt = try #require(row.from_published_totals, "\(row.name)")
      #expect(RoundedFigure.format(rebuilt, decimals: 1) == published[row.name], "\(row.name): \(rebuilt)")
      #expect(RoundedFigure.format(row.published, decimals: 1) == published[row.name])
      #expect(row.reproduced && row.reproduced_by.contains("from_published_totals"), "\(row.name)")
      #expect(row.unit == "percent" && row.decimals == 1)
    }
    let pooled = try #require(rep.details.first { $0.figure == "pooled_orr" }?.from_published_totals)
    #expect(pooled.events == 3733 && pooled.n == 6382 && pooled.ci_method == "clopper-pearson")
    #expect(abs(try #require(rep.figures[0].from_published_totals) - 100 * 3733.0 / 6382) < 1e-12)
    let naive = try #require(rep.details.first { $0.figure == "naive_orr" }?.from_published_totals)
    let pre = try #require(rep.details.first { $0.figure == "pretreated_orr" }?.from_published_totals)
    #expect(naive.events + pre.events == 3733 && naive.n + pre.n == 6382)
    // Medians cannot be rebuilt from totals.
    #expect(rep.figures[5].from_published_totals == nil && rep.figures[6].from_published_totals == nil)
    #expect(rep.figures[5].unit == "months")
  }

  @Test("the sourced columns equal the independent R computation (simple pooling, weighted medians, metafor)")
  func sourcedColumns() throws {
    let rep = try report()
    let e = try SourcedExpected.load().sourced
    func row(_ name: String) throws -> Report.Row { try #require(rep.figures.first { $0.name == name }) }
    func detail(_ name: String) throws -> Report.Detail { try #require(rep.details.first { $0.figure == name }) }
    let subsets = [("pooled_orr", "overall"), ("naive_orr", "naive"), ("pretreated_orr", "pretreated")]
    for (name, key) in subsets {
      let x = try #require(e[key])
      let d = try detail(name)
      #expect(d.sourced_paper_method.k == x.pooled.k)
      #expect(d.sourced_paper_method.events == x.pooled.events)
      #expect(Int(d.sourced_paper_method.n) == x.pooled.n)
      #expect(d.sourced_paper_method.ci_method == "clopper-pearson")
      #expect(closenessFailure("\(name) simple", try #require(try row(name).sourced_paper_method), 100 * x.pooled.proportion, rtol: 1e-12) == nil)
      #expect(closenessFailure("\(name) CP lower", try #require(d.sourced_paper_method.ci_lower), 100 * x.pooled.clopper_pearson[0], rtol: 1e-9) == nil)
      #expect(closenessFailure("\(name) CP upper", try #require(d.sourced_paper_method.ci_upper), 100 * x.pooled.clopper_pearson[1], rtol: 1e-9) == nil)
      // Random effects against metafor (REML iterated to 1e-12 in R).
      let re = try #require(d.sourced_random_effects)
      #expect(re.k == x.random_effects.k)
      #expect(closenessFailure("\(name) RE", try #require(try row(name).sourced_random_effects), 100 * x.random_effects.proportion, rtol: 1e-6) == nil)
      #expect(closenessFailure("\(name) I2", try #require(re.i2), x.random_effects.i2, rtol: 1e-6) == nil)
      #expect(closenessFailure("\(name) tau2", try #require(re.tau2), x.random_effects.tau2, rtol: 1e-6) == nil)
      #expect(closenessFailure("\(name) PI lower", try #require(re.pi_lower), 100 * x.random_effects.pi[0], rtol: 1e-6) == nil)
      #expect(closenessFailure("\(name) PI upper", try #require(re.pi_upper), 100 * x.random_effects.pi[1], rtol: 1e-6) == nil)
      #expect(try #require(re.ci_width_ratio) > 3)
    }
    let lower = try row("pooled_orr_ci_lower"), upper = try row("pooled_orr_ci_upper")
    let overall = try #require(e["overall"])
    #expect(closenessFailure("RE CI lower", try #require(lower.sourced_random_effects), 100 * overall.random_effects.ci[0], rtol: 1e-6) == nil)
    #expect(closenessFailure("RE CI upper", try #require(upper.sourced_random_effects), 100 * overall.random_effects.ci[1], rtol: 1e-6) == nil)
    // The pretreated ORR is also reproduced by the sourced table itself (48.38 → 48.4).
    #expect(try row("pretreated_orr").reproduced_by == ["from_published_totals", "sourced_paper_method"])
    #expect(try row("pooled_orr").reproduced_by == ["from_published_totals"])

    for (name, key) in [("naive_weighted_median_pfs", "naive"), ("pretreated_weighted_median_pfs", "pretreated")] {
      let w = try #require(e[key]?.weighted_median_pfs)
      let r = try row(name)
      let d = try detail(name)
      #expect(r.sourced_paper_method == w.cumulative.median, "\(name)")
      // Inverse-variance pooled median over the cohorts that report a CI of their median
      // (Fixtures/pfs/expected.json, metamedian_survival); no pretreated cohort has one.
      let iv = try #require((try loadFixtureJSON("pfs/expected.json") as? [String: Any])?["alk_sourced"] as? [String: Any])
      let ivLine = try #require(iv[key] as? [String: Any])
      if let median = ivLine["median"] as? [String: Any] {
        #expect(closenessFailure("\(name) IV", try #require(r.sourced_random_effects), number(median["estimate"]), rtol: 1e-6) == nil)
        #expect(d.sourced_random_effects?.k == ivLine["median_k"] as? Int)
      } else {
        #expect(r.sourced_random_effects == nil && d.sourced_random_effects == nil)
      }
      #expect(!r.reproduced)
      #expect(d.sourced_paper_method.k == w.k && d.sourced_paper_method.n == w.n && d.sourced_paper_method.left_out == w.left_out)
      #expect(d.sourced_paper_method.sign_test_ci_lower == w.cumulative.sign_test[0])
      #expect(d.sourced_paper_method.sign_test_ci_upper == w.cumulative.sign_test[1])
      #expect(d.sourced_paper_method.bootstrap_ci_lower != nil)
    }
    #expect(try row("naive_weighted_median_pfs").sourced_paper_method == 11.0)
    #expect(try row("pretreated_weighted_median_pfs").sourced_paper_method == 8.1)
    #expect(rep.warnings.contains { $0.contains("61 cohorts") && $0.contains("66") })
  }

  @Test("the text table shows the four columns side by side")
  func text() throws {
    let r = try runOrrmeta(["reproduce"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    func line(_ prefix: String) -> String? { lines.first { $0.hasPrefix(prefix) } }
    let pooled = try #require(line("pooled_orr, %"))
    #expect(pooled.split(separator: " ").contains("58.5") && pooled.contains("58.3") && pooled.contains("60.1") && pooled.hasSuffix("yes: totals"))
    #expect(try #require(line("  95% CI")).contains("57.3-59.7"))
    #expect(try #require(line("naive_orr, %")).contains("71.8"))
    #expect(try #require(line("pretreated_orr, %")).hasSuffix("yes: totals, sourced \u{03A3}x/\u{03A3}n"))
    let pfs = try #require(line("naive_weighted_median_pfs, months"))
    #expect(pfs.contains("13.8") && pfs.contains("11.0") && pfs.hasSuffix("no"))
    #expect(r.stdout.contains("I\u{00B2} = 94.5%"))
  }

  @Test("the same run gives byte-identical JSON")
  func deterministic() throws {
    let a = try runOrrmeta(["reproduce", "--format", "json"])
    let b = try runOrrmeta(["reproduce", "--format", "json"])
    #expect(a.status == 0 && a.stdout == b.stdout)
    let c = try runOrrmeta(["reproduce", "--format", "json", "--seed", "99"])
    #expect(c.status == 0 && c.stdout != a.stdout)
  }

  @Test("finds the bundled fixtures from another directory (next to the executable)")
  func fromElsewhere() throws {
    let dir = try temporaryDirectory()
    let r = try runOrrmeta(["reproduce", "--format", "json"], directory: dir)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("\"pooled_orr\""))
  }

  @Test("--output writes atomically; an unwritable destination exits 73 and leaves nothing")
  func output() throws {
    let dir = try temporaryDirectory()
    let path = dir + "/reproduction.json"
    let ok = try runOrrmeta(["reproduce", "--format", "json", "--output", path])
    #expect(ok.status == 0 && ok.stdout.isEmpty)
    let written = try String(contentsOfFile: path, encoding: .utf8)
    #expect(written.hasPrefix("{") && written.hasSuffix("}\n"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["reproduction.json"])
    let bad = try runOrrmeta(["reproduce", "--output", dir + "/missing/out.txt"])
    #expect(bad.status == 73)
    #expect(bad.stderr.contains("orrmeta: error: \(dir)/missing/out.txt: cannot write output"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/missing"))
  }

  @Test("a missing fixture directory or file exits 66 and names it")
  func missingFixtures() throws {
    let r = try runOrrmeta(["reproduce", "--fixtures", "/nonexistent/fixtures"])
    #expect(r.status == 66)
    #expect(r.stderr == "orrmeta: error: /nonexistent/fixtures: cannot read file: no such directory\n")
    let dir = try temporaryDirectory()
    try FileManager.default.copyItem(atPath: fixturePath("alk-nsclc/cohorts.csv"), toPath: dir + "/cohorts.csv")
    let half = try runOrrmeta(["reproduce", "--fixtures", dir])
    #expect(half.status == 66)
    #expect(half.stderr.contains("\(dir)/published.toml: cannot read file: no such file"))
  }

  @Test("a figure naming a column the cohort table lacks exits 65 and names both files")
  func badColumn() throws {
    let dir = try temporaryDirectory()
    try FileManager.default.copyItem(atPath: fixturePath("alk-nsclc/cohorts.csv"), toPath: dir + "/cohorts.csv")
    try """
      format = "orrmeta-published/1"
      [[proportion]]
      name = "naive_orr"
      value = 71.8
      cohort_column = "setting"
      cohort_level = "naive"
      """.write(toFile: dir + "/published.toml", atomically: true, encoding: .utf8)
    let r = try runOrrmeta(["reproduce", "--fixtures", dir])
    #expect(r.status == 65)
    #expect(r.stderr.contains("\(dir)/cohorts.csv:1: no column named 'setting', which \(dir)/published.toml names as cohort_column of 'naive_orr'"))
  }

  @Test("a user's own review: cohort file and published figures given explicitly")
  func ownFiles() throws {
    let dir = try temporaryDirectory()
    try """
      study,arm,line,n,responders,median_pfs_months
      A,a,first,100,60,12.0
      B,b,first,50,35,NR
      C,c,later,80,30,6.5
      D,d,later,40,12,4.1
      """.write(toFile: dir + "/my.csv", atomically: true, encoding: .utf8)
    try """
      [[proportion]]
      name = "overall_orr"
      value = 50.7
      patients = 270
      [[median]]
      name = "later_pfs"
      value = 6.5
      cohort_column = "line"
      cohort_level = "later"
      """.write(toFile: dir + "/paper.toml", atomically: true, encoding: .utf8)
    let r = try runOrrmeta(["reproduce", "--cohorts", dir + "/my.csv", "--published", dir + "/paper.toml", "--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let rep = try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
    #expect(rep.figures.map(\.name) == ["overall_orr", "later_pfs"])
    // 137/270 = 50.74 %.
    #expect(abs(try #require(rep.figures[0].sourced_paper_method) - 100 * 137.0 / 270) < 1e-12)
    #expect(rep.figures[0].reproduced_by == ["from_published_totals", "sourced_paper_method"])
    // Weighted median of 6.5 (80) and 4.1 (40): 6.5.
    #expect(rep.figures[1].sourced_paper_method == 6.5 && rep.figures[1].reproduced)
  }
}
