// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Leave-one-cluster-out and cumulative (by cluster, in file order) of the three-level GLMM with
/// `nAGQ = 1` against glmer refits of every subset (Fixtures/glmm/expected3_sensitivity.json,
/// written by Fixtures/glmm/generate_glmm3_sensitivity.R): the ALK table by trial and random01–06.
///
/// Every refit's log-likelihood is at least glmer's (less 1e-9). Where they agree to 1e-6 (glmer at
/// its optimum), μ and σ per level agree to 1e-4 (lme4's convergence); where every trial of the
/// subset has one cohort, the split of σ² is not identified and σ_total is compared. Where glmer
/// lands elsewhere (a lower log-likelihood), the refit is listed in ``glmerElsewhere`` with why.
@Suite("Three-level GLMM sensitivity")
struct ThreeLevelGLMMSensitivityTests {
  struct Fixture: Decodable {
    struct Fit: Decodable {
      let mu: Double
      let s1: Double
      let s2: Double
      let logLik: Double
      let k: Int
      let messages: [String]
    }
    struct Row: Decodable {
      let label: String
      let fit: Fit?
    }
    struct Dataset: Decodable {
      let name: String
      let trial: [String]
      let x: [Int]
      let n: [Int]
      let leave_one_cluster_out: [Row]
      let cumulative: [Row]
    }
    let lme4: String
    let datasets: [Dataset]
  }

  /// The decoded fixture, or why it could not be read (each test that uses it fails with that).
  static let loadedFixture = Result { try decodeFixture(Fixture.self, "glmm/expected3_sensitivity.json") }
  static var fixture: Fixture { get throws { try loadedFixture.get() } }

  static func close(_ a: Double, _ b: Double, rtol: Double, atol: Double) -> Bool {
    abs(a - b) <= atol + rtol * abs(b)
  }

  /// Refits ("dataset/kind/label") where glmer stops below the maximum of the Laplace likelihood
  /// along a direction flat to 1e-8, so that σ_trial differs by more than 1e-4: there orrmeta's
  /// log-likelihood must be strictly higher (by > 5e-9), and μ and σ_cohort still agree to 1e-4.
  static let glmerElsewhere: [String: String] = [
    // Fixtures/glmm/check_glmer_sensitivity.R: glmer's deviance at its optimum (σ_trial 0.015312)
    // is 111.430515330, orrmeta's point (σ_trial 0.013816) gives 111.430515311 under glmer's own
    // devfun; the profile deviance over σ_trial (μ, σ_cohort re-optimised) is lowest near 0.0138
    // (0.0138: 111.4305153109, 0.0153: 111.4305153246, 0: 111.4305155622).
    "alk/cumul/ALESIA": "sigma_trial near 0, profile deviance flat to 2e-8 between 0.0138 and 0.0153; bobyqa stops at 0.0153",
  ]

  @Test("leave-one-cluster-out and cumulative refits agree with glmer refits to 1e-4", arguments: ["alk", "random01", "random02", "random03", "random04", "random05", "random06"])
  func refitsMatchGlmer(_ name: String) throws {
    let d = try #require(try Self.fixture.datasets.first { $0.name == name })
    let studies = try d.x.indices.map { try ProportionStudy(label: "\(d.trial[$0])/\($0)", events: d.x[$0], total: d.n[$0]) }
    let clusters = ClusterStructure(clusters: d.trial)
    for (kind, reference, ours) in [
      ("leave1out", d.leave_one_cluster_out, ThreeLevelGLMMSensitivity.leaveOneClusterOut(studies: studies, clusters: clusters, nAGQ: 1, test: .z, level: .ninetyFive)),
      ("cumul", d.cumulative, ThreeLevelGLMMSensitivity.cumulative(studies: studies, clusters: clusters, nAGQ: 1, test: .z, level: .ninetyFive)),
    ] {
      #expect(ours.map(\.label) == reference.map(\.label))
      for (r, o) in zip(reference, ours) {
        let id = "\(name)/\(kind)/\(r.label)"
        guard let g = r.fit else {
          #expect(o.fit == nil, "\(id): glmer has no fit (fewer than 3 cohorts or 2 trials)")
          continue
        }
        let fit = try #require(o.fit, "\(id): no fit")
        #expect(fit.k == g.k)
        #expect(fit.logLik >= g.logLik - 1e-9, "\(id): logLik \(fit.logLik) below glmer's \(g.logLik)")
        if let why = Self.glmerElsewhere[id] {
          #expect(fit.logLik > g.logLik + 5e-9, "\(id) listed as glmer elsewhere (\(why)) but not below: \(fit.logLik) vs \(g.logLik)")
          #expect(Self.close(fit.estimate, g.mu, rtol: 1e-4, atol: 1e-4), "\(id): mu \(fit.estimate) vs \(g.mu)")
          #expect(Self.close(fit.sigmaCohort, g.s2, rtol: 1e-4, atol: 1e-4), "\(id): sigma_cohort \(fit.sigmaCohort) vs \(g.s2)")
          continue
        }
        #expect(abs(fit.logLik - g.logLik) <= 1e-6, "\(id): logLik \(fit.logLik) vs \(g.logLik) (mu \(fit.estimate) vs \(g.mu), s \(fit.sigmaTrial), \(fit.sigmaCohort) vs \(g.s1), \(g.s2); \(g.messages))")
        #expect(Self.close(fit.estimate, g.mu, rtol: 1e-4, atol: 1e-4), "\(id): mu \(fit.estimate) vs \(g.mu)")
        if fit.clusters == fit.k {
          // One cohort per trial: only σ²_trial + σ²_cohort is identified (reported as σ_trial = 0).
          #expect(fit.sigmaTrial == 0, "\(id): unidentified split reported as sigma_trial = 0")
          let total = (fit.sigmaTrial * fit.sigmaTrial + fit.sigmaCohort * fit.sigmaCohort).squareRoot()
          #expect(Self.close(total, (g.s1 * g.s1 + g.s2 * g.s2).squareRoot(), rtol: 1e-4, atol: 1e-4), "\(id): total sigma \(total) vs glmer \(g.s1), \(g.s2)")
        } else {
          #expect(Self.close(fit.sigmaTrial, g.s1, rtol: 1e-4, atol: 1e-4), "\(id): sigma_trial \(fit.sigmaTrial) vs \(g.s1)")
          #expect(Self.close(fit.sigmaCohort, g.s2, rtol: 1e-4, atol: 1e-4), "\(id): sigma_cohort \(fit.sigmaCohort) vs \(g.s2)")
        }
      }
    }
  }
}
