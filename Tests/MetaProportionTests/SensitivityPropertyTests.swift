// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import PropertyBased
import Testing
import _TestSupport

/// Invariants and edge cases of the sensitivity analyses.
@Suite("Sensitivity properties and edge cases")
struct SensitivityPropertyTests {
  /// Random cohorts: k in 3...12, n in 10...200, events ≈ n·p with p in 0.05...0.95.
  static let cohorts = zip(Gen.int(in: 10...200), Gen.double(in: 0.05...0.95)).array(of: 3...12)

  static func studies(_ pairs: [(Int, Double)]) -> [ProportionStudy] {
    pairs.enumerated().map { i, np in
      try! ProportionStudy(label: "S\(i)", events: Int((Double(np.0) * np.1).rounded()), total: np.0)
    }
  }

  @Test("weights sum to 100, hat values to 1; deletion fits equal direct subset fits")
  func influenceInvariants() async {
    await propertyCheck(count: 60, input: Self.cohorts, Gen.element(of: [TauSquaredMethod.DL, .REML, .PM, .EE])) { pairs, method in
      let studies = Self.studies(pairs)
      let method = method!
      let a = try! SensitivityAnalysis(studies: studies, measure: .PLO, method: method)
      let cd = try! a.caseDeletion()
      let sw = cd.influence.reduce(0) { $0 + $1.weight }
      let sh = cd.influence.reduce(0) { $0 + $1.hat }
      #expect(isClose(sw, 100, rtol: 1e-12))
      #expect(isClose(sh, 1, rtol: 1e-12))
      let i = studies.count / 2
      var y = a.yi, v = a.vi
      y.remove(at: i)
      v.remove(at: i)
      let direct = try! RandomEffectsModel.fit(yi: y, vi: v, method: method)
      #expect(cd.leaveOneOut[i].estimate == direct.estimate)
      #expect(cd.leaveOneOut[i].tau2 == direct.tau2.tau2)
      // cumulative with all cohorts ends at the full model
      let cu = try! a.cumulative()
      #expect(isClose(cu.last!.estimate, a.fit.estimate, rtol: 1e-10))
    }
  }

  @Test("exhaustive GOSH (Gray-code running sums) equals subset-by-subset fits")
  func goshAgainstDirectFits() async {
    await propertyCheck(count: 20, input: Self.cohorts, Gen.element(of: [TauSquaredMethod.DL, .EE, .REML])) { pairs, method in
      let studies = Self.studies(pairs)
      let method = method!
      let a = try! SensitivityAnalysis(studies: studies, measure: .PFT, method: method)
      let g = try! a.gosh(GoshOptions(threads: 2))
      #expect(g.subsets == (1 << a.k) - 1)
      for s in stride(from: 0, to: g.subsets, by: 7) {
        let members = (0..<a.k).filter { g.includes(subset: s, cohort: $0) }
        let f = try! RandomEffectsModel.fit(yi: members.map { a.yi[$0] }, vi: members.map { a.vi[$0] }, method: method)
        #expect(isClose(g.estimate[s], f.estimate, rtol: 1e-9, atol: 1e-12))
        #expect(isClose(g.tau2[s], f.tau2.tau2, rtol: 1e-8, atol: 1e-11))
        #expect(isClose(g.q[s], f.q, rtol: 1e-8, atol: 1e-10))
      }
    }
  }

  @Test("Kendall distribution sums to 1 and is symmetric")
  func kendall() throws {
    // via the public test: tau of identical orderings is 1 with the exact p-value 2/n!
    let a = try SensitivityAnalysis(yi: [0.1, 0.5, 0.9, 1.6, 2.0], vi: [0.01, 0.02, 0.04, 0.08, 0.16], method: .EE)
    let r = try a.beggTest()
    #expect(r.exact)
    #expect(r.tau > 0)
    #expect(r.pValue > 0 && r.pValue <= 1)
  }

  @Test("k = 2: deletion fits have k = 1 and use a z CI (as metafor)")
  func kTwo() throws {
    let a = try SensitivityAnalysis(yi: [0.2, 0.9], vi: [0.04, 0.09], method: .REML, test: .knha)
    let loo = try a.leaveOneOut()
    #expect(loo[0].estimate == 0.9)
    #expect(isClose(loo[0].standardError, 0.3, rtol: 1e-14))
    #expect(isClose(loo[0].ciLower, 0.9 - 1.959963984540054 * 0.3, rtol: 1e-12))
    #expect(loo[0].tau2 == 0)
    let g = try a.gosh()
    #expect(g.subsets == 3)
  }

  @Test("k = 1 and invalid settings throw")
  func errors() throws {
    let a = try SensitivityAnalysis(yi: [0.2], vi: [0.04], method: .DL)
    #expect(throws: MetaAnalysisError.self) { try a.leaveOneOut() }
    #expect(throws: MetaAnalysisError.self) { try a.influence() }
    #expect(throws: MetaAnalysisError.self) { try a.trimAndFill() }
    #expect(throws: MetaAnalysisError.self) { try a.gosh() }
    let b = try SensitivityAnalysis(yi: [0.2, 0.4, 0.1], vi: [0.04, 0.05, 0.06], method: .DL)
    #expect(throws: MetaAnalysisError.self) { try b.cumulative(order: [0, 0, 1]) }
    #expect(throws: MetaAnalysisError.self) { try b.petersTest() }
    #expect(throws: MetaAnalysisError.self) {
      try MetaRegression.fit(yi: [1, 2], vi: [1, 1], moderators: [.continuous(name: "x", values: [1, 2])], method: .REML)
    }
    #expect(throws: MetaAnalysisError.self) {
      try DesignMatrix(k: 3, moderators: [.categorical(name: "g", values: ["a", "b", "c"], levels: ["a", "b"])])
    }
  }
}
