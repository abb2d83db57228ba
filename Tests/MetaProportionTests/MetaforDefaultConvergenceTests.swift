// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// `--convergence metafor` (``Convergence/metafor``, ``FitControl/metafor``) against metafor
/// 3.8-1 run with its DEFAULT control: Fixtures/convergence/metafor-defaults.json (written by
/// Fixtures/convergence/generate_metafor_defaults.R), 400 random datasets, each fitted under
/// one measure (80 per measure) with every τ² method × test z/knha — 7,200 fits.
///
/// metafor stops Fisher scoring at |Δτ²| < 1e-5 and `uniroot` at tol 2⁻¹³, so its printed
/// values differ from the exact optimum in the 3rd–5th digit; orrmeta must reproduce them to
/// 1e-8 relative (1e-12 absolute for values that are 0): estimate, SE, CI, PI, τ², its SE,
/// I², H² and the Q-profile CI of τ², I² and H².
struct MetaforDefaultConvergenceTests {
  struct Fixture: Decodable {
    struct Dataset: Decodable {
      var id: Int
      var measure: String
      var events: [Int]
      var n: [Int]
      var cases: [Case]
    }
    struct Case: Decodable {
      var method: String
      var test: String
      var values: [Double?]
      var error: String?
      var warnings: [String]
    }
    var metafor_version: String
    var fields: [String]
    var n_datasets: Int
    var datasets: [Dataset]
  }

  /// The decoded fixture, or why it could not be read (each test that uses it fails with that).
  static let loadedFixture = Result { try decodeFixture(Fixture.self, "convergence/metafor-defaults.json") }
  static var fixture: Fixture { get throws { try loadedFixture.get() } }

  static let rtol = 1e-8
  static let atol = 1e-12

  /// The value of every field for one fit, in the fixture's field order.
  static func values(_ a: ProportionAnalysis) -> [Double] {
    let m = a.model, h = a.heterogeneity
    return [
      m.estimate, m.standardError, m.ciLower, m.ciUpper, m.piLower, m.piUpper, h.tau2, h.tau2StandardError,
      h.i2, h.h2, h.tau2CILower, h.tau2CIUpper, h.i2CILower, h.i2CIUpper, h.h2CILower, h.h2CIUpper,
    ]
  }

  @Test func fixtureCoversEveryMeasureMethodAndTest() throws {
    let f = try Self.fixture
    #expect(f.metafor_version == "3.8.1")
    #expect(f.n_datasets >= 300 && f.datasets.count == f.n_datasets)
    var combos = Set<String>()
    for d in f.datasets { for c in d.cases { combos.insert("\(d.measure) \(c.method) \(c.test)") } }
    #expect(combos.count == 5 * 9 * 2)
  }

  @Test func metaforDefaultsAreReproducedToOneInOneHundredMillion() throws {
    var comparisons = 0
    var maxRelative = 0.0
    var failures: [String] = []
    let fixture = try Self.fixture
    for d in fixture.datasets {
      let studies = try d.events.indices.map { try ProportionStudy(label: "c\($0 + 1)", events: d.events[$0], total: d.n[$0]) }
      for c in d.cases {
        let id = "dataset \(d.id) \(d.measure) \(c.method) \(c.test)"
        let settings = AnalysisSettings(
          measure: EffectMeasure(rawValue: d.measure)!, method: PoolingMethod(rawValue: c.method)!,
          test: TestMethod(rawValue: c.test)!, control: Convergence.metafor.control)
        let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: settings)
        if let error = c.error {
          // metafor stops ("Fisher scoring algorithm did not converge"); orrmeta reports the fit
          // with a warning that it did not converge.
          #expect(error.contains("did not converge"), "\(id): \(error)")
          #expect(!a.converged && a.warnings.contains { if case .notConverged = $0 { return true } else { return false } }, "\(id)")
          continue
        }
        if c.warnings.contains(where: { $0.hasPrefix("Fisher scoring algorithm may have gotten stuck") }) {
          #expect(a.warnings.contains(.logLikelihoodReset(method: settings.method.tauSquaredMethod!)), "\(id): ll(0) check")
        }
        let got = Self.values(a)
        for (i, want) in c.values.enumerated() {
          guard let want else { continue }  // R's NA (e.g. no Q-profile CI under EE)
          comparisons += 1
          let g = got[i]
          if want != 0 { maxRelative = max(maxRelative, abs(g - want) / abs(want)) }
          if let f = closenessFailure("\(id) \(fixture.fields[i])", g, want, rtol: Self.rtol, atol: Self.atol) {
            failures.append(f)
          }
        }
      }
    }
    print("metafor default control: \(comparisons) comparisons, max relative deviation \(maxRelative)")
    #expect(comparisons > 50_000)
    #expect(failures.isEmpty, "\(failures.count) of \(comparisons) differ:\n\(failures.prefix(30).joined(separator: "\n"))")
  }
}

/// metafor's PM stops with "Value of 'tau2.max' too low" when Q(tau2.max) > k − 1; under
/// `--convergence metafor` orrmeta finds the root beyond and says so.
@Test func paulemandelBeyondMetaforsRangeIsFoundWithAWarning() throws {
  // mad(y) = 0, so tau2.max = 100; Q(100) ≈ 2·100²/100 > k − 1 = 4.
  let yi = [0.0, 0, 0, 100, -100], vi = [0.01, 0.01, 0.01, 0.01, 0.01]
  let metafor = try RandomEffectsModel.fit(yi: yi, vi: vi, method: .PM, control: .metafor)
  let exact = try RandomEffectsModel.fit(yi: yi, vi: vi, method: .PM)
  #expect(metafor.tau2.tau2 > 100)
  #expect(abs(metafor.tau2.tau2 - exact.tau2.tau2) < 1e-9 * exact.tau2.tau2)
  #expect(metafor.warnings.contains { $0.description.contains("tau2.max") })
  #expect(!exact.warnings.contains { $0.description.contains("tau2.max") })
}
