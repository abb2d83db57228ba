// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// The unconditional model with fixed study effects (UM.FS) against metafor's
/// `rma.glmm(model = "UM.FS")` with a tight glmer optimiser (Fixtures/compare/glmm.json,
/// `um_fs`, generate_glmm.R): every field at 1e-4 relative, the GLMM tolerance.
struct CompareUMFSTests {
  nonisolated(unsafe) static let fixture: [[String: Any]] =
    ((try? loadFixtureJSON("compare/glmm.json")) as? [String: Any])?["um_fs"] as? [[String: Any]] ?? []
  static let cases: [String] = fixture.filter { $0["error"] == nil }.map { "\(fixtureName($0))/\($0["test"] as? String ?? "(no test)")" }

  /// dat.nielweise2007 (metafor 3.8-1, lme4, bobyqa rhoend = 1e-10): the published call
  /// `rma.glmm(measure = "OR", ai, n1i, ci, n2i, data = dat.nielweise2007, model = "UM.FS")`.
  @Test func nielweiseAnchor() throws {
    let d = CompareReferenceTests.datasets.first { $0["name"] as? String == "nielweise2007" }!
    let a = try ComparisonAnalysis(
      studies: try CompareReferenceTests.studies(d), settings: ComparisonSettings(measure: .OR, method: .GLMM, model: .UMFS))
    let p = a.pooled
    let expected: [(Double, Double)] = [
      (p.estimate, -1.2364933876), (p.standardError, 0.2803374645), (p.tau2, 0.3195127846), (p.q, 28.7359061000),
      (p.i2, 24.3541205577), (p.h2, 1.3219490703),
    ]
    for (actual, value) in expected { #expect(isClose(actual, value, rtol: 1e-5), "\(actual) vs \(value)") }
    #expect(p.k == 17 && p.qDegreesOfFreedom == 16)
    guard case .unconditionalFixedStudy(let f) = a.fit else { Issue.record("not a UM.FS fit"); return }
    #expect(f.intercepts.count == 17)
  }

  @Test func fixtureIsComplete() {
    #expect(Self.fixture.count >= 50)
    #expect(Self.cases.count >= 50)
  }

  @Test(arguments: cases)
  func agreesWithMetafor(_ id: String) throws {
    let parts = id.split(separator: "/").map(String.init)
    let e = try #require(Self.fixture.first { $0["name"] as? String == parts[0] && $0["test"] as? String == parts[1] })
    let d = try #require(CompareReferenceTests.datasets.first { $0["name"] as? String == parts[0] })
    let settings = ComparisonSettings(measure: .OR, method: .GLMM, test: parts[1] == "t" ? .t : .z, model: .UMFS)
    let a = try ComparisonAnalysis(studies: try CompareReferenceTests.studies(d), settings: settings)
    let p = a.pooled
    #expect(p.k == Int(number(e["k"])), "\(id) k")
    let checks: [(String, Double, Double)] = [
      ("beta", p.estimate, number(e["beta"])), ("se", p.standardError, number(e["se"])),
      ("zval", p.statistic, number(e["zval"])), ("pval", p.pValue, number(e["pval"])),
      ("ci_lb", p.ciLower, number(e["ci_lb"])), ("ci_ub", p.ciUpper, number(e["ci_ub"])),
      ("tau2", p.tau2, number(e["tau2"])), ("qe_lrt", p.q, number(e["qe_lrt"])),
    ]
    for (name, actual, expected) in checks {
      #expect(isClose(actual, expected, rtol: 1e-4, atol: 1e-8), "\(id) \(name): \(actual) vs \(expected)")
    }
  }
}
