// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// The three-level GLMM within subgroups (`pool --method GLMM --cluster trial --by line
/// --nagq 1`) against glmer refits per subgroup (Fixtures/glmm/expected3_subgroups.json,
/// written by Fixtures/glmm/generate_glmm3_subgroups.R).
@Suite("Three-level GLMM subgroups")
struct ThreeLevelGLMMSubgroupTests {
  struct Fixture: Decodable {
    struct Subgroup: Decodable {
      let name: String
      let trial: [String]
      let x: [Int]
      let n: [Int]
      let mu: Double
      let s1: Double
      let s2: Double
      let logLik: Double
      let se_vcov: Double
    }
    let lme4: String
    let subgroups: [Subgroup]
  }

  /// The decoded fixture, or why it could not be read (each test that uses it fails with that).
  static let loadedFixture = Result { try decodeFixture(Fixture.self, "glmm/expected3_subgroups.json") }
  static var fixture: Fixture { get throws { try loadedFixture.get() } }

  static func close(_ a: Double, _ b: Double, rtol: Double, atol: Double) -> Bool {
    abs(a - b) <= atol + rtol * abs(b)
  }

  @Test("each subgroup's Laplace fit agrees with glmer to 1e-4; the test between subgroups with the SEs")
  func subgroupsMatchGlmer() throws {
    let f = try Self.fixture
    var studies: [ProportionStudy] = [], groups: [String] = [], trials: [String] = []
    for g in f.subgroups {
      for i in g.x.indices {
        studies.append(try ProportionStudy(label: "\(g.name)/\(g.trial[i])/\(i)", events: g.x[i], total: g.n[i]))
        groups.append(g.name)
        trials.append(g.trial[i])
      }
    }
    let settings = AnalysisSettings(method: .GLMM, quadraturePoints: 1)
    let result = try ProportionMetaAnalysis.analyze(
      studies: studies, groups: groups, settings: settings, clusters: trials, clusterName: "trial")
    #expect(result.subgroups.map(\.name) == f.subgroups.map(\.name))
    var estimates: [Double] = [], weights: [Double] = []
    for (r, g) in zip(result.subgroups, f.subgroups) {
      let fit = try #require(r.analysis.multilevelGLMM, "\(g.name): no three-level GLMM fit")
      #expect(fit.nAGQ == 1)
      #expect(fit.logLik >= g.logLik - 1e-9, "\(g.name): logLik \(fit.logLik) below glmer's \(g.logLik)")
      #expect(Self.close(fit.logLik, g.logLik, rtol: 0, atol: 1e-6), "\(g.name): logLik \(fit.logLik) vs \(g.logLik)")
      #expect(Self.close(fit.estimate, g.mu, rtol: 1e-4, atol: 1e-4), "\(g.name): mu \(fit.estimate) vs \(g.mu)")
      #expect(Self.close(fit.sigmaTrial, g.s1, rtol: 1e-4, atol: 1e-4), "\(g.name): sigma_trial \(fit.sigmaTrial) vs \(g.s1)")
      #expect(Self.close(fit.sigmaCohort, g.s2, rtol: 1e-4, atol: 1e-4), "\(g.name): sigma_cohort \(fit.sigmaCohort) vs \(g.s2)")
      // lme4's SE (vcov, its stored finite-difference Hessian); here not at a boundary where it
      // goes wrong (random21 in ThreeLevelGLMMTests).
      #expect(Self.close(fit.standardError, g.se_vcov, rtol: 1e-3, atol: 0), "\(g.name): SE \(fit.standardError) vs \(g.se_vcov)")
      #expect(r.analysis.model.estimate == fit.estimate)
      estimates.append(g.mu)
      weights.append(1 / (g.se_vcov * g.se_vcov))
    }
    // Cochran's Q between the subgroup estimates (weights 1/SE²) from glmer's estimates.
    let mean = zip(estimates, weights).map(*).reduce(0, +) / weights.reduce(0, +)
    let q = zip(estimates, weights).map { $1 * ($0 - mean) * ($0 - mean) }.reduce(0, +)
    let test = try #require(result.test)
    #expect(test.degreesOfFreedom == f.subgroups.count - 1)
    #expect(Self.close(test.q, q, rtol: 2e-3, atol: 0), "Q between \(test.q) vs \(q)")
  }
}
