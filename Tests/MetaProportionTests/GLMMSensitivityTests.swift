// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import Testing

/// Leave-one-out and cumulative GLMM rows are refits of BinomialNormalModel on the right subsets.
struct GLMMSensitivityTests {
  let studies: [ProportionStudy] = try! [
    (12, 40), (30, 52), (7, 33), (19, 27), (44, 90), (3, 25), (25, 31),
  ].enumerated().map { try ProportionStudy(label: "c\($0.offset)", events: $0.element.0, total: $0.element.1) }

  @Test func leaveOneOutRowsAreRefitsWithoutTheCohort() throws {
    let rows = try GLMMSensitivity.leaveOneOut(studies: studies, nAGQ: 7, test: .z, level: .ninetyFive)
    #expect(rows.count == studies.count)
    for i in studies.indices {
      var rest = studies
      rest.remove(at: i)
      let f = try BinomialNormalModel.fit(studies: rest, nAGQ: 7, test: .z, level: .ninetyFive)
      #expect(rows[i].label == studies[i].label)
      #expect(rows[i].estimate == f.estimate)
      #expect(rows[i].tau2 == f.tau2)
      #expect(rows[i].q == f.qWald)
      #expect(rows[i].proportionCIUpper == f.proportionCIUpper)
    }
  }

  @Test func cumulativeEndsAtTheFullFitAndStartsUndefined() throws {
    let order = [3, 0, 6, 1, 5, 2, 4]
    let rows = try GLMMSensitivity.cumulative(studies: studies, order: order, nAGQ: 7, test: .t, level: .ninetyFive)
    #expect(rows.map(\.label) == order.map { studies[$0].label })
    #expect(rows[0].estimate.isNaN)  // k = 1 cannot be fitted
    let full = try BinomialNormalModel.fit(studies: studies, nAGQ: 7, test: .t, level: .ninetyFive)
    #expect(abs(rows.last!.estimate - full.estimate) <= 1e-9 * abs(full.estimate))
    let third = try BinomialNormalModel.fit(studies: order.prefix(3).map { studies[$0] }, nAGQ: 7, test: .t, level: .ninetyFive)
    #expect(rows[2].estimate == third.estimate)
  }

  @Test func tooFewCohortsThrow() {
    #expect(throws: MetaAnalysisError.self) {
      _ = try GLMMSensitivity.leaveOneOut(studies: Array(studies.prefix(2)), nAGQ: 7, test: .z, level: .ninetyFive)
    }
  }
}
