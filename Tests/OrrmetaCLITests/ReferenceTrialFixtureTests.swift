// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// The reference-trial cohorts as they appear in the fixtures, with their ORRs and
/// Clopper–Pearson CIs against R's `binom.test` (`Fixtures/reference-trials/binom_test.R`).
@Suite("Reference-trial fixtures")
struct ReferenceTrialFixtureTests {
  struct Expected: Decodable {
    struct Case: Decodable {
      var name: String
      var events: Int
      var n: Int
      var level: Double
      var proportion: Double
      var clopper_pearson: [Double]
    }
    var cases: [Case]
  }

  func expected() throws -> [Expected.Case] {
    let data = try fixtureData("reference-trials/binom_test_expected.json")
    return try JSONDecoder().decode(Expected.self, from: data).cases
  }

  @Test("ALUR and crizotinib after alectinib: counts, ORRs and CIs in both fixtures match binom.test", arguments: [
    "reference-trials/cohorts.csv", "alk-nsclc/cohorts.csv",
  ])
  func cohorts(file: String) throws {
    let cohorts = try CohortFile.read(path: fixturePath(file))
    let names = ["ALUR_alectinib", "ALUR_chemo", "Okayama_crizotinib_post_alectinib"]
    for c in try expected() where names.contains(c.name) {
      let study = try #require(cohorts.studies.first { $0.label == c.name }, "\(c.name) in \(file)")
      #expect(study.events == c.events && study.total == c.n, "\(c.name)")
      #expect(abs(study.proportion - c.proportion) < 1e-15)
      let ci = try BinomialIntervalMethod.clopperPearson.interval(events: study.events, total: study.total, level: try ConfidenceLevel(c.level))
      #expect(closenessFailure("\(c.name) \(c.level) lower", ci.lower, c.clopper_pearson[0], rtol: 1e-9, atol: 1e-12) == nil)
      #expect(closenessFailure("\(c.name) \(c.level) upper", ci.upper, c.clopper_pearson[1], rtol: 1e-9, atol: 1e-12) == nil)
    }
    // The published ORRs (orr_pct) are the rounded x/n.
    let orr = try #require(cohorts.table.header.firstIndex(of: "orr_pct"))
    for (i, s) in cohorts.studies.enumerated() where names.contains(s.label) {
      let printed = cohorts.table.records[i][orr]
      #expect(RoundedFigure.format(100 * s.proportion, decimals: 1) == printed, "\(s.label)")
    }
  }

  @Test("every reference-trial row names its source")
  func sources() throws {
    for file in ["reference-trials/cohorts.csv", "reference-trials/endpoints.csv"] {
      let table = try CSVTable.read(path: fixturePath(file))
      let source = try #require(table.header.firstIndex(of: "source_url"))
      let confirmed = table.header.firstIndex(of: "confirmed")
      for (i, r) in table.records.enumerated() {
        // Unconfirmed endpoints (ALNEO pCR and radiographic ORR) have no source: they say so.
        if let confirmed, r[confirmed] == "no" {
          #expect(r.last!.contains("not") && r.last!.contains("confirm") || r.last!.contains("not found"), "\(file) line \(table.lines[i])")
          continue
        }
        #expect(r[source].hasPrefix("https://"), "\(file) line \(table.lines[i])")
      }
    }
  }
}
