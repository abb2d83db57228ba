// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta pool --cluster trial` against rma.mv on the sourced ALK table
/// (Fixtures/multilevel/expected.json, case alk_PLO_REML), its JSON against
/// Docs/pool.schema.json, and the errors of the three-level model.
@Suite(.serialized)
struct PoolClusterTests {
  static func json(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(args + ["--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  static func fixtureCase(_ name: String) throws -> [String: Any] {
    let f = try #require(try loadFixtureJSON("multilevel/expected.json") as? [String: Any])
    return (try #require(f["cases"] as? [[String: Any]])).first { $0["name"] as? String == name }!
  }

  /// A JSON number or array of numbers (R's auto_unbox writes length-1 vectors as scalars).
  static func nums(_ v: Any?) -> [Double] {
    if let n = v as? NSNumber { return [n.doubleValue] }
    return numbers(v)
  }

  @Test func alkClusteredByTrialMatchesRmaMv() throws {
    let d = try Self.json(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial"])
    let e = try Self.fixtureCase("alk_PLO_REML")
    let model = try #require(d["model"] as? [String: Any]), het = try #require(d["heterogeneity"] as? [String: Any])
    let ml = try #require(d["multilevel"] as? [String: Any])
    let levels = try #require(ml["levels"] as? [[String: Any]])
    let coef = try #require(e["coefficients"] as? [String: Any])
    let bt = try #require(e["backtransformed"] as? [String: Any])
    let pooled = try #require(d["pooled"] as? [String: Any])
    var checks: [(String, Any?, Double, Double)] = [
      ("estimate", model["estimate"], Self.nums(coef["estimate"])[0], 1e-6),
      ("se", model["se"], Self.nums(coef["se"])[0], 1e-6),
      ("ci_lower", model["ci_lower"], Self.nums(coef["ci_lower"])[0], 1e-6),
      ("pi_upper", model["pi_upper"], number(e["pi_upper"]), 1e-6),
      ("proportion", pooled["proportion"], number(bt["estimate"]), 1e-6),
      ("q", het["q"], number(e["qe"]), 1e-10),
      ("i2_total", ml["i2_total"], number(e["i2_total"]), 1e-6),
      ("log_likelihood", ml["log_likelihood"], number(e["log_likelihood"]), 1e-9),
      ("lrt", (try #require(ml["lrt_vs_two_level"] as? [String: Any]))["statistic"], number((try #require(e["lrt"] as? [String: Any]))["statistic"]), 1e-5),
    ]
    for l in 0..<2 {
      checks.append(("sigma2[\(l)]", levels[l]["sigma2"], Self.nums(e["sigma2"])[l], 1e-6))
      checks.append(("i2[\(l)]", levels[l]["i2"], Self.nums(e["i2"])[l], 1e-6))
      checks.append(("ci_lower[\(l)]", levels[l]["sigma2_ci_lower"], Self.nums(e["sigma2_ci_lower"])[l], 1e-5))
      checks.append(("ci_upper[\(l)]", levels[l]["sigma2_ci_upper"], Self.nums(e["sigma2_ci_upper"])[l], 1e-5))
    }
    for (what, got, want, rtol) in checks where !want.isNaN {
      #expect(closenessFailure(what, number(got), want, rtol: rtol, atol: 1e-9) == nil, "\(what): \(number(got)) vs \(want)")
    }
    #expect(levels[0]["name"] as? String == "trial" && levels[0]["count"] as? Int == Int(number(e["clusters"])))
    #expect(levels[1]["name"] as? String == "cohort" && levels[1]["count"] as? Int == 61)
    #expect((try #require(d["settings"] as? [String: Any]))["cluster"] as? String == "trial")
    let w = (try #require(d["studies"] as? [[String: Any]])).map { number($0["weight"]) }
    let ew = Self.nums(e["weights"])
    for i in w.indices { #expect(isClose(w[i], ew[i], rtol: 1e-6, atol: 1e-9), "weight \(i): \(w[i]) vs \(ew[i])") }
  }

  @Test(arguments: [
    ["--cluster", "trial"], ["--cluster", "trial", "--by", "line"], ["--by", "line"], [],
    ["--cluster", "trial", "--method", "ML", "--test", "t", "--measure", "PFT"],
  ])
  func outputValidatesAgainstSchema(_ extra: [String]) throws {
    let d = try Self.json(["pool", "Fixtures/alk-nsclc/cohorts.csv"] + extra)
    let errors = try JSONSchemaSubset(path: fixturesDirectory + "/../Docs/pool.schema.json").violations(of: d)
    #expect(errors.isEmpty, "\(errors.prefix(5))")
    if extra.contains("--cluster") { #expect(d["multilevel"] is [String: Any]) } else { #expect(d["multilevel"] is NSNull) }
  }

  @Test func textMarkdownAndCSVShowTheLevels() throws {
    let text = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial"])
    #expect(text.stdout.contains("sigma^2 (trial, 35 units)") && text.stdout.contains("LRT vs two-level model"))
    let md = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--format", "markdown"])
    #expect(md.stdout.contains("| trial | 35 |"))
    let csv = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--format", "csv"])
    #expect(csv.stdout.contains("level,,trial,,35,") && csv.stdout.contains("lrt,,three-level vs two-level"))
  }

  /// `sensitivity --method GLMM --cluster trial --nagq 1`: the JSON rows are the glmer refits
  /// of each subset (Fixtures/glmm/expected3_sensitivity.json) to 1e-4, in file order.
  @Test func threeLevelGLMMSensitivityRows() throws {
    let r = try runOrrmeta([
      "sensitivity", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--method", "GLMM", "--nagq", "1",
      "--leave-one-out", "--cumulative", "--format", "json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let out = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let fixture = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixturePath("glmm/expected3_sensitivity.json")))) as? [String: Any])
    let alk = try #require((fixture["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "alk" })
    for (key, refKey) in [("leave_one_cluster_out", "leave_one_cluster_out"), ("cumulative", "cumulative")] {
      let rows = try #require(out[key] as? [[String: Any]]), refs = try #require(alk[refKey] as? [[String: Any]])
      #expect(rows.map { $0["label"] as? String } == refs.map { $0["label"] as? String })
      for (row, ref) in zip(rows, refs) {
        guard let g = ref["fit"] as? [String: Any], let mu = g["mu"] as? Double, let s2 = g["s2"] as? Double else {
          #expect(row["estimate"] == nil, "\(key) \(row["label"] ?? ""): no glmer fit")
          continue
        }
        let estimate = try #require(row["estimate"] as? Double)
        let sigma2 = try #require(row["sigma2"] as? [Double])
        #expect(abs(estimate - mu) <= 1e-4 * (1 + abs(mu)), "\(key) \(row["label"] ?? ""): \(estimate) vs \(mu)")
        #expect(abs(sigma2[1].squareRoot() - s2) <= 1e-4 * (1 + s2), "\(key) \(row["label"] ?? ""): sigma_cohort vs \(s2)")
        // Cumulative: the cohorts in the fit; leave-one-out: the cohorts left out (of 61).
        let k = try #require(g["k"] as? Int)
        #expect(row["cohorts"] as? Int == (key == "cumulative" ? k : 61 - k))
      }
    }
  }

  @Test func clearErrors() throws {
    let dir = try temporaryDirectory("orrmeta-cluster")
    let one = dir + "/one.csv"
    try "label,trial,events,n\na,T1,3,10\nb,T1,5,12\nc,T1,4,9\n".write(toFile: one, atomically: true, encoding: .utf8)
    let r1 = try runOrrmeta(["pool", one, "--cluster", "trial"])
    #expect(r1.status != 0 && r1.stderr.contains("at least 2 clusters"))
    let two = dir + "/two.csv"
    try "label,trial,events,n\na,T1,3,10\nb,T2,5,12\n".write(toFile: two, atomically: true, encoding: .utf8)
    let r2 = try runOrrmeta(["pool", two, "--cluster", "trial"])
    #expect(r2.status != 0 && r2.stderr.contains("at least 3 cohorts"))
    // The three-level GLMM: pool fits it; sensitivity --cluster has leave-one-cluster-out and
    // cumulative for it (ThreeLevelGLMMSensitivityTests) and refuses the other analyses.
    let r3 = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--method", "GLMM", "--nagq", "1"])
    #expect(r3.status == 0 && r3.stdout.contains("three-level binomial-normal GLMM (cohorts in trial)"))
    #expect(r3.stdout.contains("sigma^2 (trial, 35 units) = 0.2779"))
    let r3s = try runOrrmeta(["sensitivity", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--method", "GLMM", "--influence"])
    #expect(r3s.status == 64 && r3s.stderr.contains("--method GLMM supports only"))
    let r4 = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "nope"])
    #expect(r4.status != 0 && r4.stderr.contains("no column named 'nope'"))
    let missing = dir + "/missing.csv"
    try "label,trial,events,n\na,T1,3,10\nb,,5,12\nc,T2,4,9\n".write(toFile: missing, atomically: true, encoding: .utf8)
    let r5 = try runOrrmeta(["pool", missing, "--cluster", "trial"])
    #expect(r5.status != 0 && r5.stderr.contains(":3"))
  }
}
