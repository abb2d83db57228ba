// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta check`, run as the built binary.
@Suite("orrmeta check")
struct CheckCommandTests {
  struct Report: Decodable {
    struct Figure: Decodable {
      var name: String
      var kind: String
      var published: String
      var status: String
      var detail: String
    }
    struct MethodCounts: Decodable {
      var method: String
      var reproduced: Bool
      var counts: [Int]
    }
    struct Representative: Decodable {
      var events: Int
      var patients: Int
      var percent: Double
      var ci_method: String?
      var ci_lower: Double?
      var ci_upper: Double?
    }
    struct Proportion: Decodable {
      var name: String
      var patients: Int
      var percent_counts: [Int]
      var consistent_counts: [Int]
      var counts_by_method: [MethodCounts]
      var representative: Representative?
    }
    struct Partition: Decodable {
      var whole: String
      var parts: [String]
      var solutions: Int
      var representative_total_events: Int?
    }
    struct Summary: Decodable {
      var reproduced: Int
      var not_reproduced: Int
      var not_checkable: Int
    }
    var figures: [Figure]
    var proportions: [Proportion]
    var partitions: [Partition]
    var summary: Summary
  }

  func decode(_ args: [String]) throws -> Report {
    let r = try runOrrmeta(args)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
  }

  @Test("the ALK figures: counts and CI methods that reproduce 58.5% [57.3, 59.7] of 6,382")
  func alk() throws {
    let e = try SourcedExpectedCheck.load()
    let rep = try decode(["check", "Fixtures/alk-nsclc/published.toml", "--format", "json"])
    #expect(rep.figures.map(\.name) == [
      "counts.trials", "counts.cohorts", "counts.patients", "pooled_orr", "pooled_orr.ci", "naive_orr", "pretreated_orr",
      "naive_weighted_median_pfs", "pretreated_weighted_median_pfs",
    ])
    #expect(rep.figures.map(\.status) == [
      "not checkable", "not checkable", "not checkable", "reproduced", "reproduced", "reproduced", "reproduced",
      "not checkable", "not checkable",
    ])
    let p = try #require(rep.proportions.first)
    #expect(p.name == "pooled_orr" && p.patients == 6382)
    #expect(p.percent_counts == e.percent_counts && p.consistent_counts == e.consistent_counts)
    for m in p.counts_by_method {
      #expect(m.counts == e.counts_by_method[m.method], "\(m.method)")
      #expect(m.reproduced)
    }
    #expect(p.counts_by_method.map(\.method) == ["clopper-pearson", "wilson", "wald", "agresti-coull", "jeffreys", "wilson-cc"])
    let rep3733 = try #require(p.representative)
    #expect(rep3733.events == 3733 && rep3733.ci_method == "clopper-pearson")
    #expect(rep.partitions.first?.solutions == 261 && rep.partitions.first?.representative_total_events == 3733)
    #expect(rep.summary.reproduced == 4 && rep.summary.not_reproduced == 0 && rep.summary.not_checkable == 5)
    #expect(rep.figures[4].detail.contains("clopper-pearson (x = 3732-3735)"))
  }

  @Test("the reference trials: ALNEO's 46% of 33 is not reproduced; the Okayama CI is Clopper-Pearson")
  func referenceTrials() throws {
    let rep = try decode(["check", "Fixtures/reference-trials/published.toml", "--format", "json"])
    func figure(_ n: String) throws -> Report.Figure { try #require(rep.figures.first { $0.name == n }) }
    #expect(try figure("alur_alectinib_orr").status == "reproduced")
    #expect(try figure("alur_chemotherapy_orr").status == "reproduced")
    #expect(try figure("alur_alectinib_cns_orr").status == "not checkable")
    #expect(try figure("okayama_crizotinib_orr.ci").status == "reproduced")
    #expect(try figure("okayama_crizotinib_orr.ci").detail.contains("not by wilson, wald, agresti-coull, jeffreys, wilson-cc"))
    #expect(try figure("okayama_crizotinib_orr_90.ci").status == "reproduced")
    let mpr = try figure("alneo_major_pathological_response")
    #expect(mpr.status == "not reproduced")
    #expect(mpr.detail.contains("nearest: 15/33 = 45.45%"))
    #expect(try figure("alneo_radiographic_orr").status == "reproduced")
    #expect(rep.summary.not_reproduced == 1)
    let alur = try #require(rep.proportions.first { $0.name == "alur_alectinib_orr" })
    #expect(alur.consistent_counts == [40])
  }

  @Test("the text report states every figure's verdict")
  func text() throws {
    let r = try runOrrmeta(["check", "Fixtures/alk-nsclc/published.toml"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("pooled_orr: 3733/6382 = 58.49%; 95% CI (clopper-pearson) 57.27-59.71%"))
    #expect(r.stdout.contains("naive_orr: 1976/2752 = 71.80%; pretreated_orr: 1757/3630 = 48.40%"))
    #expect(r.stdout.contains("Summary: 4 reproduced, 0 not reproduced, 5 not checkable"))
  }

  @Test("invalid published files name the line (and column) and exit 65", arguments: [
    ("format = \"orrmeta-published/1\"\n[[proportion]]\nname = \"x\"\nvalue = 58.5.3\n", ":4: column ", "TOML syntax error"),
    ("[[proportion]]\nname = \"x\"\nvalue = \"abc\"\n", ":3: ", "[[proportion]] 'x': value = \"abc\" is invalid; expected a number"),
    ("[[proportion]]\nname = \"x\"\nvalue = 58.5\npatient = 10\n", ":4: ", "[[proportion]] 'x': unknown key 'patient'"),
    ("[[proportion]]\nname = \"x\"\nvalue = 158.5\n", ":3: ", "value = 158.5 is out of range; expected 0 to 100"),
    ("[[proportion]]\nname = \"x\"\nvalue = 58.5\nci_lower = 57.3\n", ":4: ", "give both ci_lower and ci_upper, or neither"),
    ("[[proportion]]\nname = \"x\"\nvalue = 58.5\n\n[[proportion]]\nname = \"x\"\nvalue = 1\n", ":6: ", "figure name 'x' is used twice"),
    ("[[proportion]]\nname = \"y\"\nvalue = 50\npartition_of = \"z\"\n", ":4: ", "partition_of = \"z\" names no other proportion"),
    ("[counts]\ntrials = -1\n[[median]]\nname = \"m\"\nvalue = 1\n", ":2: ", "[counts] trials = -1 is invalid"),
    ("title = 1\n", ":1: ", "unknown top-level key 'title'"),
    ("", "", "no figures: expected at least one [[proportion]] or [[median]] table"),
  ])
  func invalid(text: String, location: String, message: String) throws {
    let path = try writeTemporaryFile("published.toml", text)
    let r = try runOrrmeta(["check", path])
    #expect(r.status == 65, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("orrmeta: error: \(path)\(location)"), "\(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test("a missing file exits 66; an unwritable output exits 73")
  func fileErrors() throws {
    let r = try runOrrmeta(["check", "/nonexistent.toml"])
    #expect(r.status == 66)
    #expect(r.stderr == "orrmeta: error: /nonexistent.toml: cannot read file: no such file\n")
    let o = try runOrrmeta(["check", "Fixtures/alk-nsclc/published.toml", "--output", "/nonexistent/dir/out.txt"])
    #expect(o.status == 73)
  }
}

/// The R enumeration of the published pooled ORR (`Fixtures/alk-nsclc/expected.json`, `check`).
struct SourcedExpectedCheck: Decodable {
  var percent_counts: [Int]
  var consistent_counts: [Int]
  var counts_by_method: [String: [Int]]

  static func load() throws -> SourcedExpectedCheck {
    struct File: Decodable {
      struct Check: Decodable { var pooled_orr: SourcedExpectedCheck }
      var check: Check
    }
    let data = try fixtureData("alk-nsclc/expected.json")
    return try JSONDecoder().decode(File.self, from: data).check.pooled_orr
  }
}
