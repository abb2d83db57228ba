// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// The conditional model with the exact likelihood (CM.EL) against metafor's
/// `rma.glmm(model = "CM.EL")` (Fixtures/compare/glmm.json, generate_glmm.R) at 1e-4 relative,
/// the reference optimiser's convergence, as the other GLMM tests.
struct CompareGLMMTests {
  nonisolated(unsafe) static let fixture: [[String: Any]] =
    ((try? loadFixtureJSON("compare/glmm.json")) as? [String: Any])?["datasets"] as? [[String: Any]] ?? []
  static let names: [String] = fixture.map { $0["name"] as! String }

  @Test func nielweiseAnchor() throws {
    let d = CompareReferenceTests.datasets.first { $0["name"] as? String == "nielweise2007" }!
    let f = try ConditionalLogisticFit.fit(studies: try CompareReferenceTests.studies(d))
    func r4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
    // Stijnen et al. (2010) / metafor's test: OR 0.2584 [0.1299, 0.5142], tau 0.8327.
    #expect([r4(exp(f.estimate)), r4(exp(f.ciLower)), r4(exp(f.ciUpper))] == [0.2584, 0.1299, 0.5142])
    #expect(r4(f.tau2.squareRoot()) == 0.8327)
  }

  @Test(arguments: names)
  func dataset(_ name: String) throws {
    let e = Self.fixture.first { $0["name"] as? String == name }!
    let d = CompareReferenceTests.datasets.first { $0["name"] as? String == name }!
    let studies = try CompareReferenceTests.studies(d)
    if e["error"] != nil {
      #expect(throws: MetaAnalysisError.self) { _ = try ConditionalLogisticFit.fit(studies: studies) }
      return
    }
    let f = try ConditionalLogisticFit.fit(studies: studies)
    #expect(f.k == Int(number(e["k"])))
    for (key, actual) in [("beta", f.estimate), ("se", f.standardError), ("ci_lb", f.ciLower), ("ci_ub", f.ciUpper), ("zval", f.z)] {
      #expect(isClose(actual, number(e[key]), rtol: 1e-4, atol: 1e-6), "\(name) \(key): \(actual) vs \(number(e[key]))")
    }
    #expect(isClose(f.tau2, number(e["tau2"]), rtol: 1e-4, atol: 1e-5), "\(name) tau2: \(f.tau2) vs \(number(e["tau2"]))")
  }
}
