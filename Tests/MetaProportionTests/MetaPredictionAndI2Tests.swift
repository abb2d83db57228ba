// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// The `meta` profile's prediction interval (meta 8 `method.predict = "V"`: t(k−1)) and I² with
/// meta's test-based CI (`method.I2 = "Q"`, `isquared`) against R meta 8.2-1, on the datasets of
/// Fixtures/profiles/meta-common-h.json (generate_meta_common_h.R: `metaprop(sm = …,
/// method = "Inverse", method.tau = "REML")` with meta's default control, i.e. metafor's
/// stopping rules): `lower.I2`, `upper.I2`, `I2` at 1e-10 (closed forms); `TE.random`,
/// `seTE.random`, `tau2`, `lower.predict`, `upper.predict` at 1e-6 relative, orrmeta run with
/// `--profile meta --method REML` (convergence metafor).
struct MetaPredictionAndI2Tests {
  struct Fixture: Decodable {
    struct Random: Decodable {
      var estimate: Double
      var se: Double
      var tau2: Double
      var pi_lower: Double?
      var pi_upper: Double?
    }
    struct Dataset: Decodable {
      var id: Int
      var measure: String
      var events: [Int]
      var n: [Int]
      var i2: Double?
      var i2_lower: Double?
      var i2_upper: Double?
      var random: Random
    }
    var meta_version: String
    var datasets: [Dataset]
  }

  @Test func predictionIntervalAndI2CIMatchMeta() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixturePath("profiles/meta-common-h.json")))
    let fixture = try JSONDecoder().decode(Fixture.self, from: data)
    #expect(fixture.meta_version == "8.2.1")
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
    var skipped = 0
    for d in fixture.datasets {
      // meta's PRAW/PLN continuity correction differs from metafor's (see MetaCommonAndHTests).
      if d.measure == "PR" || d.measure == "PLN", zip(d.events, d.n).contains(where: { $0 == 0 || $0 == $1 }) {
        skipped += 1
        continue
      }
      let studies = try d.events.indices.map { try ProportionStudy(label: "c\($0)", events: d.events[$0], total: d.n[$0]) }
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

  /// k = 3 by hand: μ = 0.1, SE = 0.2, τ² = 0.05 → PI 0.1 ∓ t₂(0.975)·√(0.04 + 0.05),
  /// t₂(0.975) = 4.302652729749464; under orrmeta's profile z (1.959963984540054) stays.
  @Test func tPredictionByHand() throws {
    let m = ModelSummary(estimate: 0.1, standardError: 0.2, statistic: 0.5, pValue: 0.6, ciLower: -0.3, ciUpper: 0.5, piLower: 0, piUpper: 0, degreesOfFreedom: nil)
    let p = try MetaConventions.tPrediction(m, tau2: 0.05, k: 3, level: .ninetyFive)
    #expect(abs(p.piLower - (0.1 - 4.302652729749464 * 0.09.squareRoot())) < 1e-12)
    #expect(abs(p.piUpper - (0.1 + 4.302652729749464 * 0.09.squareRoot())) < 1e-12)
    var s = AnalysisSettings(method: .DL)
    #expect(!MetaConventions.usesTPrediction(s, k: 3))
    s.profile = .meta
    #expect(MetaConventions.usesTPrediction(s, k: 3))
    s.test = .knha
    #expect(!MetaConventions.usesTPrediction(s, k: 3))
  }
}
