// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Fixtures/glmm/expected3.json, written by Fixtures/glmm/generate_glmm3.R.
struct ThreeLevelGLMMFixtures: Decodable {
  struct Glmer: Decodable {
    let mu: Double
    let s1: Double
    let s2: Double
    let se: Double
    let logLik: Double
    let tolPwrss: Double
  }

  struct Point: Decodable {
    let mu: Double
    let s1: Double
    let s2: Double
    let logLik: Double
  }

  struct Dataset: Decodable {
    let name: String
    let trial: [String]
    let x: [Int]
    let n: [Int]
    let glmer: Glmer
    let exact_at: [Point]
    let exact: Point

    var studies: [ProportionStudy] {
      get throws {
        try x.indices.map { try ProportionStudy(label: "\(trial[$0])/\($0 + 1)", events: x[$0], total: n[$0]) }
      }
    }
    var clusters: ClusterStructure { ClusterStructure(clusters: trial) }
  }

  let lme4: String
  let datasets: [Dataset]

  static let shared: ThreeLevelGLMMFixtures = {
    let data = try! Data(contentsOf: URL(fileURLWithPath: fixturePath("glmm/expected3.json")))
    return try! JSONDecoder().decode(ThreeLevelGLMMFixtures.self, from: data)
  }()

  static var datasetNames: [String] { shared.datasets.map(\.name) }
  static func dataset(_ name: String) -> Dataset { shared.datasets.first { $0.name == name }! }
}

/// The three-level binomial-normal GLMM against R (Fixtures/glmm/expected3.json):
///
/// 1. **exact**: the marginal likelihood by brute-force nested adaptive Gauss–Hermite
///    quadrature (60 points at both levels) at given parameters (to 10⁻⁸) and its maximum by
///    `optim` (orrmeta's default quadrature to 10⁻⁶);
/// 2. **glmer**: lme4's Laplace fit (bobyqa, rhoend 10⁻¹², tolPwrss 10⁻¹³) against
///    `nAGQ = 1` to 10⁻⁴.
@Suite("Three-level GLMM")
struct ThreeLevelGLMMTests {
  typealias Dataset = ThreeLevelGLMMFixtures.Dataset

  /// |a − b| ≤ atol + rtol·|b|.
  static func close(_ a: Double, _ b: Double, rtol: Double, atol: Double) -> Bool {
    abs(a - b) <= atol + rtol * abs(b)
  }

  /// random05 (few small cohorts): the log-likelihood is flat along a ridge trading σ_trial
  /// against σ_cohort. orrmeta stops on the ridge with ‖∇ℓ‖ < 10⁻⁸ and ℓ equal to the exact
  /// maximum within 10⁻⁸, but at another split of the variance: the Newton iteration accepts a
  /// point where the line search finds no further ascent. Recorded, not yet resolved.
  static func ridge(_ name: String, _ body: () throws -> Void) throws {
    if name == "random05" {
      withKnownIssue("random05: flat ridge in (sigma_trial, sigma_cohort); logLik agrees, the split does not") { try body() }
    } else {
      try body()
    }
  }

  @Test("log-likelihood at given parameters agrees with brute-force nested quadrature to 1e-8", arguments: ThreeLevelGLMMFixtures.datasetNames)
  func logLikelihoodAtPoints(_ name: String) throws {
    let d = ThreeLevelGLMMFixtures.dataset(name)
    for p in d.exact_at {
      let ll = try ThreeLevelBinomialNormalModel.logLikelihood(
        studies: try d.studies, clusters: d.clusters, mu: p.mu, sigmaTrial: p.s1, sigmaCohort: p.s2, nAGQ: 41)
      #expect(abs(ll.value - p.logLik) <= 1e-8, "\(name) at (\(p.mu), \(p.s1), \(p.s2)): \(ll.value) vs \(p.logLik)")
    }
  }

  @Test("default fit agrees with the brute-force optimum to 1e-6", arguments: ThreeLevelGLMMFixtures.datasetNames)
  func defaultFitMatchesExactOptimum(_ name: String) throws {
    let d = ThreeLevelGLMMFixtures.dataset(name)
    let fit = try ThreeLevelBinomialNormalModel.fit(studies: try d.studies, clusters: d.clusters, clusterName: "trial", profileIntervals: false)
    #expect(abs(fit.logLik - d.exact.logLik) <= 1e-8, "\(name) logLik \(fit.logLik) vs \(d.exact.logLik)")
    #expect(Self.close(fit.estimate, d.exact.mu, rtol: 1e-6, atol: 1e-6), "\(name) mu \(fit.estimate) vs \(d.exact.mu)")
    try Self.ridge(name) {
      #expect(Self.close(fit.sigmaTrial, d.exact.s1, rtol: 1e-6, atol: 1e-6), "\(name) s1 \(fit.sigmaTrial) vs \(d.exact.s1)")
      #expect(Self.close(fit.sigmaCohort, d.exact.s2, rtol: 1e-6, atol: 1e-6), "\(name) s2 \(fit.sigmaCohort) vs \(d.exact.s2)")
    }
    if let q = fit.quadratureCheck { #expect(q < 1e-9) }
  }

  @Test("nAGQ = 1 agrees with glmer (Laplace) to 1e-4", arguments: ThreeLevelGLMMFixtures.datasetNames)
  func laplaceMatchesGlmer(_ name: String) throws {
    let d = ThreeLevelGLMMFixtures.dataset(name)
    let fit = try ThreeLevelBinomialNormalModel.fit(studies: try d.studies, clusters: d.clusters, nAGQ: 1, profileIntervals: false)
    let g = d.glmer
    // orrmeta's maximum is at least as high as glmer's (same Laplace function).
    let ll = try ThreeLevelBinomialNormalModel.logLikelihood(
      studies: try d.studies, clusters: d.clusters, mu: g.mu, sigmaTrial: g.s1, sigmaCohort: g.s2, nAGQ: 1)
    // With tolPwrss = 1e-7 (the fallback where 1e-13 stops PIRLS, recorded in the fixture)
    // lme4's logLik uses modes from an unfinished PIRLS: only the optimum is compared.
    if g.tolPwrss <= 1e-13 {
      #expect(abs(ll.value - g.logLik) <= 1e-6, "\(name): Laplace logLik at glmer's optimum \(ll.value) vs glmer \(g.logLik)")
    }
    #expect(fit.logLik >= g.logLik - 1e-9, "\(name): \(fit.logLik) below glmer's \(g.logLik)")
    #expect(Self.close(fit.estimate, g.mu, rtol: 1e-4, atol: 1e-4), "\(name) mu \(fit.estimate) vs \(g.mu)")
    try Self.ridge(name) {
      #expect(Self.close(fit.sigmaTrial, g.s1, rtol: 1e-4, atol: 1e-4), "\(name) s1 \(fit.sigmaTrial) vs \(g.s1)")
      #expect(Self.close(fit.sigmaCohort, g.s2, rtol: 1e-4, atol: 1e-4), "\(name) s2 \(fit.sigmaCohort) vs \(g.s2)")
    }
    // lme4's SE comes from a finite-difference Hessian of its deviance in (theta, beta); on
    // random21 it is 3.5 % below orrmeta's analytic-curvature SE (not yet diagnosed further).
    if name == "random21" {
      withKnownIssue("lme4's finite-difference SE differs by 3.5 %") {
        #expect(Self.close(fit.standardError, g.se, rtol: 1e-3, atol: 0), "\(name) se \(fit.standardError) vs \(g.se)")
      }
    } else {
      #expect(Self.close(fit.standardError, g.se, rtol: 1e-3, atol: 0), "\(name) se \(fit.standardError) vs \(g.se)")
    }
  }

  @Test("fixed-node derivatives agree with central differences")
  func derivatives() throws {
    let d = ThreeLevelGLMMFixtures.dataset("alk")
    let s = try d.studies
    let theta = [0.3, 0.5, 0.6]
    let ll = try ThreeLevelBinomialNormalModel.logLikelihood(studies: s, clusters: d.clusters, mu: theta[0], sigmaTrial: theta[1], sigmaCohort: theta[2], nAGQ: 25)
    let h = 1e-5
    for i in 0..<3 {
      var plus = theta, minus = theta
      plus[i] += h
      minus[i] -= h
      let fp = try ThreeLevelBinomialNormalModel.logLikelihood(studies: s, clusters: d.clusters, mu: plus[0], sigmaTrial: plus[1], sigmaCohort: plus[2], nAGQ: 25)
      let fm = try ThreeLevelBinomialNormalModel.logLikelihood(studies: s, clusters: d.clusters, mu: minus[0], sigmaTrial: minus[1], sigmaCohort: minus[2], nAGQ: 25)
      #expect(Self.close(ll.gradient[i], (fp.value - fm.value) / (2 * h), rtol: 1e-6, atol: 1e-5), "gradient \(i)")
      for j in 0..<3 {
        #expect(Self.close(ll.hessian[3 * i + j], (fp.gradient[j] - fm.gradient[j]) / (2 * h), rtol: 1e-5, atol: 1e-4), "hessian \(i)\(j)")
      }
    }
  }

  @Test("ALK by trial (Laplace): summary, profile intervals and boundary statistics")
  func alkSummary() throws {
    let d = ThreeLevelGLMMFixtures.dataset("alk")
    let fit = try ThreeLevelBinomialNormalModel.fit(studies: try d.studies, clusters: d.clusters, clusterName: "trial", nAGQ: 1)
    #expect(fit.ciLower < fit.estimate && fit.estimate < fit.ciUpper)
    #expect(fit.piLower < fit.ciLower && fit.ciUpper < fit.piUpper)
    for l in fit.levels {
      let lo = try #require(l.ciLower), hi = try #require(l.ciUpper)
      #expect(lo <= l.sigma2 && l.sigma2 <= hi)
    }
    #expect(fit.lrtTrial >= 0 && fit.lrtCohort >= 0)
    #expect(abs(fit.i2Total - 100 * (fit.levels[0].sigma2 + fit.levels[1].sigma2) / (fit.levels[0].sigma2 + fit.levels[1].sigma2 + Double.pi * Double.pi / 3)) < 1e-12)
    #expect(fit.candidates.count == 5)
  }
}
