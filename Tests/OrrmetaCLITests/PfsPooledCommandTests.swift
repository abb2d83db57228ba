// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta pfs --pool iv`, `--hr` and `--ci sign-exact`, run as the built binary and compared
/// with Fixtures/pfs/expected.json (metamedian / metafor) to 1e-6 relative.
@Suite("orrmeta pfs --pool iv / --hr")
struct PfsPooledCommandTests {
  static let rtol = 1e-6

  func json(_ r: CLIResult) throws -> [String: Any] {
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  func expectedCases(_ key: String) throws -> [[String: Any]] {
    let e = try #require(try loadFixtureJSON("pfs/expected.json") as? [String: Any])
    return try #require(e[key] as? [[String: Any]])
  }

  func schemaViolations(_ output: String) throws -> [String] {
    let schema = try JSONSchemaSubset(path: fixturePath("../Docs/pfs-iv.schema.json"))
    return schema.violations(of: try JSONSerialization.jsonObject(with: Data(output.utf8)))
  }

  /// Compares a report block's `iv` with an R case.
  func compare(_ iv: [String: Any], _ c: [String: Any], _ name: String) throws -> [String] {
    let r = try #require(c["result"] as? [String: Any])
    let model = try #require(iv["model"] as? [String: Any]), het = try #require(iv["heterogeneity"] as? [String: Any])
    var failures: [String] = []
    for (key, got) in [("estimate", model["estimate"]), ("se", model["se"]), ("ci_lower", model["ci_lower"]), ("ci_upper", model["ci_upper"]),
                       ("pi_lower", model["pi_lower"]), ("pi_upper", model["pi_upper"]), ("pval", model["p_value"]),
                       ("tau2", het["tau2"]), ("q", het["q"]), ("i2", het["i2"]), ("h2", het["h2"])] {
      if let f = closenessFailure("\(name) \(key)", number(got), number(r[key]), rtol: Self.rtol, atol: key == "tau2" || key == "i2" ? 1e-10 : 0) { failures.append(f) }
    }
    let cohorts = try #require(iv["cohorts"] as? [[String: Any]])
    let yi = numbers(c["yi"]), sei = numbers(c["sei"])
    if cohorts.count != yi.count { failures.append("\(name): \(cohorts.count) cohorts, expected \(yi.count)") }
    for (i, row) in cohorts.enumerated() where i < yi.count {
      if let f = closenessFailure("\(name) yi[\(i)]", number(row["yi"]), yi[i], rtol: Self.rtol) { failures.append(f) }
      if let f = closenessFailure("\(name) se[\(i)]", number(row["se"]), sei[i], rtol: Self.rtol) { failures.append(f) }
    }
    if let ratio = iv["ratio"] as? [String: Any] {
      let want = numbers(r["ratio"])
      for (k, key) in ["estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper"].enumerated() {
        if let f = closenessFailure("\(name) ratio \(key)", number(ratio[key]), want[k], rtol: Self.rtol) { failures.append(f) }
      }
    }
    return failures
  }

  @Test("dat.lung: all four estimands, methods and tests match metamedian_survival; output fits the schema")
  func datLung() throws {
    var failures: [String] = []
    for c in try expectedCases("survival") where c["name"] as? String == "dat.lung" {
      let estimand = try #require(c["estimand"] as? String)
      var args = ["pfs", "Fixtures/pfs/dat_lung.csv", "--pool", "iv", "--label-column", "study", "--format", "json",
                  "--method", try #require(c["method"] as? String), "--test", try #require(c["test"] as? String)]
      switch estimand {
      case "median_treat": args += ["--arm", "treat"]
      case "median_ctrl": args += ["--arm", "ctrl"]
      default: args += ["--estimand", estimand]
      }
      let r = try runOrrmeta(args)
      let report = try json(r)
      let overall = try #require(report["overall"] as? [String: Any])
      failures += try compare(try #require(overall["iv"] as? [String: Any]), c, "\(estimand) \(c["method"]!) \(c["test"]!)")
      failures += try schemaViolations(r.stdout)
      let settings = try #require(report["settings"] as? [String: Any])
      #expect(settings["estimand"] as? String == (estimand.hasPrefix("median") ? "median" : estimand))
    }
    #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
  }

  /// Writes a metamedian case's rows as a two-arm CSV, with NR for an upper bound not reached.
  func writeRows(_ rows: [[String: Any]], to path: String) throws {
    var text = "label,median_treat,median_treat_ci_lower,median_treat_ci_upper,median_treat_ci_level,median_ctrl,median_ctrl_ci_lower,median_ctrl_ci_upper,median_ctrl_ci_level\n"
    func cell(_ v: Any?) -> String { let x = number(v); return x.isNaN ? "NR" : "\(x)" }
    for (i, row) in rows.enumerated() {
      let fields = ["c\(i + 1)"] + ["g1", "g2"].flatMap { g in
        [cell(row["med.\(g)"]), cell(row["med.ci.lb.\(g)"]), cell(row["med.ci.ub.\(g)"]), cell(row["med.ci.level.\(g)"])]
      }
      text += fields.joined(separator: ",") + "\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  @Test("random subsets with upper bounds written NR and CI levels 90/95/99 % match metamedian")
  func subsetsWithNR() throws {
    let dir = try temporaryDirectory("pfs-iv")
    var failures: [String] = []
    var notReached = 0
    for (n, c) in try expectedCases("survival").enumerated() where c["name"] as? String != "dat.lung" {
      let path = "\(dir)/case\(n).csv"
      try writeRows(try #require(c["rows"] as? [[String: Any]]), to: path)
      let estimand = try #require(c["estimand"] as? String)
      var args = ["pfs", path, "--pool", "iv", "--format", "json", "--method", try #require(c["method"] as? String), "--test", try #require(c["test"] as? String)]
      switch estimand {
      case "median_treat": args += ["--arm", "treat"]
      case "median_ctrl": args += ["--arm", "ctrl"]
      default: args += ["--estimand", estimand]
      }
      let r = try runOrrmeta(args)
      let iv = try #require((try json(r)["overall"] as? [String: Any])?["iv"] as? [String: Any])
      notReached += (try #require(iv["cohorts"] as? [[String: Any]])).filter { $0["upper_not_reached"] as? Bool == true }.count
      failures += try compare(iv, c, "\(c["name"]!) \(estimand)")
    }
    #expect(notReached > 10)
    #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
  }

  @Test("--hr matches metafor rma on conv.wald's conversion and warns about asymmetric CIs")
  func hazardRatios() throws {
    let dir = try temporaryDirectory("pfs-hr")
    var failures: [String] = []
    var warned = 0
    for (n, c) in try expectedCases("hazard_ratios").enumerated() {
      let hr = numbers(c["hr"]), lb = numbers(c["ci_lower"]), ub = numbers(c["ci_upper"]), lv = numbers(c["level"])
      var text = "trial,hr,hr_ci_lower,hr_ci_upper,hr_ci_level\n"
      for i in hr.indices { text += "T\(i + 1),\(hr[i]),\(lb[i]),\(ub[i]),\(lv[i])\n" }
      let path = "\(dir)/hr\(n).csv"
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      let r = try runOrrmeta(["pfs", path, "--hr", "--format", "json", "--method", try #require(c["method"] as? String), "--test", try #require(c["test"] as? String)])
      let report = try json(r)
      let overall = try #require(report["overall"] as? [String: Any])
      failures += try compare(try #require(overall["iv"] as? [String: Any]), c, try #require(c["name"] as? String))
      failures += try schemaViolations(r.stdout)
      // jsonlite writes a length-1 vector as a scalar.
      let rows = c["flagged_rows"].map { ($0 as? [Any]) ?? [$0] } ?? []
      let flagged = rows.map { "T\(Int(number($0)))" }
      let warnings = try #require(overall["warnings"] as? [String])
      if !flagged.isEmpty {
        warned += 1
        #expect(warnings.contains { $0.contains("halfway") && flagged.allSatisfy($0.contains) }, "\(warnings)")
      } else {
        #expect(!warnings.contains { $0.contains("halfway") })
      }
      #expect((try #require(report["settings"] as? [String: Any]))["estimand"] as? String == "log-hazard-ratio")
    }
    #expect(warned > 0)
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  @Test("the sourced ALK table: IV pooled median PFS and pooled HRs by line match metamedian / metafor")
  func sourcedTable() throws {
    let expected = try #require((try loadFixtureJSON("pfs/expected.json") as? [String: Any])?["alk_sourced"] as? [String: Any])
    for (flag, key) in [(["--pool", "iv"], "median"), (["--hr"], "hr")] {
      let r = try runOrrmeta(["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--by", "line", "--format", "json"] + flag)
      let report = try json(r)
      #expect(try schemaViolations(r.stdout).isEmpty)
      let blocks = [try #require(report["overall"] as? [String: Any])] + (try #require(report["subgroups"] as? [[String: Any]]))
      for b in blocks {
        let line = try #require(b["name"] as? String)
        let want = try #require(expected[line] as? [String: Any])
        guard let result = want[key] as? [String: Any] else {
          #expect(b["iv"] == nil, "\(key) \(line)")
          continue
        }
        let iv = try #require(b["iv"] as? [String: Any])
        let got = try (try #require(iv["cohorts"] as? [[String: Any]])).map { try #require($0["label"] as? String) }
        let wanted = try want["\(key)_labels"].map { try ($0 as? [String]) ?? [#require($0 as? String)] }
        #expect(got == wanted)
        var c: [String: Any] = ["result": result, "yi": [Any](), "sei": [Any]()]
        c["yi"] = (try #require(iv["cohorts"] as? [[String: Any]])).map { $0["yi"]! }
        c["sei"] = (try #require(iv["cohorts"] as? [[String: Any]])).map { $0["se"]! }
        let failures = try compare(iv, c, "\(key) \(line)")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
      }
    }
  }

  @Test("--ci sign-exact adds metamedian's exact interval to every block")
  func signExact() throws {
    let r = try runOrrmeta([
      "pfs", "Fixtures/pfs/dat_lung.csv", "--value-column", "median_treat", "--weights", "n_treat", "--median-method", "interpolated",
      "--ci", "sign-exact", "--bootstrap-replicates", "0", "--format", "json",
    ])
    let overall = try #require(try json(r)["overall"] as? [String: Any])
    #expect(number(overall["weighted_median"]) == 12.1)
    #expect(number(overall["sign_test_exact_ci_lower"]) == 10.9 && number(overall["sign_test_exact_ci_upper"]) == 17.5)
    #expect(abs(number(overall["sign_test_exact_coverage"]) - 0.957226054742932) < 1e-12)
    // By line on the sourced table: every block carries the fields (or a warning when k is too small).
    let byLine = try json(try runOrrmeta(["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--by", "line", "--ci", "sign-exact", "--format", "json"]))
    for b in [byLine["overall"] as Any] + (try #require(byLine["subgroups"] as? [Any])) {
      let block = try #require(b as? [String: Any])
      #expect(block["sign_test_exact_ci_lower"] != nil && block["sign_test_exact_coverage"] != nil)
      #expect(number(block["sign_test_exact_ci_lower"]) <= number(block["weighted_median"]))
      #expect(number(block["sign_test_exact_coverage"]) >= 0.95)
    }
    // Without the flag the fields are absent.
    let plain = try json(try runOrrmeta(["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--format", "json"]))
    #expect((try #require(plain["overall"] as? [String: Any]))["sign_test_exact_ci_lower"] == nil)
  }

  @Test("--by gives one iv block per subgroup; text, Markdown and CSV show the same figures")
  func subgroupsAndFormats() throws {
    let dir = try temporaryDirectory("pfs-by")
    let lung = try String(contentsOfFile: fixturePath("pfs/dat_lung.csv"), encoding: .utf8).split(separator: "\n")
    var text = lung[0] + ",era\n"
    for (i, line) in lung.dropFirst().enumerated() { text += line + (i < 15 ? ",early\n" : ",late\n") }
    let path = "\(dir)/by.csv"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let r = try runOrrmeta(["pfs", path, "--pool", "iv", "--arm", "treat", "--by", "era", "--format", "json"])
    let report = try json(r)
    let groups = try #require(report["subgroups"] as? [[String: Any]])
    #expect(try groups.map { try #require($0["name"] as? String) } == ["early", "late"])
    #expect(try groups.map { try #require(($0["iv"] as? [String: Any])?["k"] as? Int) } == [15, 15])
    #expect(try schemaViolations(r.stdout).isEmpty)
    let estimate = number((try #require((report["overall"] as? [String: Any])?["iv"] as? [String: Any]))["model"].flatMap { ($0 as? [String: Any])?["estimate"] })
    let csv = try runOrrmeta(["pfs", path, "--pool", "iv", "--arm", "treat", "--by", "era", "--format", "csv"])
    #expect(csv.status == 0)
    let pooledRow = try #require(csv.stdout.split(separator: "\n").first { $0.hasPrefix("pooled,") })
    #expect(Double(pooledRow.split(separator: ",", omittingEmptySubsequences: false)[8]) == estimate)
    #expect(csv.stdout.split(separator: "\n").filter { $0.hasPrefix("cohort,") }.count == 30)
    let md = try runOrrmeta(["pfs", path, "--pool", "iv", "--arm", "treat", "--by", "era", "--format", "markdown"])
    #expect(md.status == 0 && md.stdout.contains("| all | 30 | \(String(format: "%.2f", estimate)) |"))
    let txt = try runOrrmeta(["pfs", path, "--pool", "iv", "--arm", "treat", "--by", "era"])
    #expect(txt.status == 0 && txt.stdout.contains(String(format: "%.2f", estimate)) && txt.stdout.contains("early"))
  }

  @Test("--mods: meta-regression of medians, difference and log ratio matches metafor rma.uni(mods =) on metamedian's outcomes")
  func metaRegression() throws {
    let cases = try expectedCases("meta_regression")
    #expect(cases.count == 3)
    let rename = ["n.g1": "n_treat", "n.g2": "n_ctrl"]
    for c in cases {
      let estimand = try #require(c["estimand"] as? String)
      let mods = (try (c["mods"] as? [String]) ?? [#require(c["mods"] as? String)]).map { rename[$0]! }
      var args = ["pfs", "Fixtures/pfs/dat_lung.csv", "--pool", "iv", "--format", "json", "--method", try #require(c["method"] as? String),
                  "--test", try #require(c["test"] as? String), "--mods"] + mods
      args += estimand == "median_treat" ? ["--arm", "treat"] : ["--estimand", estimand]
      let r = try runOrrmeta(args)
      let report = try json(r)
      #expect(try schemaViolations(r.stdout).isEmpty)
      let m = try #require(report["meta_regression"] as? [String: Any])
      let coefficients = try #require(m["coefficients"] as? [[String: Any]])
      #expect(try coefficients.map { try #require($0["name"] as? String) } == ["intrcpt"] + mods)
      var failures: [String] = []
      for (key, column) in [("estimate", "estimate"), ("se", "se"), ("pval", "p_value"), ("ci_lower", "ci_lower"), ("ci_upper", "ci_upper")] {
        for (j, want) in numbers(c[key]).enumerated() {
          if let f = closenessFailure("\(estimand) \(column)[\(j)]", number(coefficients[j][column]), want, rtol: Self.rtol) { failures.append(f) }
        }
      }
      for (key, got) in [("tau2", m["tau2"]), ("qm", m["qm"]), ("qm_p_value", m["qm_p_value"]), ("qe", m["qe"]), ("i2", m["i2"]), ("r2", m["r2"])] {
        if let f = closenessFailure("\(estimand) \(key)", number(got), number(c[key]), rtol: Self.rtol, atol: key == "r2" ? 1e-10 : 0) { failures.append(f) }
      }
      #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
    // A moderator cell that is missing is an error naming file, line and column.
    let dir = try temporaryDirectory("pfs-mods")
    let path = "\(dir)/m.csv"
    try "trial,median_pfs_months,median_pfs_ci_lower,median_pfs_ci_upper,year\nA,10,8,12,2019\nB,11,9,14,\nC,13,10,16,2021\n".write(toFile: path, atomically: true, encoding: .utf8)
    let bad = try runOrrmeta(["pfs", path, "--pool", "iv", "--mods", "year"])
    #expect(bad.status == 65 && bad.stderr.contains(":3:") && bad.stderr.contains("year"), "\(bad.stderr)")
    #expect(try runOrrmeta(["pfs", path, "--mods", "year"]).status == 64)
  }

  @Test("--forest writes an SVG forest plot whose figures are the report's")
  func forest() throws {
    let dir = try temporaryDirectory("pfs-forest")
    let svgPath = "\(dir)/forest.svg"
    let r = try runOrrmeta(["pfs", "Fixtures/pfs/dat_lung.csv", "--pool", "iv", "--arm", "treat", "--label-column", "study", "--forest", svgPath, "--format", "json"])
    let report = try json(r)
    let model = try #require(((report["overall"] as? [String: Any])?["iv"] as? [String: Any])?["model"] as? [String: Any])
    let svg = try XMLTree.parse(try String(contentsOfFile: svgPath, encoding: .utf8))
    #expect(svg.name == "svg")
    #expect(svg.find("g", class: "cohort").count == 30)
    let pooled = try #require(svg.find("g", class: "pooled").first)
    let text = String(format: "%.2f [%.2f, %.2f]", number(model["estimate"]), number(model["ci_lower"]), number(model["ci_upper"]))
    #expect(text == "14.54 [11.93, 17.15]")
    #expect(pooled.text.contains(text), "\(pooled.text)")
    #expect(svg.find("g", class: "prediction-interval").count == 1)
    // HRs: log axis labelled with ratios, one diamond per subgroup and overall.
    let hrPath = "\(dir)/hr.svg"
    #expect(try runOrrmeta(["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--hr", "--by", "line", "--forest", hrPath]).status == 0)
    let hr = try XMLTree.parse(try String(contentsOfFile: hrPath, encoding: .utf8))
    #expect(hr.find("g", class: "pooled").count == 3)
    #expect(hr.find("text", class: "tick-label").map(\.text).contains("1"))
    #expect(hr.find("g", class: "pooled").last!.text.contains("0.374 [0.295, 0.474]"))
    // Only with --pool iv or --hr; never over the input.
    #expect(try runOrrmeta(["pfs", "Fixtures/pfs/dat_lung.csv", "--forest", "\(dir)/x.svg"]).status == 64)
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/x.svg"))
  }

  @Test("rows without a usable median or CI are left out and counted")
  func leftOut() throws {
    let dir = try temporaryDirectory("pfs-left")
    let path = "\(dir)/left.csv"
    try """
      trial,median_pfs_months,median_pfs_ci_lower,median_pfs_ci_upper
      A,10,8,12
      B,NR,20,NR
      C,14,,18
      D,9,7,NA
      E,25,19,NR
      F,12,10,15

      """.write(toFile: path, atomically: true, encoding: .utf8)
    let report = try json(try runOrrmeta(["pfs", path, "--pool", "iv", "--format", "json"]))
    let overall = try #require(report["overall"] as? [String: Any])
    let leftOut = try #require(overall["left_out"] as? [String: Any])
    #expect(leftOut["count"] as? Int == 3)
    #expect(leftOut["labels"] as? [String] == ["B", "C", "D"])
    #expect(leftOut["reasons"] as? [String: Int] == ["median_not_reached": 1, "no_ci_lower": 1, "no_ci_upper": 1])
    let cohorts = try #require((overall["iv"] as? [String: Any])?["cohorts"] as? [[String: Any]])
    #expect(try cohorts.map { try #require($0["label"] as? String) } == ["A", "E", "F"])
    // A level written with a percent sign; E: upper bound NR → SE = (25 - 19) / z.
    let pct = "\(dir)/pct.csv"
    try "trial,median_pfs_months,median_pfs_ci_lower,median_pfs_ci_upper,median_pfs_ci_level\nA,10,8,12,90%\nB,11,9,13,0.9\n".write(toFile: pct, atomically: true, encoding: .utf8)
    let levels = try json(try runOrrmeta(["pfs", pct, "--pool", "iv", "--format", "json"]))
    let ses = (try #require(((levels["overall"] as? [String: Any])?["iv"] as? [String: Any])?["cohorts"] as? [[String: Any]])).map { number($0["se"]) }
    #expect(ses.allSatisfy { abs($0 - 4 / (2 * 1.6448536269514722)) < 1e-12 }, "\(ses)")
    #expect(abs(number(cohorts[1]["se"]) - 6 / 1.959963984540054) < 1e-12 && cohorts[1]["upper_not_reached"] as? Bool == true)
  }

  @Test("bad cells name file, line and column; bad flag combinations are usage errors")
  func errors() throws {
    let dir = try temporaryDirectory("pfs-bad")
    let cases: [(String, [String])] = [
      ("trial,median_pfs_months,median_pfs_ci_lower,median_pfs_ci_upper\nA,10,8,12\nB,11,13,12\n", [":3:", "median_pfs_ci_lower", "upper bound"]),
      ("trial,median_pfs_months,median_pfs_ci_lower,median_pfs_ci_upper\nA,10,8,twelve\n", [":2:", "median_pfs_ci_upper", "twelve"]),
      ("trial,median_pfs_months,median_pfs_ci_lower,median_pfs_ci_upper\nA,10,NR,12\n", [":2:", "median_pfs_ci_lower", "upper bound only"]),
      ("trial,median_pfs_months,median_pfs_ci_lower,median_pfs_ci_upper,median_pfs_ci_level\nA,10,8,12,1.5\n", [":2:", "median_pfs_ci_level"]),
      ("trial,median_pfs_months,median_pfs_ci_lower,median_pfs_ci_upper\nA,10,10,10\n", [":2:", "zero width"]),
      ("trial,median_pfs_months,median_pfs_ci_lower\nA,10,8\n", ["median_pfs_ci_upper"]),
    ]
    for (n, (content, needles)) in cases.enumerated() {
      let path = "\(dir)/bad\(n).csv"
      try content.write(toFile: path, atomically: true, encoding: .utf8)
      let r = try runOrrmeta(["pfs", path, "--pool", "iv"])
      #expect(r.status == 65, "case \(n): \(r.status) \(r.stderr)")
      #expect(r.stderr.contains(path), "case \(n): \(r.stderr)")
      for needle in needles { #expect(r.stderr.contains(needle), "case \(n): '\(needle)' not in \(r.stderr)") }
      #expect(r.stdout.isEmpty)
    }
    let hrPath = "\(dir)/hr.csv"
    try "trial,hr,hr_ci_lower,hr_ci_upper\nA,0.5,0.6,0.4\n".write(toFile: hrPath, atomically: true, encoding: .utf8)
    let hr = try runOrrmeta(["pfs", hrPath, "--hr"])
    #expect(hr.status == 65 && hr.stderr.contains(":2:") && hr.stderr.contains("hr_ci_lower"), "\(hr.stderr)")
    for args in [
      ["--estimand", "difference"], ["--arm", "treat"], ["--pool", "iv", "--ci", "sign-exact"], ["--hr", "--estimand", "median"],
      ["--pool", "iv", "--method", "GLMM"], ["--format", "csv"], ["--pool", "iv", "--estimand", "difference", "--arm", "ctrl"],
    ] {
      let r = try runOrrmeta(["pfs", "Fixtures/pfs/dat_lung.csv"] + args)
      #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
    }
  }
}
