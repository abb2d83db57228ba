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
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
  }

  static func fixtureCase(_ name: String) throws -> [String: Any] {
    let f = try loadFixtureJSON("multilevel/expected.json") as! [String: Any]
    return (f["cases"] as! [[String: Any]]).first { $0["name"] as? String == name }!
  }

  /// A JSON number or array of numbers (R's auto_unbox writes length-1 vectors as scalars).
  static func nums(_ v: Any?) -> [Double] {
    if let n = v as? NSNumber { return [n.doubleValue] }
    return numbers(v)
  }

  @Test func alkClusteredByTrialMatchesRmaMv() throws {
    let d = try Self.json(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial"])
    let e = try Self.fixtureCase("alk_PLO_REML")
    let model = d["model"] as! [String: Any], het = d["heterogeneity"] as! [String: Any]
    let ml = d["multilevel"] as! [String: Any]
    let levels = ml["levels"] as! [[String: Any]]
    let coef = e["coefficients"] as! [String: Any]
    let bt = e["backtransformed"] as! [String: Any]
    let pooled = d["pooled"] as! [String: Any]
    var checks: [(String, Any?, Double, Double)] = [
      ("estimate", model["estimate"], Self.nums(coef["estimate"])[0], 1e-6),
      ("se", model["se"], Self.nums(coef["se"])[0], 1e-6),
      ("ci_lower", model["ci_lower"], Self.nums(coef["ci_lower"])[0], 1e-6),
      ("pi_upper", model["pi_upper"], number(e["pi_upper"]), 1e-6),
      ("proportion", pooled["proportion"], number(bt["estimate"]), 1e-6),
      ("q", het["q"], number(e["qe"]), 1e-10),
      ("i2_total", ml["i2_total"], number(e["i2_total"]), 1e-6),
      ("log_likelihood", ml["log_likelihood"], number(e["log_likelihood"]), 1e-9),
      ("lrt", (ml["lrt_vs_two_level"] as! [String: Any])["statistic"], number((e["lrt"] as! [String: Any])["statistic"]), 1e-5),
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
    #expect((d["settings"] as! [String: Any])["cluster"] as? String == "trial")
    let w = (d["studies"] as! [[String: Any]]).map { number($0["weight"]) }
    let ew = Self.nums(e["weights"])
    for i in w.indices { #expect(isClose(w[i], ew[i], rtol: 1e-6, atol: 1e-9), "weight \(i): \(w[i]) vs \(ew[i])") }
  }

  @Test(arguments: [
    ["--cluster", "trial"], ["--cluster", "trial", "--by", "line"], ["--by", "line"], [],
    ["--cluster", "trial", "--method", "ML", "--test", "t", "--measure", "PFT"],
  ])
  func outputValidatesAgainstSchema(_ extra: [String]) throws {
    let d = try Self.json(["pool", "Fixtures/alk-nsclc/cohorts.csv"] + extra)
    let data = try Data(contentsOf: URL(fileURLWithPath: fixturesDirectory + "/../Docs/pool.schema.json"))
    let schema = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    var errors: [String] = []
    SchemaCheck(root: schema).validate(d, schema, "$", &errors)
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
    let r3 = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--method", "GLMM"])
    #expect(r3.status != 0 && r3.stderr.contains("not supported yet"))
    let r4 = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "nope"])
    #expect(r4.status != 0 && r4.stderr.contains("no column named 'nope'"))
    let missing = dir + "/missing.csv"
    try "label,trial,events,n\na,T1,3,10\nb,,5,12\nc,T2,4,9\n".write(toFile: missing, atomically: true, encoding: .utf8)
    let r5 = try runOrrmeta(["pool", missing, "--cluster", "trial"])
    #expect(r5.status != 0 && r5.stderr.contains(":3"))
  }
}

/// The subset of JSON Schema 2020-12 that Docs/pool.schema.json uses: type (string or list),
/// properties, required, additionalProperties: false, items, anyOf, $ref to a JSON pointer,
/// minimum, minItems, maxItems.
private struct SchemaCheck {
  let root: [String: Any]

  func resolve(_ s: [String: Any]) -> [String: Any] {
    guard let ref = s["$ref"] as? String, ref.hasPrefix("#/") else { return s }
    var node: Any = root
    for part in ref.dropFirst(2).split(separator: "/") { node = (node as! [String: Any])[String(part)]! }
    return node as! [String: Any]
  }

  func typeMatches(_ v: Any, _ t: String) -> Bool {
    switch t {
    case "null": return v is NSNull
    // Foundation on Linux bridges JSON booleans to NSNumber too, so booleans are checked
    // leniently (an NSNumber), integers by their value.
    case "boolean": return v is Bool || v is NSNumber
    case "integer":
      guard let n = v as? NSNumber else { return false }
      return n.doubleValue == n.doubleValue.rounded()
    case "number": return v is NSNumber
    case "string": return v is String
    case "array": return v is [Any]
    case "object": return v is [String: Any]
    default: return false
    }
  }

  func validate(_ v: Any, _ schema: [String: Any], _ path: String, _ errors: inout [String]) {
    let s = resolve(schema)
    if let any = s["anyOf"] as? [[String: Any]] {
      let ok = any.contains { sub in var e: [String] = []; validate(v, sub, path, &e); return e.isEmpty }
      if !ok { errors.append("\(path): matches no anyOf branch") }
      return
    }
    if let t = s["type"] {
      let types = (t as? [String]) ?? [t as! String]
      if !types.contains(where: { typeMatches(v, $0) }) { errors.append("\(path): \(v) is not \(types)"); return }
    }
    if let min = s["minimum"] as? Double, let n = v as? NSNumber, n.doubleValue < min { errors.append("\(path): below \(min)") }
    if let o = v as? [String: Any] {
      let props = s["properties"] as? [String: Any] ?? [:]
      for r in s["required"] as? [String] ?? [] where o[r] == nil { errors.append("\(path): missing \(r)") }
      for (key, value) in o {
        if let p = props[key] as? [String: Any] {
          validate(value, p, path + "." + key, &errors)
        } else if (s["additionalProperties"] as? Bool) == false {
          errors.append("\(path): unexpected property \(key)")
        }
      }
    }
    if let a = v as? [Any] {
      if let m = s["minItems"] as? Int, a.count < m { errors.append("\(path): fewer than \(m) items") }
      if let m = s["maxItems"] as? Int, a.count > m { errors.append("\(path): more than \(m) items") }
      if let items = s["items"] as? [String: Any] {
        for (i, x) in a.enumerated() { validate(x, items, "\(path)[\(i)]", &errors) }
      }
    }
  }
}

/// `orrmeta sensitivity --cluster trial` and `regress --cluster trial` on the sourced ALK table
/// against metafor (Fixtures/multilevel/sensitivity.json, expected.json).
@Suite(.serialized)
struct ClusterCommandTests {
  @Test func sensitivityByClusterMatchesMetafor() throws {
    let r = try runOrrmeta(["sensitivity", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--all", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let d = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let f = try loadFixtureJSON("multilevel/sensitivity.json") as! [String: Any]
    let e = (f["cases"] as! [[String: Any]]).first { $0["name"] as? String == "alk_PLO" }!
    let loo = d["leave_one_cluster_out"] as! [[String: Any]]
    let eloo = e["leave_one_cluster_out"] as! [[String: Any]]
    #expect(loo.count == eloo.count && loo.count == 35)
    for (a, b) in zip(loo, eloo) {
      #expect(a["label"] as? String == b["label"] as? String)
      #expect(isClose(number(a["estimate"]), number(b["estimate"]), rtol: 1e-6, atol: 1e-9), "\(a["label"]!)")
    }
    let inf = d["influence"] as! [[String: Any]]
    let cook = numbers(e["cooks_distance"])
    for (i, row) in inf.enumerated() { #expect(isClose(number(row["cooks_distance"]), cook[i], rtol: 1e-6, atol: 1e-8)) }
    let bias = d["bias"] as! [String: Any], eb = e["egger"] as! [String: Any]
    #expect(isClose(number(bias["slope"]), number(eb["slope"]), rtol: 1e-6))
    #expect(isClose(number(bias["p_value"]), number(eb["p_value"]), rtol: 1e-6))
    #expect((d["cumulative"] as! [[String: Any]]).count == 35)
    #expect((d["settings"] as! [String: Any])["cluster"] as? String == "trial")
    let bad = try runOrrmeta(["sensitivity", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--gosh"])
    #expect(bad.status == 64 && bad.stderr.contains("not available yet"))
  }

  @Test func regressByClusterMatchesRmaMv() throws {
    let r = try runOrrmeta(["regress", "Fixtures/alk-nsclc/cohorts.csv", "--mods", "line", "--cluster", "trial", "--test", "t", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let d = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let f = try loadFixtureJSON("multilevel/expected.json") as! [String: Any]
    let e = (f["cases"] as! [[String: Any]]).first { $0["name"] as? String == "alk_PLO_REML_t_line" }!
    let coef = e["coefficients"] as! [String: Any]
    let mr = d["meta_regression"] as! [String: Any]
    let coefficients = mr["coefficients"] as! [[String: Any]]
    let est = numbers(coef["estimate"]), se = numbers(coef["se"])
    for j in 0..<2 {
      #expect(isClose(number(coefficients[j]["estimate"]), est[j], rtol: 1e-6), "estimate \(j)")
      #expect(isClose(number(coefficients[j]["se"]), se[j], rtol: 1e-6), "se \(j)")
    }
    #expect(isClose(number(mr["qm"]), number(e["qm"]), rtol: 1e-6))
    let levels = (d["multilevel"] as! [String: Any])["levels"] as! [[String: Any]]
    let s2 = numbers(e["sigma2"])
    #expect(isClose(number(levels[0]["sigma2"]), s2[0], rtol: 1e-6) && isClose(number(levels[1]["sigma2"]), s2[1], rtol: 1e-6))
  }
}

/// A batch spec's `cluster = "trial"` gives the same three-level result as `pool --cluster`.
@Suite(.serialized)
struct BatchClusterTests {
  @Test func specKeyClusterRunsTheThreeLevelModel() throws {
    let dir = try TemporaryDirectory("cluster-batch")
    defer { dir.remove() }
    let csv = try String(contentsOfFile: fixturePath("alk-nsclc/cohorts.csv"), encoding: .utf8)
    try dir.write("in/alk.csv", csv)
    try dir.write("spec.toml", "[analyses.nested]\ntype = \"pool\"\ncluster = \"trial\"\n")
    let r = try runOrrmeta(["batch", "in", "--out", "out", "--spec", "spec.toml"], directory: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    let results = filesUnder(dir.path + "/out").filter { $0.hasSuffix(".json") }.map { dir.path + "/out/" + $0 }
    let texts = try results.map { try String(contentsOfFile: $0, encoding: .utf8) }
    let result = try #require(texts.first { $0.contains("\"multilevel\" : {") })
    let d = try JSONSerialization.jsonObject(with: Data(result.utf8)) as! [String: Any]
    let pool = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--format", "json"])
    let p = try JSONSerialization.jsonObject(with: Data(pool.stdout.utf8)) as! [String: Any]
    #expect(number((d["model"] as! [String: Any])["estimate"]) == number((p["model"] as! [String: Any])["estimate"]))
    #expect((d["settings"] as! [String: Any])["cluster"] as? String == "trial")
    try dir.write("bad.toml", "[analyses.s]\ntype = \"sensitivity\"\ncluster = \"trial\"\n")
    let bad = try runOrrmeta(["batch", "in", "--out", "out2", "--spec", "bad.toml"], directory: dir.path)
    #expect(bad.status == 64)
  }
}

/// `plot forest --cluster trial` groups the cohorts under their trial.
@Suite(.serialized)
struct ForestClusterTests {
  @Test func forestGroupsCohortsUnderTrials() throws {
    let dir = try TemporaryDirectory("cluster-forest")
    defer { dir.remove() }
    let out = dir.path + "/forest.svg"
    let r = try runOrrmeta(["plot", "forest", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--out", out])
    #expect(r.status == 0, "\(r.stderr)")
    let svg = try String(contentsOfFile: out, encoding: .utf8)
    // One block title per trial (a truncated title also carries the full name as a tooltip).
    let titles = Set(svg.components(separatedBy: ">trial = ").dropFirst().map { String($0.prefix { $0 != "<" }) })
    #expect(titles.filter { !$0.hasSuffix("…") }.count == 35)
    #expect(svg.contains("three-level model, cohorts in trial"))
    let both = try runOrrmeta(["plot", "forest", "Fixtures/alk-nsclc/cohorts.csv", "--cluster", "trial", "--by", "line", "--out", out])
    #expect(both.status == 64)
  }
}
