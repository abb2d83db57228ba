// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Numerical extremes (Docs/robustness.md, "Numerical limits"): n up to 10⁹, proportions within
/// 10⁻⁹ of 0 and 1, k = 10⁵, identical cohorts, k = 1 under random-effects methods. Each gives a
/// correct result or a documented warning; nothing overflows or turns into NaN silently.
@Suite("Robustness: numerical extremes")
struct NumericalExtremesTests {
  static let methods = PoolingMethod.allCases.filter { $0 != .GLMM }

  /// 1, 5·10⁸ and 10⁹ − 1 responders of 10⁹: proportions 10⁻⁹, ½ and 1 − 10⁻⁹.
  static let billion = [
    try! ProportionStudy(label: "low", events: 1, total: 1_000_000_000),
    try! ProportionStudy(label: "half", events: 500_000_000, total: 1_000_000_000),
    try! ProportionStudy(label: "high", events: 999_999_999, total: 1_000_000_000),
  ]

  @Test("n = 10^9 with p = 1e-9, 1/2, 1 - 1e-9: Q and DL tau^2 equal 50-digit values")
  func billionExact() throws {
    // mpmath, 50 digits, from the exact escalc formulas (metafor 3.8.1's escalc loses up to 4e-5
    // here: 1/x − 1/n and 1 − p cancel; orrmeta writes them as m/(x·n) and m/n).
    let expected: [(EffectMeasure, q: Double, tau2: Double)] = [
      (.PLO, 858.90749295569992, 214.22687473851309),
      (.PLN, 480453441.50520136, 0.24022671975260068),
      (.PR, 4.999999985e17, 0.49999999500000004),
    ]
    for (measure, q, tau2) in expected {
      let a = try ProportionMetaAnalysis.analyze(studies: Self.billion, settings: AnalysisSettings(measure: measure, method: .DL))
      #expect(isClose(a.heterogeneity.q, q, rtol: 1e-12), "\(measure): Q \(a.heterogeneity.q)")
      #expect(isClose(a.heterogeneity.tau2, tau2, rtol: 1e-12), "\(measure): tau2 \(a.heterogeneity.tau2)")
      // The ratio of sampling variances is far beyond metafor's 1e7: warned, as metafor does.
      #expect(a.warnings.contains { $0.description.contains("ratio of largest to smallest sampling variance") })
    }
    // Symmetric logits: the pooled logit is exactly 0 (metafor 3.8.1 gives 9.4e-9 from rounding).
    let plo = try ProportionMetaAnalysis.analyze(studies: Self.billion, settings: AnalysisSettings(measure: .PLO, method: .REML))
    #expect(abs(plo.model.estimate) < 1e-12)
  }

  @Test("n = 10^9: every measure and method gives finite, ordered results")
  func billionEverySetting() throws {
    for measure in EffectMeasure.allCases {
      for method in Self.methods {
        for test in TestMethod.allCases {
          let s = AnalysisSettings(measure: measure, method: method, test: test)
          let a = try ProportionMetaAnalysis.analyze(studies: Self.billion, settings: s)
          let what = "\(measure) \(method) \(test)"
          #expect(a.pooled.proportion.isFinite && a.pooled.ciLower.isFinite && a.pooled.ciUpper.isFinite, "\(what)")
          #expect(a.pooled.ciLower <= a.pooled.proportion && a.pooled.proportion <= a.pooled.ciUpper, "\(what)")
          if method != .pooled { #expect(a.heterogeneity.tau2.isFinite && a.heterogeneity.tau2 >= 0, "\(what)") }
          #expect(a.converged, "\(what)")
        }
      }
    }
  }

  @Test("Paule-Mandel with weights 10^18 apart finds the root (not the first tiny Newton step)")
  func pauleMandelDominantWeight() throws {
    let a = try ProportionMetaAnalysis.analyze(studies: Self.billion, settings: AnalysisSettings(measure: .PR, method: .PM))
    // Σ (yᵢ − μ̂)²/(vᵢ + τ²) = 2 with vᵢ ≤ 2.5e-10 and Σ(yᵢ − ȳ)² ≈ ½: τ² ≈ 0.25 (metafor 0.2500049,
    // uniroot tolerance 1.2e-4).
    #expect(isClose(a.heterogeneity.tau2, 0.25, rtol: 1e-6), "tau2 = \(a.heterogeneity.tau2)")
  }

  @Test("Clopper-Pearson and Jeffreys bounds at n up to 10^9 equal R's qbeta / binom.test")
  func exactIntervalsLargeN() throws {
    // R 4.x: binom.test(x, n)$conf.int and qbeta(.025 / .975, x + .5, n − x + .5).
    let cases: [(x: Int, n: Int, lo: Double, hi: Double)] = [
      (27, 10_000, 0.0017800478546471865, 0.0039259449754362203),
      (1, 1_000_000, 2.5317807663794191e-08, 5.5716306551722366e-06),
      (1, 1_000_000_000, 2.5317807983969421e-11, 5.5716433782031108e-09),
      (500_000_000, 1_000_000_000, 0.49996900974842229, 0.50003099025157771),
    ]
    for c in cases {
      let ci = try BinomialIntervalMethod.clopperPearson.interval(events: c.x, total: c.n, level: .ninetyFive)
      #expect(isClose(ci.lower, c.lo, rtol: 1e-9), "\(c.x)/\(c.n): lower \(ci.lower) vs \(c.lo)")
      #expect(isClose(ci.upper, c.hi, rtol: 1e-9), "\(c.x)/\(c.n): upper \(ci.upper) vs \(c.hi)")
    }
    let j = try BinomialIntervalMethod.jeffreys.interval(events: 27, total: 10_000, level: .ninetyFive)
    #expect(isClose(j.lower, 0.0018206616546421262, rtol: 1e-9))
    let j2 = try BinomialIntervalMethod.jeffreys.interval(events: 1, total: 1_000_000, level: .ninetyFive)
    #expect(isClose(j2.upper, 4.6741920467298275e-06, rtol: 1e-9))
  }

  @Test("k = 100,000 cohorts: every inverse-variance method, finite and converged")
  func hundredThousandCohorts() throws {
    var studies: [ProportionStudy] = []
    studies.reserveCapacity(100_000)
    for i in 0..<100_000 {
      let n = 20 + (i * 7919) % 480
      studies.append(try ProportionStudy(label: "c\(i)", events: (i * 104_729) % (n + 1), total: n))
    }
    for method in [PoolingMethod.DL, .REML, .PM, .EE, .pooled] {
      let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: AnalysisSettings(method: method))
      #expect(a.k == 100_000)
      #expect(a.pooled.proportion.isFinite && a.pooled.ciLower <= a.pooled.ciUpper, "\(method)")
      #expect(a.converged, "\(method)")
      if method == .REML || method == .PM { #expect(a.heterogeneity.tau2CIUpper.isFinite, "\(method): Q-profile CI") }
    }
  }

  @Test("All cohorts identical: tau^2 = 0, Q = 0, I^2 = 0, with the boundary warning", arguments: PoolingMethod.allCases.filter { $0 != .GLMM && $0 != .pooled })
  func identicalCohorts(_ method: PoolingMethod) throws {
    let studies = (0..<50).map { try! ProportionStudy(label: "c\($0)", events: 7, total: 20) }
    for measure in EffectMeasure.allCases {
      let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: AnalysisSettings(measure: measure, method: method))
      let what = "\(measure) \(method)"
      #expect(a.heterogeneity.tau2 == 0, "\(what): tau2 \(a.heterogeneity.tau2)")
      #expect(a.heterogeneity.q < 1e-20, "\(what): Q \(a.heterogeneity.q)")
      #expect(a.heterogeneity.i2 == 0, "\(what)")
      #expect(isClose(a.model.estimate, a.studies[0].yi, rtol: 1e-14), "\(what)")
      if method != .EE { #expect(a.warnings.contains(.tau2AtZero(method: method.tauSquaredMethod!)), "\(what)") }
      if method == .PM || method == .REML {
        #expect(a.warnings.contains { $0.description.contains("empty set") }, "\(what): Q-profile null set not warned")
      }
    }
    let knha = try ProportionMetaAnalysis.analyze(studies: studies, settings: AnalysisSettings(method: method, test: .knha))
    #expect(knha.warnings.contains { $0.description.contains("s^2 = 0") }, "knha scale 0 not warned")
    #expect(knha.model.standardError == 0)
  }

  @Test("k = 1 under every random-effects method: the cohort's own estimate, tau^2 = 0, warned", arguments: TauSquaredMethod.allCases.filter(\.isRandomEffects))
  func singleCohort(_ method: TauSquaredMethod) throws {
    let study = [try ProportionStudy(label: "only", events: 13, total: 40)]
    for test in TestMethod.allCases {
      let s = AnalysisSettings(method: PoolingMethod(rawValue: method.rawValue)!, test: test)
      let a = try ProportionMetaAnalysis.analyze(studies: study, settings: s)
      #expect(a.heterogeneity.tau2 == 0)
      #expect(isClose(a.pooled.proportion, 13.0 / 40, rtol: 1e-14))
      #expect(a.warnings.contains(.singleStudy))
      #expect(a.pooled.ciLower.isFinite && a.pooled.ciUpper.isFinite, "\(method) \(test): CI")
      #expect(a.heterogeneity.qPValue.isNaN)
    }
    let ee = try ProportionMetaAnalysis.analyze(studies: study, settings: AnalysisSettings(method: .EE))
    #expect(ee.warnings.contains { $0.description.hasPrefix("k = 1") }, "EE with k = 1 not warned")
  }

  @Test("Counts near Int.max are refused by the statistics, not wrapped")
  func totalsOverflow() throws {
    let huge = [
      try ProportionStudy(label: "a", events: 1, total: Int.max - 1),
      try ProportionStudy(label: "b", events: 1, total: Int.max - 1),
    ]
    #expect(throws: MetaAnalysisError.self) {
      try ProportionMetaAnalysis.analyze(studies: huge, settings: AnalysisSettings())
    }
  }
}
