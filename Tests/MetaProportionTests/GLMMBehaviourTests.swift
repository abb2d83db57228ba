// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Inputs the model cannot fit, warnings, invariances, and a sweep over random datasets.
struct GLMMBehaviourTests {
  static func cohorts(_ pairs: [(Int, Int)]) -> [ProportionStudy] {
    pairs.enumerated().map { i, c in try! ProportionStudy(label: "c\(i + 1)", events: c.0, total: c.1) }
  }

  // MARK: Clear errors

  @Test func rejectsWhatCannotBeFitted() {
    #expect(throws: MetaAnalysisError.noStudies) { try BinomialNormalModel.fit(studies: []) }
    // k = 1: two parameters from one cohort (metafor stops likewise).
    #expect { try BinomialNormalModel.fit(studies: Self.cohorts([(3, 10)])) } throws: { error in
      guard case .fitFailed(let reason) = error as? MetaAnalysisError else { return false }
      return reason.contains("at least 2 cohorts")
    }
    // No responders anywhere / only responders: the MLE of μ is ∓∞.
    #expect { try BinomialNormalModel.fit(studies: Self.cohorts([(0, 10), (0, 20), (0, 5)])) } throws: { error in
      guard case .fitFailed(let reason) = error as? MetaAnalysisError else { return false }
      return reason.contains("no cohort has a responder")
    }
    #expect { try BinomialNormalModel.fit(studies: Self.cohorts([(10, 10), (20, 20)])) } throws: { error in
      guard case .fitFailed(let reason) = error as? MetaAnalysisError else { return false }
      return reason.contains("every patient")
    }
    let ok = Self.cohorts([(3, 10), (5, 12), (9, 20)])
    #expect(throws: MetaAnalysisError.self) { try BinomialNormalModel.fit(studies: ok, test: .knha) }
    #expect(throws: MetaAnalysisError.self) { try BinomialNormalModel.fit(studies: ok, test: .adhoc) }
    #expect(throws: MetaAnalysisError.self) { try BinomialNormalModel.fit(studies: ok, nAGQ: 0) }
    #expect(throws: MetaAnalysisError.self) { try BinomialNormalModel.fit(studies: ok, nAGQ: 101) }
  }

  /// Only 0 % and 100 % cohorts: the likelihood keeps rising as τ → ∞. The error carries the
  /// optimizer's state instead of a made-up estimate.
  @Test func divergingTauThrowsWithState() {
    let studies = Self.cohorts([(0, 10), (10, 10), (0, 8), (12, 12)])
    do {
      let fit = try BinomialNormalModel.fit(studies: studies)
      Issue.record("expected a failure, got \(fit.estimate), tau2 \(fit.tau2)")
    } catch {
      guard case .glmmFailed(let state) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(state.tau > 10)
      #expect(state.mu.isFinite && state.logLik.isFinite)
      #expect(state.gradientTau > 0)  // still climbing in τ
      #expect(state.iterations > 0)
      #expect(error.description.contains("diverge"))
    }
  }

  // MARK: Boundary, warnings, settings

  @Test func homogeneousCohortsGiveTauZero() throws {
    let studies = Self.cohorts([(30, 100), (31, 100), (29, 100), (30, 100)])
    let fit = try BinomialNormalModel.fit(studies: studies)
    #expect(fit.tau2 == 0)
    #expect(fit.i2 == 0 && fit.h2 == 1)
    #expect(fit.warnings.contains(.tau2AtZero(method: .ML)))
    // The common-proportion logistic model: μ̂ = logit(Σx/Σn), SE = 1/√(Σn·p(1−p)).
    let p = 120.0 / 400.0
    #expect(abs(fit.estimate - log(p / (1 - p))) < 1e-14)
    #expect(abs(fit.standardError - 1 / (400 * p * (1 - p)).squareRoot()) < 1e-14)
    // The prediction interval equals the CI when τ̂² = 0.
    #expect(fit.piLower == fit.ciLower && fit.piUpper == fit.ciUpper)
  }

  @Test func zeroAndAllEventCohortsAreUsedAsTheyAre() throws {
    let d = try GLMMFixtures.dataset("sim_k25_mixed_zero_all")
    let fit = try BinomialNormalModel.fit(studies: try d.studies())
    let extreme = try d.studies().filter { $0.events == 0 || $0.events == $0.total }.count
    #expect(extreme == 4)
    #expect(fit.warnings.contains { if case .note(let t) = $0 { t.contains("\(extreme) cohort(s) with 0 or all responders") } else { false } })
    // Adding ½ to the zero cells would change the fit: it is not done.
    let corrected = try BinomialNormalModel.fit(studies: d.studies().map { s in
      s.events == 0 || s.events == s.total ? try ProportionStudy(label: s.label, events: s.events == 0 ? 1 : s.events - 1, total: s.total) : s
    })
    #expect(abs(corrected.estimate - fit.estimate) > 1e-3)
  }

  @Test func levelAndTestChangeOnlyTheIntervals() throws {
    let studies = try GLMMFixtures.dataset("alk_naive").studies()
    let z95 = try BinomialNormalModel.fit(studies: studies)
    let z90 = try BinomialNormalModel.fit(studies: studies, level: try ConfidenceLevel(90))
    let t95 = try BinomialNormalModel.fit(studies: studies, test: .t)
    #expect(z90.estimate == z95.estimate && t95.standardError == z95.standardError)
    #expect(z90.ciUpper - z90.ciLower < z95.ciUpper - z95.ciLower)
    #expect(t95.ciUpper - t95.ciLower > z95.ciUpper - z95.ciLower)
    #expect(t95.degreesOfFreedom == Double(studies.count - 1))
    #expect(abs(z90.critical - 1.6448536269514722) < 1e-12)
  }

  @Test func orderOfCohortsDoesNotMatter() throws {
    let studies = try GLMMFixtures.dataset("alk_all").studies()
    let a = try BinomialNormalModel.fit(studies: studies)
    let b = try BinomialNormalModel.fit(studies: studies.reversed())
    #expect(abs(a.estimate - b.estimate) <= 1e-12)
    #expect(abs(a.tau2 - b.tau2) <= 1e-11 * a.tau2)
    #expect(abs(a.standardError - b.standardError) <= 1e-11 * a.standardError)
    #expect(abs(a.qWald - b.qWald) <= 1e-10 * a.qWald)
  }

  @Test func twoCohorts() throws {
    let fit = try BinomialNormalModel.fit(studies: Self.cohorts([(5, 40), (30, 60)]))
    #expect(fit.tau2 > 0 && fit.converged)
    #expect(fit.qWaldDF == 1)
  }

  // MARK: Random datasets

  /// SplitMix64, for reproducible random cohorts.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// 300 random datasets (ORRMETA_GLMM_RANDOM and ORRMETA_GLMM_SEED change that; k 2–80, n 1–2000, logits −7…5, τ 0–3): each fit either converges to
  /// a point that is a maximum (zero gradient, negative-definite Hessian, no higher value
  /// nearby) or throws a ``MetaAnalysisError``; nothing crashes.
  @Test func randomDatasets() throws {
    var g = Generator(state: UInt64(ProcessInfo.processInfo.environment["ORRMETA_GLMM_SEED"] ?? "") ?? 20_260_707)
    let count = Int(ProcessInfo.processInfo.environment["ORRMETA_GLMM_RANDOM"] ?? "") ?? 300
    var fitted = 0
    for _ in 0..<count {
      let k = Int.random(in: 2...80, using: &g)
      let mu = Double.random(in: -7...5, using: &g)
      let tau = Double.random(in: 0...3, using: &g) * (Bool.random(using: &g) ? 1 : 0)
      let nMax = [5, 30, 300, 2000].randomElement(using: &g)!
      var pairs: [(Int, Int)] = []
      for _ in 0..<k {
        let n = Int.random(in: 1...nMax, using: &g)
        // Normal by Box–Muller.
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &g), u2 = Double.random(in: 0..<1, using: &g)
        let eta = mu + tau * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        let p = 1 / (1 + exp(-eta))
        var x = 0
        for _ in 0..<n where Double.random(in: 0..<1, using: &g) < p { x += 1 }
        pairs.append((x, n))
      }
      let studies = Self.cohorts(pairs)
      let nAGQ = [1, 7, 7, 11].randomElement(using: &g)!
      do {
        let f = try BinomialNormalModel.fit(studies: studies, nAGQ: nAGQ)
        fitted += 1
        #expect(f.converged && f.estimate.isFinite && f.standardError > 0 && f.tau2 >= 0)
        #expect(f.proportionCILower <= f.proportion && f.proportion <= f.proportionCIUpper)
        #expect(f.qWald >= 0 && f.qLRT >= 0 && f.i2 >= 0 && f.i2 < 100)
        let scale = 1e-7 * (1 + abs(f.hessian.muMu) + abs(f.hessian.tauTau))
        #expect(f.gradientNorm <= scale, "\(pairs) nAGQ \(nAGQ): gradient \(f.gradientNorm)")
        for (dm, dt) in [(1e-4, 0.0), (-1e-4, 0.0), (0.0, 1e-4), (0.0, -1e-4)] {
          let tau = (f.tau + dt)
          guard tau >= 0 else { continue }
          let nearby = try BinomialNormalModel.logLikelihood(studies: studies, mu: f.estimate + dm, tau: tau, nAGQ: nAGQ)
          #expect(nearby.value <= f.logLik + 1e-12 * abs(f.logLik), "\(pairs): higher ℓ at (\(dm), \(dt))")
        }
      } catch {
        // Allowed: a clear error (e.g. only 0 % / 100 % cohorts, or no responders at all).
        #expect(!error.description.isEmpty)
      }
    }
    #expect(fitted > count * 5 / 6)
  }
}
