// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import Testing
import _TestSupport

@Suite("Consistency of reported proportions (GRIM-style)")
struct ConsistencyTests {
  func pooledORR() throws -> ReportedProportion {
    ReportedProportion(
      percent: try RoundedFigure(58.5, decimals: 1), ciLower: try RoundedFigure(57.3, decimals: 1),
      ciUpper: try RoundedFigure(59.7, decimals: 1), patients: 6382)
  }

  @Test("rounded figures admit both ends of their half unit")
  func roundedFigure() throws {
    let f = try RoundedFigure(58.5, decimals: 1)
    #expect(f.admits(58.45) && f.admits(58.55) && f.admits(58.5))
    #expect(!f.admits(58.44) && !f.admits(58.56))
    #expect(f.description == "58.5")
    #expect(RoundedFigure.format(3733.0 / 6382 * 100, decimals: 2) == "58.49")
    #expect(RoundedFigure.format(0.05, decimals: 3) == "0.050")
    #expect(RoundedFigure.format(-1.25, decimals: 1) == "-1.3")
    #expect(try RoundedFigure(46, decimals: 0).halfUnit == 0.5)
    #expect(throws: MetaAnalysisError.self) { try RoundedFigure(.infinity, decimals: 1) }
    #expect(throws: MetaAnalysisError.self) { try RoundedFigure(1, decimals: 11) }
  }

  @Test("58.5% [57.3, 59.7] of 6,382: the counts and methods R finds")
  func pooledCounts() throws {
    let e = try ALKExpected.load().check.pooled_orr
    let c = try ProportionConsistency.check(try pooledORR(), patients: 6382)
    #expect(c.candidates.map(\.events) == e.percent_counts)
    #expect(c.consistentCounts == e.consistent_counts)
    for m in c.methods {
      #expect(c.counts(reproducingWith: m) == e.counts_by_method[m.rawValue], "\(m.rawValue)")
    }
    #expect(c.nonReproducingMethods.isEmpty)
    let rep = try #require(c.representative)
    #expect(rep.events == 3733 && rep.events == e.representative)
    #expect(c.representativeMethod == .clopperPearson)
    // The intervals at 3,733/6,382 against R (binom.test, prop.test, formulas).
    for iv in rep.intervals {
      let r = try #require(e.representative_intervals[iv.method.rawValue])
      #expect(closenessFailure("\(iv.method.rawValue) lower", iv.lower, r[0], rtol: 1e-9) == nil)
      #expect(closenessFailure("\(iv.method.rawValue) upper", iv.upper, r[1], rtol: 1e-9) == nil)
      #expect(iv.reproduced)
    }
    // Rebuilt figures round to the published ones.
    #expect(RoundedFigure.format(rep.percent, decimals: 1) == "58.5")
    let cp = try #require(rep.interval(.clopperPearson))
    #expect(RoundedFigure.format(100 * cp.lower, decimals: 1) == "57.3")
    #expect(RoundedFigure.format(100 * cp.upper, decimals: 1) == "59.7")
  }

  @Test("71.8% and 48.4% split 6,382 patients: the solutions R finds")
  func partition() throws {
    let e = try ALKExpected.load().check.partition
    let whole = try ProportionConsistency.check(try pooledORR(), patients: 6382)
    let p = try PartitionConsistency.check(
      parts: [PartitionPart(percent: try RoundedFigure(71.8, decimals: 1)), PartitionPart(percent: try RoundedFigure(48.4, decimals: 1))],
      totalPatients: 6382, totalEvents: whole.consistentCounts, preferredTotalEvents: whole.representative?.events)
    #expect(p.solutions.count == e.solutions)
    #expect(p.patientRange(0) == e.naive_patients[0]...e.naive_patients[1])
    #expect(p.eventRange(0) == e.naive_events[0]...e.naive_events[1])
    #expect(p.patientRange(1) == e.pretreated_patients[0]...e.pretreated_patients[1])
    #expect(p.eventRange(1) == e.pretreated_events[0]...e.pretreated_events[1])
    let rep = try #require(p.representative)
    #expect(rep.totalEvents == e.representative.total_events)
    #expect(rep.events == [e.representative.naive[0], e.representative.pretreated[0]])
    #expect(rep.patients == [e.representative.naive[1], e.representative.pretreated[1]])
    #expect(RoundedFigure.format(rep.percents[0], decimals: 1) == "71.8")
    #expect(RoundedFigure.format(rep.percents[1], decimals: 1) == "48.4")
    #expect(rep.patients.reduce(0, +) == 6382 && rep.events.reduce(0, +) == 3733)
  }

  @Test("a percentage no count can give (ALNEO: 46% of 33)")
  func impossible() throws {
    let c = try ProportionConsistency.check(ReportedProportion(percent: try RoundedFigure(46, decimals: 0)), patients: 33)
    #expect(!c.percentReproduced)
    #expect(c.representative == nil)
    // 15/33 = 45.45% prints as 45%.
    #expect(ProportionConsistency.countsAdmitted(by: try RoundedFigure(45, decimals: 0), patients: 33) == [15])
  }

  @Test("the crizotinib-after-alectinib CI 7.5-70.1 (3/9) is Clopper-Pearson only")
  func okayama() throws {
    let r = ReportedProportion(
      percent: try RoundedFigure(33.3, decimals: 1), ciLower: try RoundedFigure(7.5, decimals: 1),
      ciUpper: try RoundedFigure(70.1, decimals: 1), patients: 9)
    let c = try ProportionConsistency.check(r, patients: 9)
    #expect(c.consistentCounts == [3])
    #expect(c.reproducingMethods == [.clopperPearson])
    let r90 = ReportedProportion(
      percent: try RoundedFigure(33.3, decimals: 1), ciLower: try RoundedFigure(9.8, decimals: 1),
      ciUpper: try RoundedFigure(65.5, decimals: 1), level: try ConfidenceLevel(90), patients: 9)
    #expect(try ProportionConsistency.check(r90, patients: 9).reproducingMethods == [.clopperPearson])
  }

  @Test("invalid checks are rejected")
  func invalid() throws {
    let r = ReportedProportion(percent: try RoundedFigure(50, decimals: 0), patients: 10)
    #expect(throws: MetaAnalysisError.self) { try ProportionConsistency.check(r, patients: 0) }
    #expect(throws: MetaAnalysisError.self) { try ProportionConsistency.check(r, patients: 11) }
    #expect(throws: MetaAnalysisError.self) {
      try PartitionConsistency.check(parts: [PartitionPart(percent: try RoundedFigure(50, decimals: 0))], totalPatients: 10, totalEvents: [5])
    }
  }
}
