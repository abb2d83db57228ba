// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// The `common` block and H with its test-based CI, reported under every profile, against R
/// meta 8.2-1: Fixtures/profiles/meta-common-h.json (Fixtures/profiles/generate_meta_common_h.R,
/// 60 random datasets, `metaprop(sm = PLOGIT|PLN|PRAW|PAS|PFT, method = "Inverse",
/// method.tau = "REML")`): Q, H and its CI (meta's `calcH`), and the common-effect estimate,
/// SE and CI on the model scale, at 1e-10 relative (closed forms). PRAW/PLN datasets with a
/// zero cell are left out: meta corrects those cells differently from metafor. Also the meta
/// profile's t(k−1) prediction interval and I² with its test-based CI (below).
struct MetaCommonAndHTests {
  struct Fixture: Decodable {
    struct Common: Decodable {
      var estimate: Double
      var se: Double
      var ci_lower: Double
      var ci_upper: Double
    }
    struct Dataset: Decodable {
      var id: Int
      var measure: String
      var events: [Int]
      var n: [Int]
      var q: Double
      var df_q: Int
      var h: Double?
      var h_lower: Double?
      var h_upper: Double?
      var common: Common
      var i2: Double?
      var i2_lower: Double?
      var i2_upper: Double?
      var random: Random
    }
    struct Random: Decodable {
      var estimate: Double
      var se: Double
      var tau2: Double
      var pi_lower: Double?
      var pi_upper: Double?
    }
    var meta_version: String
    var datasets: [Dataset]
  }

  /// The decoded fixture, or why it could not be read (each test that uses it fails with that).
  static let loadedFixture = Result { try decodeFixture(Fixture.self, "profiles/meta-common-h.json") }
  static var fixture: Fixture { get throws { try loadedFixture.get() } }

  /// The datasets compared and their cohorts: PRAW/PLN datasets with a zero cell are left out
  /// (meta's continuity correction of those cells differs from metafor's, the meta profile's
  /// `incr`, issue 16 step 4; the formulas compared here are not affected).
  static func comparable() throws -> (datasets: [(Fixture.Dataset, [ProportionStudy])], skipped: Int) {
    var out: [(Fixture.Dataset, [ProportionStudy])] = []
    var skipped = 0
    for d in try fixture.datasets {
      if d.measure == "PR" || d.measure == "PLN", zip(d.events, d.n).contains(where: { $0 == 0 || $0 == $1 }) {
        skipped += 1
        continue
      }
      out.append((d, try d.events.indices.map { try ProportionStudy(label: "c\($0)", events: d.events[$0], total: d.n[$0]) }))
    }
    return (out, skipped)
  }

  @Test func hAndCommonEffectMatchMeta() throws {
    #expect(try Self.fixture.meta_version == "8.2.1")
    var comparisons = 0
    var maxRelative = 0.0
    func expectClose(_ what: String, _ got: Double, _ want: Double?) {
      guard let want else { #expect(!got.isFinite, "\(what): meta gives NA, orrmeta \(got)"); return }
      comparisons += 1
      if want != 0 { maxRelative = max(maxRelative, abs(got - want) / abs(want)) }
      if let f = closenessFailure(what, got, want, rtol: 1e-10, atol: 1e-14) { Issue.record(Comment(rawValue: f)) }
    }
    let (datasets, skipped) = try Self.comparable()
    for (d, studies) in datasets {
      let settings = AnalysisSettings(measure: EffectMeasure(rawValue: d.measure)!, method: .REML)
      let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: settings)
      let id = "dataset \(d.id) \(d.measure)"
      expectClose("\(id) Q", a.heterogeneity.q, d.q)
      let h = TestBasedH(q: a.heterogeneity.q, degreesOfFreedom: a.heterogeneity.qDegreesOfFreedom, level: settings.level)
      expectClose("\(id) H", h.h, d.h)
      expectClose("\(id) H lower", h.lower, d.h_lower)
      expectClose("\(id) H upper", h.upper, d.h_upper)
      let c = try #require(try CommonEffect.fit(studies: studies, settings: settings))
      expectClose("\(id) common estimate", c.summary.estimate, d.common.estimate)
      expectClose("\(id) common se", c.summary.standardError, d.common.se)
      expectClose("\(id) common ci_lower", c.summary.ciLower, d.common.ci_lower)
      expectClose("\(id) common ci_upper", c.summary.ciUpper, d.common.ci_upper)
    }
    print("meta common/H: \(comparisons) comparisons, max relative deviation \(maxRelative)")
    #expect(comparisons >= 400 && skipped <= 6)
  }

  /// Higgins & Thompson (2002) by hand: Q = 20, k = 6 → H = 2, SE(ln H) =
  /// ½(ln 20 − ln 5)/(√40 − √9); k = 4, Q = 2 ≤ k → SE = √(1/4 · (1 − 1/12)), H = 1.
  @Test func testBasedHByHand() throws {
    let h = TestBasedH(q: 20, degreesOfFreedom: 5, level: .ninetyFive)
    let se = 0.5 * (log(20.0) - log(5.0)) / (40.0.squareRoot() - 3)
    let z = 1.959963984540054
    #expect(abs(h.h - 2) < 1e-15)
    #expect(abs(h.lower - 2 * exp(-z * se)) < 1e-12)
    #expect(abs(h.upper - 2 * exp(z * se)) < 1e-12)
    let low = TestBasedH(q: 2, degreesOfFreedom: 3, level: .ninetyFive)
    #expect(low.h == 1 && low.lower == 1)
    #expect(abs(low.upper - exp(z * (0.25 * (1 - 1.0 / 12)).squareRoot())) < 1e-12)
    #expect(TestBasedH(q: 1, degreesOfFreedom: 1, level: .ninetyFive).upper.isNaN)
  }

  /// The `meta` profile's prediction interval (meta 8 `method.predict = "V"`: t(k−1)) and I²
  /// with meta's test-based CI (`method.I2 = "Q"`, `isquared`) on the same datasets (meta's
  /// default control, i.e. metafor's stopping rules): `I2`, `lower.I2`, `upper.I2` at 1e-10
  /// (closed forms); `TE.random`, `seTE.random`, `tau2`, `lower.predict`, `upper.predict` at
  /// 1e-6 relative, orrmeta run with `--profile meta --method REML` (convergence metafor).
  @Test func predictionIntervalAndI2CIMatchMeta() throws {
    var comparisons = 0
    var maxRelative = (closed: 0.0, iterative: 0.0)
    func expectClose(_ what: String, _ got: Double, _ want: Double?, rtol: Double) {
      guard let want else { #expect(!got.isFinite, "\(what): meta gives NA, orrmeta \(got)"); return }
      comparisons += 1
      if want != 0 {
        let r = abs(got - want) / abs(want)
        if rtol < 1e-8 { maxRelative.closed = max(maxRelative.closed, r) } else { maxRelative.iterative = max(maxRelative.iterative, r) }
      }
      if let f = closenessFailure(what, got, want, rtol: rtol, atol: 1e-12) { Issue.record(Comment(rawValue: f)) }
    }
    let (datasets, skipped) = try Self.comparable()
    for (d, studies) in datasets {
      var settings = AnalysisSettings(measure: EffectMeasure(rawValue: d.measure)!, method: .REML, control: AnalysisProfile.meta.convergence.control)
      settings.profile = .meta
      let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: settings)
      let id = "dataset \(d.id) \(d.measure)"
      let i2 = MetaConventions.testBasedI2(q: a.heterogeneity.q, degreesOfFreedom: a.heterogeneity.qDegreesOfFreedom, level: settings.level)
      expectClose("\(id) I2", i2.i2, d.i2, rtol: 1e-10)
      expectClose("\(id) I2 lower", i2.lower, d.i2_lower, rtol: 1e-10)
      expectClose("\(id) I2 upper", i2.upper, d.i2_upper, rtol: 1e-10)
      expectClose("\(id) estimate", a.model.estimate, d.random.estimate, rtol: 1e-6)
      expectClose("\(id) se", a.model.standardError, d.random.se, rtol: 1e-6)
      if d.random.tau2 > 1e-8 { expectClose("\(id) tau2", a.heterogeneity.tau2, d.random.tau2, rtol: 1e-6) }
      expectClose("\(id) PI lower", a.model.piLower, d.random.pi_lower, rtol: 1e-6)
      expectClose("\(id) PI upper", a.model.piUpper, d.random.pi_upper, rtol: 1e-6)
    }
    print("meta PI/I2: \(comparisons) comparisons, max relative deviation \(maxRelative.closed) (I2), \(maxRelative.iterative) (PI, model)")
    #expect(comparisons >= 400 && skipped <= 6)
  }

  /// k = 3 by hand: μ = 0.1, classic SE = 0.2, τ² = 0.05 → PI 0.1 ∓ t₂(0.975)·√(0.04 + 0.05),
  /// t₂(0.975) = 4.302652729749464, whatever the SE of the CI (0.3 here, as a Hartung–Knapp SE);
  /// under orrmeta's profile z (1.959963984540054) stays; under meta the rule holds for knha too.
  @Test func tPredictionByHand() throws {
    let m = ModelSummary(estimate: 0.1, standardError: 0.3, statistic: 0.5, pValue: 0.6, ciLower: -0.3, ciUpper: 0.5, piLower: 0, piUpper: 0, degreesOfFreedom: nil)
    let p = try MetaConventions.tPrediction(m, classicStandardError: 0.2, tau2: 0.05, k: 3, level: .ninetyFive)
    #expect(abs(p.piLower - (0.1 - 4.302652729749464 * 0.09.squareRoot())) < 1e-12)
    #expect(abs(p.piUpper - (0.1 + 4.302652729749464 * 0.09.squareRoot())) < 1e-12)
    var s = AnalysisSettings(method: .DL)
    #expect(!MetaConventions.usesTPrediction(s, k: 3))
    s.profile = .meta
    #expect(MetaConventions.usesTPrediction(s, k: 3))
    s.test = .knha
    #expect(MetaConventions.usesTPrediction(s, k: 3))
    #expect(!MetaConventions.usesTPrediction(s, k: 1))
  }
}
