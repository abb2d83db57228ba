// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `orrmeta regress` through the real binary: results equal `MetaRegression` and metafor
/// (Fixtures/sensitivity/metareg_alk_PLO.json, permutest_pritz8_PLO.json), moderator typing,
/// missing values, seeded permutation tests, exit codes.
@Suite("orrmeta regress")
struct RegressCommandTests {
  typealias S = SensitivityCLI

  /// The ALK cohorts with a year (the rows metafor kept): label, events, n and the moderators.
  static func alkWithYear() throws -> (directory: String, path: String) {
    let cohorts = try S.alkCohorts()
    let t = cohorts.table
    func column(_ name: String) -> Int { t.header.firstIndex(of: name)! }
    let cols = ["study_id", "responders", "n", "generation", "line", "year"].map(column)
    var csv = "study_id,responders,n,generation,line,year\n"
    for r in t.records where !r[column("year")].isEmpty {
      csv += cols.map { r[$0] }.joined(separator: ",") + "\n"
    }
    return try S.writeCSV(csv, name: "alk-year.csv")
  }

  @Test("generation + line + year equal metafor (REML/z, DL/knha) and MetaRegression", arguments: [("REML", "z"), ("DL", "knha")])
  func alk(_ method: String, _ test: String) throws {
    let (dir, path) = try Self.alkWithYear()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (d, _) = try S.json(["regress", path, "--mods", "generation", "line", "year", "--method", method, "--test", test])
    let reg = try #require(d["meta_regression"] as? [String: Any])
    let coefficients = try #require(reg["coefficients"] as? [[String: Any]])
    let c = try S.fixtureCase(try S.fixture("metareg_alk_PLO.json"), method: method, test: test)
    let names = try coefficients.map { try #require($0["name"] as? String) }
    #expect(try names == #require(c["names"] as? [String]))
    var bad: [String] = []
    func check(_ what: String, _ json: Any?, _ expected: Double) {
      if let f = closenessFailure(what, number(json), expected, rtol: 1e-6, atol: 1e-9) { bad.append(f) }
    }
    for (j, co) in coefficients.enumerated() {
      check("beta[\(j)]", co["estimate"], numbers(c["beta"])[j])
      check("se[\(j)]", co["se"], numbers(c["se"])[j])
      check("p[\(j)]", co["p_value"], numbers(c["pval"])[j])
      check("ci.lb[\(j)]", co["ci_lower"], numbers(c["ci_lower"])[j])
    }
    for (key, ref) in [("tau2", "tau2"), ("se_tau2", "se_tau2"), ("qm", "qm"), ("qm_p_value", "qmp"), ("qe", "qe"), ("i2", "i2"), ("h2", "h2"), ("r2", "r2")] {
      check(key, reg[key], number(c[ref]))
    }
    #expect(bad.isEmpty, "\(bad)")
    #expect(d["k"] as? Int == 56)
    let mods = try #require(d["moderators"] as? [[String: Any]])
    #expect(try mods.map { try #require($0["type"] as? String) } == ["categorical", "categorical", "continuous"])
    #expect(mods[0]["reference"] as? String == "1")
    #expect(mods[2]["levels"] is NSNull)

    // The same numbers as the statistics module, exactly.
    let cohorts = try CohortFile.read(path: path)
    let es = try EffectSizes(studies: cohorts.studies, measure: .PLO)
    let t = cohorts.table
    func values(_ i: Int) -> [String] { t.records.map { $0[i] } }
    let fit = try MetaRegression.fit(
      yi: es.yi, vi: es.vi,
      moderators: [
        .categorical(name: "generation", values: values(3)), .categorical(name: "line", values: values(4)),
        .continuous(name: "year", values: values(5).map { Double($0)! }),
      ],
      method: TauSquaredMethod(rawValue: method)!, test: TestMethod(rawValue: test)!)
    var exact: [String] = []
    for (j, co) in fit.coefficients.enumerated() {
      exact += S.mismatches(coefficients[j], [
        ("estimate", co.estimate), ("se", co.standardError), ("statistic", co.statistic), ("p_value", co.pValue),
        ("ci_lower", co.ciLower), ("ci_upper", co.ciUpper),
      ], co.name)
    }
    exact += S.mismatches(reg, [("tau2", fit.tau2.tau2), ("qm", fit.qm), ("qe", fit.qe), ("r2", fit.r2 ?? .nan)], "fit")
    #expect(exact.isEmpty, "\(exact)")
  }

  @Test("a missing moderator value is an error naming file, line and column (no silent dropping)")
  func missingValue() throws {
    let r = try runOrrmeta(["regress", S.alk, "--mods", "generation", "line", "year"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("orrmeta: error: \(S.alk):52: column 'year': value '' is invalid; expected a moderator value (missing values are not allowed"), "\(r.stderr)")
    let (dir, path) = try S.writeCSV("label,events,n,dose\nA,5,20,10\nB,9,30,NA\nC,4,22,20\nD,7,25,10\n")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r2 = try runOrrmeta(["regress", path, "--mods", "dose"])
    #expect(r2.status == 65)
    #expect(r2.stderr.contains("\(path):3: column 'dose': value 'NA' is invalid"), "\(r2.stderr)")
  }

  @Test("numeric columns are continuous unless --categorical; text columns are categorical")
  func moderatorTypes() throws {
    let (dir, path) = try S.writeCSV(
      "label,events,n,dose,arm\nA,5,20,10,x\nB,9,30,20,y\nC,4,22,10,x\nD,7,25,40,y\nE,12,31,20,z\nF,3,18,40,x\n")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (cont, _) = try S.json(["regress", path, "--mods", "dose", "arm", "--method", "DL"])
    let names = { (d: [String: Any]) in try (try #require((d["meta_regression"] as? [String: Any])?["coefficients"] as? [[String: Any]])).map { try #require($0["name"] as? String) } }
    #expect(try names(cont) == ["intrcpt", "dose", "army", "armz"])
    let (cat, _) = try S.json(["regress", path, "--mods", "dose", "--categorical", "dose", "--method", "DL"])
    #expect(try names(cat) == ["intrcpt", "dose20", "dose40"])
    let mods = try #require(cat["moderators"] as? [[String: Any]])
    #expect(mods[0]["levels"] as? [String] == ["10", "20", "40"])
    let text = try runOrrmeta(["regress", path, "--mods", "dose", "arm", "--method", "DL"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("Test of moderators (coefficients 2:4): QM(df = 3)"))
    #expect(text.stdout.contains("arm: categorical, levels x, y, z (reference x)"))
  }

  @Test("exact permutation test equals metafor's permutest (k = 8)")
  func exactPermutation() throws {
    let pritz = try #require(try S.fixture("pritz1997_PLO.json")["data"] as? [String: Any])
    let perm = try S.fixture("permutest_pritz8_PLO.json")
    let grp = try #require((perm["data"] as? [String: Any])?["grp"] as? [String])
    let xi = numbers(pritz["xi"]), ni = numbers(pritz["ni"])
    var csv = "label,events,n,grp\n"
    for i in 0..<8 { csv += "c\(i + 1),\(Int(xi[i])),\(Int(ni[i])),\(grp[i])\n" }
    let (dir, path) = try S.writeCSV(csv)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (method, test) in [("REML", "knha"), ("DL", "z")] {
      let c = try S.fixtureCase(perm, method: method, test: test)
      let (d, _) = try S.json(["regress", path, "--mods", "grp", "--permutations", "1000", "--method", method, "--test", test, "--jobs", "2"])
      let p = try #require(d["permutation_test"] as? [String: Any])
      #expect(p["exact"] as? Bool == true)
      #expect(p["iterations"] as? Int == Int(number(c["mods_iter"])))
      let pv = numbers(p["p_values"]), ref = numbers(c["mods_pval"])
      for j in 0..<2 { #expect(isClose(pv[j], ref[j], rtol: 1e-12), "\(method)/\(test) p[\(j)] \(pv[j]) vs \(ref[j])") }
      #expect(isClose(number(p["qm_p_value"]), number(c["mods_qmp"]), rtol: 1e-12))
    }
  }

  @Test("random permutations: --jobs 1 and --jobs 3 identical; the seed is reported")
  func permutationDeterminism() throws {
    let args = ["regress", S.alk, "--mods", "line", "--permutations", "200", "--seed", "9"]
    let (a, ra) = try S.json(args + ["--jobs", "1"])
    let (_, rb) = try S.json(args + ["--jobs", "3"])
    #expect(ra.stdout == rb.stdout)
    let p = try #require(a["permutation_test"] as? [String: Any])
    #expect(p["exact"] as? Bool == false)
    #expect(p["iterations"] as? Int == 200)
    #expect(p["seed"] as? Int == 9)
    let t1 = try runOrrmeta(args + ["--jobs", "1"]), t3 = try runOrrmeta(args + ["--jobs", "3"])
    #expect(t1.stdout == t3.stdout)
    #expect(t1.stdout.contains("perm. p"))
  }

  @Test("errors: usage 64, unknown column 65, constant or single-level moderator 65, too few cohorts 70")
  func errors() throws {
    let usage: [([String], String)] = [
      ([], "give at least one moderator column with --mods"),
      (["--mods", "line", "--method", "pooled"], "--method pooled cannot be used for meta-regression"),
      (["--mods", "line", "--method", "GLMM"], "--method GLMM cannot be used for meta-regression"),
      (["--mods", "line", "LINE"], "--mods names column 'LINE' twice"),
      (["--mods", "line", "--categorical", "phase"], "--categorical phase is not one of the --mods columns"),
      (["--mods", "line", "--by", "line"], "--by does not apply to meta-regression"),
      (["--mods", "line", "--format", "markdown"], "orrmeta: error: The value 'markdown' is invalid for '--format <format>'. Please provide one of 'text' and 'json'."),
      (["--mods", "line", "--nagq", "3"], "orrmeta: error: --nagq applies to --method GLMM, which this command does not fit"),
      (["--mods", "line", "--permutations", "0"], "--permutations 0 is invalid"),
    ]
    for (args, message) in usage {
      let r = try runOrrmeta(["regress", S.alk] + args)
      #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
      #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
    }
    var r = try runOrrmeta(["regress", S.alk, "--mods", "dose"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("no column named 'dose' for a moderator (--mods)"))
    let (dir, path) = try S.writeCSV("label,events,n,dose,arm\nA,5,20,10,x\nB,9,30,10,x\nC,4,22,10,x\n")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    r = try runOrrmeta(["regress", path, "--mods", "dose"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("moderator column 'dose' has the same value (10) for every cohort"))
    r = try runOrrmeta(["regress", path, "--mods", "arm"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("moderator column 'arm' has a single level ('x')"))
    let small = try S.writeCSV("label,events,n,arm\nA,5,20,x\nB,9,30,y\n")
    defer { try? FileManager.default.removeItem(atPath: small.directory) }
    r = try runOrrmeta(["regress", small.path, "--mods", "arm"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("meta-regression: model fit failed"), "\(r.stderr)")
  }
}
