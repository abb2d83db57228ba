// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Fixtures/glmm/expected.json, written by Fixtures/glmm/generate_glmm.R.
struct GLMMFixtures: Decodable {
  struct Rule: Decodable {
    let n: Int
    let z: [Double]
    let w: [Double]
  }

  /// What `rma.glmm` + `predict` report (NA → nil).
  struct Metafor: Decodable {
    let estimate: Double
    let se: Double
    let zval: Double
    let pval: Double
    let ci_lb: Double
    let ci_ub: Double
    let pi_lb: Double
    let pi_ub: Double
    let tau2: Double
    let QE_Wld: Double?
    let QEp_Wld: Double?
    let QE_LRT: Double?
    let QEp_LRT: Double?
    let QE_df: Double?
    let I2: Double
    let H2: Double
    let vt: Double
    let logLik: Double
    let dfs: Double?
    let pred: Double
    let pred_ci_lb: Double
    let pred_ci_ub: Double
    let pred_pi_lb: Double
    let pred_pi_ub: Double
    /// lme4's `logLik()` of the tight fit (only in "metafor_tight").
    let lme4_logLik: Double?
  }

  struct LME4: Decodable {
    let theta: Double
    let beta: Double
    let logLik: Double
    let deviance_cond: Double
  }

  /// The independent, tightly optimized R implementation of the same AGQ likelihood.
  struct Exact: Decodable {
    let mu: Double
    let tau: Double
    let tau2: Double
    let se: Double
    let logLik: Double
  }

  struct Dataset: Decodable {
    let name: String
    /// Why lme4's SE is expected to miss the exact value by more than 10⁻⁴ ("" if not).
    let lme4_se_issue: String
    /// Why lme4's estimate and τ² are expected to miss the maximum by more than 10⁻⁴ ("" if not).
    let lme4_optimum_issue: String

    /// Runs `checks` as a known issue when `reasons` has a non-empty entry.
    func expecting(_ reasons: [String], _ checks: () -> Void) {
      let reason = reasons.filter { !$0.isEmpty }.joined(separator: "; ")
      if reason.isEmpty {
        checks()
      } else {
        withKnownIssue(Comment(rawValue: reason), isIntermittent: true, checks)
      }
    }
    let call: String
    let xi: [Int]
    let ni: [Int]
    let nAGQ: Int
    let test: String
    let level: Double
    let metafor: Metafor
    let metafor_tight: Metafor
    let lme4: LME4
    let exact: Exact

    func studies() throws -> [ProportionStudy] {
      try zip(xi, ni).enumerated().map { i, c in
        try ProportionStudy(label: "\(name)#\(i + 1)", events: c.0, total: c.1)
      }
    }

    var testMethod: TestMethod { test == "t" ? .t : .z }
  }

  let metafor_version: String
  let lme4_version: String
  let gauss_hermite_rules: [Rule]
  let datasets: [Dataset]

  /// The decoded fixture, or why it could not be read (each test that uses it fails with that).
  static let loadedShared = Result { try decodeFixture(GLMMFixtures.self, "glmm/expected.json") }
  static var shared: GLMMFixtures { get throws { try loadedShared.get() } }

  static var datasetNames: [String] { (try? loadedShared.get())?.datasets.map(\.name) ?? [] }

  static func dataset(_ name: String) throws -> Dataset { try #require(try shared.datasets.first { $0.name == name }) }
}
