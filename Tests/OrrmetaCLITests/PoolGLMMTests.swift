// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta pool --method GLMM` against metafor's rma.glmm(measure = "PLO", nAGQ = 7) on the ALK
/// cohorts (Fixtures/glmm/expected.json, dataset alk_all), at the bar of 1e-4 relative.
@Suite(.serialized)
struct PoolGLMMTests {
  @Test func alkCohortsMatchMetaforRmaGlmm() throws {
    let r = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--method", "GLMM", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let d = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let fixture = try #require(try loadFixtureJSON("glmm/expected.json") as? [String: Any])
    let alk = (try #require(fixture["datasets"] as? [[String: Any]])).first { $0["name"] as? String == "alk_all" }!
    let m = try #require(alk["metafor"] as? [String: Any])
    let model = try #require(d["model"] as? [String: Any]), pooled = try #require(d["pooled"] as? [String: Any]), het = try #require(d["heterogeneity"] as? [String: Any])
    for (what, got, want) in [
      ("estimate", model["estimate"], m["estimate"]), ("se", model["se"], m["se"]),
      ("ci_lower", model["ci_lower"], m["ci_lb"]), ("ci_upper", model["ci_ub"] ?? model["ci_upper"], m["ci_ub"]),
      ("tau2", het["tau2"], m["tau2"]), ("proportion", pooled["proportion"], m["pred"]),
      ("proportion ci_lower", pooled["ci_lower"], m["pred_ci_lb"]), ("proportion ci_upper", pooled["ci_upper"], m["pred_ci_ub"]),
      ("q_wald", het["q_wald"], m["QE_Wld"]), ("q_lrt", het["q_lrt"], m["QE_LRT"]), ("i2", het["i2"], m["I2"]),
    ] {
      #expect(closenessFailure(what, number(got), number(want), rtol: 1e-4) == nil, "\(what): \(number(got)) vs \(number(want))")
    }
    let s = try #require(d["settings"] as? [String: Any])
    #expect(s["method"] as? String == "GLMM")
    #expect(s["nagq"] as? Int == 7)
    #expect((try #require(d["studies"] as? [[String: Any]])).allSatisfy { $0["weight"] is NSNull })
  }

  @Test func glmmUsageErrors() throws {
    #expect(try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--method", "GLMM", "--test", "knha"]).status == 64)
    #expect(try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--method", "GLMM", "--measure", "PFT"]).status == 64)
    #expect(try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--method", "GLMM", "--nagq", "0"]).status == 64)
  }

  @Test func glmmSubgroups() throws {
    let r = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--method", "GLMM", "--by", "line", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let d = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let fixture = try #require(try loadFixtureJSON("glmm/expected.json") as? [String: Any])
    let naive = try #require((fixture["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "alk_naive" }!["metafor"] as? [String: Any])
    let groups = try #require(d["subgroups"] as? [[String: Any]])
    let g = groups.first { $0["name"] as? String == "naive" }!
    let est = number((try #require(g["model"] as? [String: Any]))["estimate"])
    #expect(closenessFailure("naive estimate", est, number(naive["estimate"]), rtol: 1e-4) == nil)
    #expect(d["subgroup_test"] is [String: Any])
  }
}
