// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Leave-one-cluster-out, Cook's distance, DFBETAS and the multilevel Egger test against
/// metafor 3.8-1 (Fixtures/multilevel/generate_sensitivity.R → sensitivity.json) and the
/// published konstantopoulos2011 anchors.
@Suite("Cluster diagnostics vs metafor")
struct ClusterInfluenceTests {
  nonisolated(unsafe) static let cases = fixtureCases("multilevel/sensitivity.json")

  @Test("leave-one-cluster-out, Cook's distance, DFBETAS, Egger", arguments: ["konstantopoulos2011", "alk_PLO"])
  func reference(_ name: String) throws {
    let c = try #require(Self.cases.first { $0.string("name") == name })
    let yi = c.doubles("yi"), vi = c.doubles("vi")
    let clusters = ClusterStructure(clusters: c.strings("cluster"))
    let (full, rows) = try ClusterInfluence.leaveOneClusterOut(yi: yi, vi: vi, clusters: clusters)
    let cmp = Comparison(rtol: 1e-6, atol: 1e-9)
    cmp.check("estimate", full.estimate, c.double("estimate"))
    cmp.check("sigma2", full.levels.map(\.sigma2), c.doubles("sigma2"), atol: 1e-9)
    cmp.check("cooks_distance", rows.map(\.cooksDistance), c.doubles("cooks_distance"), atol: 1e-8)
    cmp.check("dfbetas", rows.map { $0.dfbetas[0] }, c.doubles("dfbetas"), atol: 1e-8)
    let loo = c.objects("leave_one_cluster_out")
    cmp.require(loo.count == rows.count, "rows")
    for (r, e) in zip(rows, loo) {
      cmp.require(r.label == e.string("label"), "label \(r.label) vs \(e.string("label"))")
      cmp.check("loo.estimate[\(r.label)]", r.estimate, e.double("estimate"))
      cmp.check("loo.se[\(r.label)]", r.standardError, e.double("se"))
      cmp.check("loo.ci_lower[\(r.label)]", r.ciLower, e.double("ci_lower"), atol: 1e-6 * r.standardError)
      cmp.check("loo.ci_upper[\(r.label)]", r.ciUpper, e.double("ci_upper"), atol: 1e-6 * r.standardError)
      cmp.check("loo.sigma2[\(r.label)]", r.sigma2, e.doubles("sigma2"), atol: 1e-9)
    }
    let eg = try ClusterInfluence.egger(yi: yi, vi: vi, clusters: clusters)
    let ee = c["egger"]!
    cmp.check("egger.intercept", eg.intercept, ee.double("intercept"))
    cmp.check("egger.slope", eg.slope, ee.double("slope"))
    cmp.check("egger.se", eg.standardError, ee.double("se"))
    cmp.check("egger.statistic", eg.statistic, ee.double("statistic"))
    cmp.check("egger.p", eg.pValue, ee.double("p_value"))
    #expect(cmp.failures.isEmpty, "\(name): \(cmp.failures.prefix(8))")
  }

  @Test("published anchors: Cook's distance by district and leave-one-district-out mu")
  func anchors() throws {
    let c = try #require(Self.cases.first { $0.string("name") == "konstantopoulos2011" })
    let (_, rows) = try ClusterInfluence.leaveOneClusterOut(
      yi: c.doubles("yi"), vi: c.doubles("vi"), clusters: ClusterStructure(clusters: c.strings("cluster")))
    let cook: [String: Double] = ["11": 0.0694, "12": 0.0162, "18": 0.0420, "27": 0.1192, "56": 0.0214, "58": 0.1015, "71": 0.5585, "86": 0.0657, "91": 0.0037, "108": 0.0549, "644": 0.0003]
    let mu: [String: Double] = ["11": 0.2070, "12": 0.1955, "18": 0.1674, "27": 0.1555, "56": 0.1971, "58": 0.2116, "71": 0.1215, "86": 0.2064, "91": 0.1795, "108": 0.2045, "644": 0.1863]
    for r in rows {
      #expect(abs(r.cooksDistance - cook[r.label]!) < 5e-5, "\(r.label): \(r.cooksDistance)")
      #expect(abs(r.estimate - mu[r.label]!) < 5e-5, "\(r.label): \(r.estimate)")
    }
    let eg = try ClusterInfluence.egger(yi: c.doubles("yi"), vi: c.doubles("vi"), clusters: ClusterStructure(clusters: c.strings("cluster")))
    #expect(abs(eg.intercept - 0.3201) < 5e-5 && abs(eg.interceptStandardError - 0.1437) < 5e-5)
    #expect(abs(eg.slope - -0.9846) < 5e-5 && abs(eg.standardError - 0.8356) < 5e-5 && abs(eg.pValue - 0.2386) < 5e-5)
  }

  @Test("meta 8.2-1 metaprop(cluster = trial, method.tau = REML) agrees on the ALK table")
  func metaMetaprop() throws {
    let data = try fixtureData("multilevel/sensitivity.json")
    let raw = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let m = JSONObject(raw)["meta_metaprop_alk"]!
    let c = try #require(Self.cases.first { $0.string("name") == "alk_PLO" })
    let fit = try ThreeLevelModel.fit(yi: c.doubles("yi"), vi: c.doubles("vi"), clusters: ClusterStructure(clusters: c.strings("cluster")))
    // meta stops at its optimiser's default tolerance: agreement is ~1e-9 (μ̂) and ~3e-7 (σ²).
    let cmp = Comparison(rtol: 1e-6, atol: 1e-9)
    cmp.check("estimate", fit.estimate, m.double("estimate"))
    cmp.check("se", fit.standardError, m.double("se"))
    cmp.check("sigma2", fit.levels.map(\.sigma2), m.doubles("sigma2"))
    #expect(cmp.failures.isEmpty, "\(cmp.failures)")
  }
}
