// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing

/// metaprop's continuity correction (``EffectSizes/Convention/metaprop``, the `meta` profile),
/// by hand from meta 8.2-1 R/metaprop.R, c = 0.5 (the grid of MetaProfileGridTests checks it
/// against meta itself):
/// - PR 0/20: y = 0 (uncorrected), v = 0.5 · 20.5 / 21³ = 10.25 / 9261;
/// - PLN 0/20: y = log(0.5/20.5), v = 1/0.5 − 1/20.5; PLN 20/20: y = 0, v = 1/20 − 1/20.5;
/// - PAS 0/20 with `add` given: not corrected, y = 0, v = 1/80 (escalc: corrected);
/// - a cohort without a zero cell: the same as escalc.
struct MetapropEffectSizesTests {
  func es(_ events: Int, _ total: Int, _ m: EffectMeasure, add: Double? = nil) throws -> EffectSizes {
    try EffectSizes(
      studies: [try ProportionStudy(label: "a", events: events, total: total)], measure: m, add: add,
      convention: .metaprop)
  }

  @Test func zeroCellsByHand() throws {
    let pr = try es(0, 20, .PR)
    #expect(pr.yi[0] == 0)
    #expect(abs(pr.vi[0] - 10.25 / 9261) < 1e-17)
    #expect(pr.corrected[0])
    let pln0 = try es(0, 20, .PLN)
    #expect(abs(pln0.yi[0] - log(0.5 / 20.5)) < 1e-15)
    #expect(abs(pln0.vi[0] - (2 - 1 / 20.5)) < 1e-14)
    let plnAll = try es(20, 20, .PLN)
    #expect(plnAll.yi[0] == 0)
    #expect(abs(plnAll.vi[0] - (0.05 - 1 / 20.5)) < 1e-16)
    let pas = try es(0, 20, .PAS, add: 0.5)
    #expect(pas.yi[0] == 0 && pas.vi[0] == 1.0 / 80 && !pas.corrected[0])
    let escalcPAS = try EffectSizes(studies: [try ProportionStudy(label: "a", events: 0, total: 20)], measure: .PAS, add: 0.5)
    #expect(escalcPAS.yi[0] > 0)
  }

  @Test func withoutZeroCellsItIsEscalc() throws {
    for m in EffectMeasure.allCases {
      let a = try es(7, 20, m)
      let b = try EffectSizes(studies: [try ProportionStudy(label: "a", events: 7, total: 20)], measure: m)
      #expect(abs(a.yi[0] - b.yi[0]) <= 1e-15 * abs(b.yi[0]) && abs(a.vi[0] - b.vi[0]) <= 1e-15 * b.vi[0], "\(m)")
    }
  }

  @Test func theMetaProfileSelectsIt() {
    var s = AnalysisSettings(measure: .PR)
    #expect(s.effectSizeConvention == .escalc)
    s.profile = .meta
    #expect(s.effectSizeConvention == .metaprop)
  }
}
