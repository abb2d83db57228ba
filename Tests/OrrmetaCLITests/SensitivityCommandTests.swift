// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `orrmeta sensitivity` through the real binary: the JSON equals the statistics module's
/// results, and a few fields equal metafor's (Fixtures/sensitivity, 1e-6 relative).
@Suite("orrmeta sensitivity")
struct SensitivityCommandTests {
  typealias S = SensitivityCLI

  /// The statistics module's analysis of the ALK cohorts with orrmeta's defaults (PLO, REML, z).
  static func alkAnalysis(method: TauSquaredMethod = .REML, test: TestMethod = .z) throws -> SensitivityAnalysis {
    try SensitivityAnalysis(studies: try S.alkCohorts().studies, measure: .PLO, method: method, test: test)
  }

  static func rowPairs(_ r: LeaveOneOutRow) -> [(String, Double)] {
    [
      ("estimate", r.estimate), ("se", r.standardError), ("statistic", r.statistic), ("p_value", r.pValue),
      ("ci_lower", r.ciLower), ("ci_upper", r.ciUpper), ("tau2", r.tau2), ("i2", r.i2), ("h2", r.h2), ("q", r.q),
      ("q_p_value", r.qPValue), ("proportion", r.proportion), ("proportion_ci_lower", r.proportionCILower),
      ("proportion_ci_upper", r.proportionCIUpper),
    ]
  }

  @Test("--all: the pool blocks, every analysis key, nulls for GOSH and the bootstrap")
  func keys() throws {
    let (d, _) = try S.json(["sensitivity", S.alk, "--all"])
    for key in ["orrmeta_version", "input", "k", "settings", "model", "pooled", "heterogeneity", "warnings", "sensitivity_settings",
                "leave_one_out", "influence", "baujat", "cumulative", "bias", "trimfill", "gosh", "bootstrap"] {
      #expect(d.keys.contains(key), "missing key \(key)")
    }
    #expect(d["gosh"] is NSNull)
    #expect(d["bootstrap"] is NSNull)
    #expect(d["k"] as? Int == 61)
    let s = try #require(d["sensitivity_settings"] as? [String: Any])
    #expect(s["analyses"] as? [String] == ["leave_one_out", "influence", "baujat", "cumulative", "bias", "trimfill"])
    #expect(s["order_by"] is NSNull)
    #expect(s["trimfill_estimator"] as? String == "L0")
    // The pool blocks are those of `orrmeta pool`.
    let (pool, _) = try S.json(["pool", S.alk])
    for key in ["settings", "model", "pooled", "heterogeneity"] {
      #expect(NSDictionary(dictionary: try #require(d[key] as? [String: Any])) == NSDictionary(dictionary: try #require(pool[key] as? [String: Any])), "\(key)")
    }
    let bias = try #require(d["bias"] as? [String: Any])
    #expect(Set(bias.keys) == ["egger", "peters", "begg"])
    let egger = try #require(bias["egger"] as? [String: Any])
    for key in ["z", "p_value", "limit_estimate", "limit_proportion", "limit_proportion_ci_lower", "limit_proportion_ci_upper"] {
      #expect(egger[key] is NSNumber, "egger.\(key)")
    }
  }

  @Test("leave-one-out, influence, Baujat and cumulative equal SensitivityAnalysis")
  func caseDeletionEqualsStatistics() throws {
    let (d, _) = try S.json(["sensitivity", S.alk, "--leave-one-out", "--influence", "--cumulative", "--order-by", "n"])
    let a = try Self.alkAnalysis()
    let cd = try a.caseDeletion()
    var bad: [String] = []
    let loo = try #require(d["leave_one_out"] as? [[String: Any]])
    #expect(loo.count == 61)
    for (row, r) in zip(loo, cd.leaveOneOut) {
      #expect(row["label"] as? String == r.label)
      bad += S.mismatches(row, Self.rowPairs(r), "leave_one_out[\(r.label)]")
    }
    let infl = try #require(d["influence"] as? [[String: Any]])
    #expect(infl.count == 61)
    for (row, r) in zip(infl, cd.influence) {
      #expect(row["label"] as? String == r.label)
      #expect(row["influential"] as? Bool == r.influential)
      bad += S.mismatches(row, [
        ("rstudent", r.rstudent), ("dffits", r.dffits), ("cook_d", r.cookDistance), ("cov_r", r.covarianceRatio),
        ("tau2_del", r.tau2Deleted), ("qe_del", r.qDeleted), ("hat", r.hat), ("weight", r.weight), ("dfbetas", r.dfbetas),
      ], "influence[\(r.label)]")
    }
    let bj = try #require(d["baujat"] as? [[String: Any]])
    for (row, p) in zip(bj, cd.baujat) { bad += S.mismatches(row, [("x", p.x), ("y", p.y)], "baujat[\(p.label)]") }
    let cohorts = try S.alkCohorts()
    let order = try CohortOrder(cohorts, ascendingBy: "n")
    let cumul = try a.cumulative(order: order.indices)
    let cu = try #require(d["cumulative"] as? [[String: Any]])
    #expect(try cu.map { try #require($0["label"] as? String) } == cumul.map(\.label))
    for (row, r) in zip(cu, cumul) { bad += S.mismatches(row, Self.rowPairs(r), "cumulative[\(r.label)]") }
    #expect((try #require(d["sensitivity_settings"] as? [String: Any]))["order_by"] as? String == "n")
    #expect(bad.isEmpty, "\(bad.count): \(bad.prefix(5))")
  }

  @Test("bias tests and trim-and-fill equal SensitivityAnalysis (DL, knha, R0, right side)")
  func biasAndTrimFillEqualStatistics() throws {
    let (d, _) = try S.json([
      "sensitivity", S.alk, "--bias", "--trimfill", "--estimator", "R0", "--side", "right", "--method", "DL", "--test", "knha",
    ])
    let a = try Self.alkAnalysis(method: .DL, test: .knha)
    var bad: [String] = []
    let bias = try #require(d["bias"] as? [String: Any])
    for (key, t) in [("egger", try a.eggerTest()), ("peters", try a.petersTest())] {
      let o = try #require(bias[key] as? [String: Any])
      #expect(o["df"] as? Double == t.degreesOfFreedom)
      bad += S.mismatches(o, [
        ("z", t.statistic), ("statistic", t.statistic), ("p_value", t.pValue), ("slope", t.slope), ("slope_se", t.slopeStandardError),
        ("limit_estimate", t.limitEstimate), ("limit_ci_lower", t.limitCILower), ("limit_ci_upper", t.limitCIUpper),
        ("tau2", t.tau2), ("limit_proportion", a.proportion(t.limitEstimate)),
      ], key)
    }
    let begg = try a.beggTest()
    bad += S.mismatches(try #require(bias["begg"] as? [String: Any]), [("tau", begg.tau), ("p_value", begg.pValue), ("statistic", begg.statistic)], "begg")
    let tf = try a.trimAndFill(side: .right, estimator: .R0)
    let t = try #require(d["trimfill"] as? [String: Any])
    #expect(t["k0"] as? Int == tf.k0)
    #expect(t["side"] as? String == "right")
    #expect(t["side_estimated"] as? Bool == false)
    #expect(t["estimator"] as? String == "R0")
    bad += S.mismatches(t, [
      ("estimate", tf.estimate), ("se", tf.standardError), ("ci_lower", tf.ciLower), ("ci_upper", tf.ciUpper),
      ("tau2", tf.tau2), ("proportion", tf.proportion), ("proportion_ci_lower", tf.proportionCILower),
      ("proportion_ci_upper", tf.proportionCIUpper), ("se_k0", tf.k0StandardError),
    ], "trimfill")
    #expect(bad.isEmpty, "\(bad)")
  }

  @Test("a few fields equal metafor 3.8-1 (alk_PLO.json), REML/z and DL/knha")
  func metaforFixture() throws {
    let file = try S.fixture("alk_PLO.json")
    let data = try #require(file["data"] as? [String: Any])
    var bad: [String] = []
    func check(_ what: String, _ json: Any?, _ expected: Double) {
      if let f = closenessFailure(what, number(json), expected, rtol: 1e-6, atol: 1e-9) { bad.append(f) }
    }
    for (method, test) in [("REML", "z"), ("DL", "knha")] {
      let c = try S.fixtureCase(file, method: method, test: test)
      let (d, _) = try S.json(["sensitivity", S.alk, "--all", "--order-by", "n", "--method", method, "--test", test])
      let loo = try #require(d["leave_one_out"] as? [[String: Any]])
      let looLabels = try loo.map { try #require($0["label"] as? String) }
      #expect(try looLabels == #require(data["label"] as? [String]))
      let l1 = try #require(c["leave1out"] as? [String: Any])
      for i in [0, 3, 30, 60] {
        check("\(method)/\(test) leave1out estimate[\(i)]", loo[i]["estimate"], numbers(l1["estimate"])[i])
        check("\(method)/\(test) leave1out ci.lb[\(i)]", loo[i]["ci_lower"], numbers(l1["ci_lower"])[i])
        check("\(method)/\(test) leave1out tau2[\(i)]", loo[i]["tau2"], numbers(l1["tau2"])[i])
        check("\(method)/\(test) leave1out I2[\(i)]", loo[i]["i2"], numbers(l1["i2"])[i])
      }
      let inf = try #require(c["influence"] as? [String: Any])
      let infl = try #require(d["influence"] as? [[String: Any]])
      #expect(try infl.map { try #require($0["influential"] as? Bool) } == (try #require(inf["influential"] as? [Bool])))
      for i in [0, 31, 60] {
        check("\(method)/\(test) rstudent[\(i)]", infl[i]["rstudent"], numbers(inf["rstudent"])[i])
        check("\(method)/\(test) cook.d[\(i)]", infl[i]["cook_d"], numbers(inf["cook_d"])[i])
        check("\(method)/\(test) hat[\(i)]", infl[i]["hat"], numbers(inf["hat"])[i])
      }
      let bj = try #require(d["baujat"] as? [[String: Any]])
      check("\(method)/\(test) baujat y[31]", bj[31]["y"], numbers((try #require(c["baujat"] as? [String: Any]))["y"])[31])
      let cu = try #require(c["cumul"] as? [String: Any])
      let cumul = try #require(d["cumulative"] as? [[String: Any]])
      let labels = try #require(data["label"] as? [String])
      #expect(try cumul.map { try #require($0["label"] as? String) } == numbers(cu["order"]).map { labels[Int($0)] })
      for i in [1, 10, 60] { check("\(method)/\(test) cumul estimate[\(i)]", cumul[i]["estimate"], numbers(cu["estimate"])[i]) }
      let bias = try #require(d["bias"] as? [String: Any])
      let egger = try #require(c["egger"] as? [String: Any])
      check("\(method)/\(test) egger z", (try #require(bias["egger"] as? [String: Any]))["z"], number(egger["zval"]))
      check("\(method)/\(test) egger p", (try #require(bias["egger"] as? [String: Any]))["p_value"], number(egger["pval"]))
      let begg = try #require(c["begg"] as? [String: Any])
      check("\(method)/\(test) begg tau", (try #require(bias["begg"] as? [String: Any]))["tau"], number(begg["tau"]))
      check("\(method)/\(test) begg p", (try #require(bias["begg"] as? [String: Any]))["p_value"], number(begg["pval"]))
      let tf = try #require(c["trimfill_L0"] as? [String: Any])
      let t = try #require(d["trimfill"] as? [String: Any])
      #expect(t["k0"] as? Int == Int(number(tf["k0"])))
      #expect(t["side"] as? String == tf["side"] as? String)
      check("\(method)/\(test) trimfill estimate", t["estimate"], number(tf["estimate"]))
      check("\(method)/\(test) trimfill ci.ub", t["ci_upper"], number(tf["ci_upper"]))
    }
    #expect(bad.isEmpty, "\(bad)")
  }

  @Test("text output names every analysis")
  func text() throws {
    let r = try runOrrmeta(["sensitivity", S.alk, "--all", "--gosh", "--subsets", "500", "--bootstrap", "50"])
    #expect(r.status == 0, "\(r.stderr)")
    for heading in ["Pooled result (all cohorts)", "Leave-one-out (metafor leave1out)", "Influence diagnostics", "Baujat plot coordinates",
                    "Cumulative meta-analysis (metafor cumul): cohorts added in file order", "Egger's regression test",
                    "Peters' test", "Begg's rank correlation test", "Trim-and-fill (L0 estimator; side left, estimated)",
                    "GOSH (metafor gosh): 500 random subsets (seed 1) of the 61 cohorts", "Bootstrap (50 resamples of the cohorts, seed 1)"] {
      #expect(r.stdout.contains(heading), "missing: \(heading)")
    }
    #expect(r.stdout.contains("ASCEND5_chemo") && r.stdout.contains("  *\n"), "the influential cohort is starred")
  }

  @Test("non-finite values are written as null")
  func nulls() throws {
    struct Probe: NotAvailableAsNull {
      var a = Double.nan
      var b: [Double] = [1, .infinity, -.infinity]
      var c: Double? = .nan
      var d: [String: Double] = ["x": .nan]
      var e = DistributionSummary([.nan])
    }
    let text = try JSONOutput.encode(Probe(), pretty: false)
    #expect(text == "{\"a\":null,\"b\":[1,null,null],\"c\":null,\"d\":{\"x\":null},\"e\":{\"count\":0,\"max\":null,\"mean\":null,\"median\":null,\"min\":null,\"missing\":1,\"q025\":null,\"q25\":null,\"q75\":null,\"q975\":null,\"sd\":null}}\n")
  }
}
