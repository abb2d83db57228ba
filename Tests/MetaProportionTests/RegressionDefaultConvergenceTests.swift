// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// `--convergence metafor` in meta-regression against metafor 3.8-1 with its default control:
/// Fixtures/convergence/regression-defaults.json (generate_regression_defaults.R:
/// `rma(yi, vi, mods = ~ x, method = PM|REML|ML|EB)`, x = 1..k, on the k ≥ 5 datasets of
/// metafor-defaults.json): τ², SE(τ²), coefficients and their SEs at 1e-8 relative.
struct RegressionDefaultConvergenceTests {
  struct Fixture: Decodable {
    struct Fit: Decodable {
      var id: Int
      var measure: String
      var method: String
      var yi: [Double]
      var vi: [Double]
      var tau2: Double
      var tau2_se: Double
      var beta: [Double]
      var se: [Double]
    }
    var metafor_version: String
    var fits: [Fit]
  }

  @Test func metaRegressionReproducesMetaforDefaults() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixturePath("convergence/regression-defaults.json")))
    let f = try JSONDecoder().decode(Fixture.self, from: data)
    #expect(f.metafor_version == "3.8.1")
    var comparisons = 0, maxRelative = 0.0
    for c in f.fits {
      let k = c.yi.count
      let design = try DesignMatrix(
        columnNames: ["intrcpt", "x"], rows: k, values: (1...k).flatMap { [1.0, Double($0)] })
      let fit = try MetaRegression.fit(
        yi: c.yi, vi: c.vi, design: design, method: TauSquaredMethod(rawValue: c.method)!, control: Convergence.metafor.control)
      let got = [fit.tau2.tau2, fit.tau2.standardError] + fit.coefficients.map(\.estimate) + fit.coefficients.map(\.standardError)
      let want = [c.tau2, c.tau2_se] + c.beta + c.se
      for (g, w) in zip(got, want) {
        comparisons += 1
        if w != 0 { maxRelative = max(maxRelative, abs(g - w) / abs(w)) }
        if let m = closenessFailure("dataset \(c.id) \(c.measure) \(c.method)", g, w, rtol: 1e-8, atol: 1e-12) {
          Issue.record(Comment(rawValue: m))
        }
      }
    }
    print("meta-regression, metafor default control: \(comparisons) comparisons, max relative deviation \(maxRelative)")
    #expect(comparisons > 3000)
  }
}
