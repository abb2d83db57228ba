// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import Testing
import _TestSupport

/// The reference-trial cohorts (ALUR final analysis, crizotinib after alectinib, ALNEO) against
/// R's `binom.test` and `prop.test` (`Fixtures/reference-trials/binom_test.R`).
@Suite("Reference-trial ORRs and CIs against R binom.test")
struct ReferenceTrialIntervalTests {
  @Test("Clopper-Pearson, Wilson and Wilson with continuity correction")
  func intervals() throws {
    let expected = try BinomExpected.load()
    #expect(expected.cases.count == 5)
    for c in expected.cases {
      let level = try ConfidenceLevel(c.level)
      let study = try ProportionStudy(label: c.name, events: c.events, total: c.n)
      #expect(abs(study.proportion - c.proportion) < 1e-15)
      let checks: [(BinomialIntervalMethod, [Double])] = [(.clopperPearson, c.clopper_pearson), (.wilson, c.wilson), (.wilsonCC, c.wilson_cc)]
      for (method, r) in checks {
        let ci = try method.interval(events: c.events, total: c.n, level: level)
        #expect(closenessFailure("\(c.name) \(c.level) \(method.rawValue) lower", ci.lower, r[0], rtol: 1e-9, atol: 1e-12) == nil)
        #expect(closenessFailure("\(c.name) \(c.level) \(method.rawValue) upper", ci.upper, r[1], rtol: 1e-9, atol: 1e-12) == nil)
      }
    }
  }

  @Test("the published ORRs are the rounded x/n")
  func publishedORRs() {
    #expect(RoundedFigure.format(100 * 40.0 / 79, decimals: 1) == "50.6")  // ALUR alectinib
    #expect(RoundedFigure.format(100 * 1.0 / 40, decimals: 1) == "2.5")    // ALUR chemotherapy
    #expect(RoundedFigure.format(100 * 3.0 / 9, decimals: 1) == "33.3")    // crizotinib after alectinib
  }
}
