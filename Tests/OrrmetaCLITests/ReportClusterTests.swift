// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `orrmeta report --cluster`: the report of the three-level model shows the numbers of
/// `pool --cluster` and `sensitivity --cluster`, formatted by `Fmt`, and refuses what has no
/// cluster version with exit 64.
@Suite("report --cluster: the three-level model")
struct ReportClusterTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  func json(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(args + ["--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  /// The text of an HTML fragment, tags removed and entities decoded.
  func text(_ html: Substring) -> String {
    String(html).replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
  }

  /// The text of a `<section id="…">`.
  func section(_ html: String, id: String) -> String? {
    guard let start = html.range(of: "<section id=\"\(id)\"") else { return nil }
    let rest = html[start.upperBound...]
    return text(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
  }

  /// The text between an `<h3>` heading and the next one.
  func subsection(_ html: String, _ heading: String) -> String? {
    guard let start = html.range(of: "<h3>\(heading)</h3>") else { return nil }
    let rest = html[start.upperBound...]
    let end = rest.range(of: "<h3>")?.lowerBound ?? rest.range(of: "</section>")?.lowerBound ?? rest.endIndex
    return text(rest[..<end])
  }

  func report(_ args: [String]) throws -> String {
    let dir = try temporaryDirectory("report-cluster")
    let out = dir + "/report.html"
    let r = try runOrrmeta(["report", Self.alk, "--cluster", "trial"] + args + ["--out", out])
    #expect(r.status == 0, "\(r.stderr)")
    return try String(contentsOfFile: out, encoding: .utf8)
  }

  @Test("settings, forest plot and the multilevel block carry the numbers of pool --cluster")
  func poolNumbers() throws {
    let html = try report([])
    let pool = try json(["pool", Self.alk, "--cluster", "trial"])
    let settings = try #require(section(html, id: "settings"))
    #expect(settings.contains("Cluster column") && settings.contains("trial (three-level model"))
    #expect(settings.contains(try #require((pool["settings"] as? [String: Any])?["method_name"] as? String)))

    let pooled = try #require(section(html, id: "pooled"))
    let p = try #require(pool["pooled"] as? [String: Any]), model = try #require(pool["model"] as? [String: Any])
    for x in [p["proportion"], p["ci_lower"], p["ci_upper"], p["pi_lower"], p["pi_upper"]] {
      #expect(pooled.contains(Fmt.percent(number(x), 2)), "\(pooled)")
    }
    #expect(pooled.contains(Fmt.f(number(model["estimate"]), 4)) && pooled.contains(Fmt.f(number(model["se"]), 4)))

    let ml = try #require(pool["multilevel"] as? [String: Any])
    let block = try #require(section(html, id: "multilevel"))
    #expect(block.contains("Three-level model"))
    for l in try #require(ml["levels"] as? [[String: Any]]) {
      let row = "\(try #require(l["name"] as? String)) \(try #require(l["count"] as? Int)) \(Fmt.f(number(l["sigma2"]), 4)) \(Fmt.f(number(l["sigma2_ci_lower"]), 4)) – \(Fmt.f(number(l["sigma2_ci_upper"]), 4)) \(Fmt.f(number(l["i2"]), 2))%"
      #expect(block.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression).contains(row), "\(row) not in \(block)")
    }
    let lrt = try #require(ml["lrt_vs_two_level"] as? [String: Any])
    #expect(block.contains("\(Fmt.f(number(ml["i2_total"]), 2))%"))
    #expect(block.contains(Fmt.f(number(ml["log_likelihood"]), 4)))
    #expect(block.contains("χ²(1) = \(Fmt.f(number(lrt["statistic"]), 4)), \(Fmt.pClause(number(lrt["p_value"])))"), "\(block)")

    // The clustered forest plot (cohorts under their trial) and no funnel plot.
    let plots = try #require(html.range(of: "<section id=\"plots\"").map { String(html[$0.lowerBound...]) })
    #expect(plots.contains("<svg") && plots.contains("trial = PROFILE 1001"))
    #expect(plots.contains("No funnel plot") && !plots.contains("Funnel plot:"))
    #expect(try #require(section(html, id: "sensitivity")).contains("No sensitivity analyses were requested."))
  }

  @Test("the cluster diagnostics carry the numbers of sensitivity --cluster")
  func clusterDiagnostics() throws {
    let html = try report(["--analyses", "forest,leave-one-out,influence,cumulative,bias"])
    let s = try json(["sensitivity", Self.alk, "--cluster", "trial", "--leave-one-out", "--influence", "--cumulative", "--bias"])
    func squeeze(_ t: String) -> String { t.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression) }
    func row(_ x: [String: Any]) throws -> String {
      let sigma = (try #require(x["sigma2"] as? [Any])).map { Fmt.f(number($0), 4) }.joined(separator: " ")
      return "\(try #require(x["label"] as? String)) \(try #require(x["cohorts"] as? Int)) \(Fmt.f(number(x["estimate"]), 4)) \(Fmt.f(number(x["se"]), 4)) \(Fmt.f(number(x["ci_lower"]), 4)) – \(Fmt.f(number(x["ci_upper"]), 4)) \(Fmt.percent(number(x["proportion"]))) \(sigma)"
    }
    let loo = squeeze(try #require(subsection(html, "Leave one trial out")))
    let looRows = try #require(s["leave_one_cluster_out"] as? [[String: Any]])
    #expect(looRows.count == 35)
    for x in looRows {
      let r = try row(x)
      #expect(loo.contains(r), "\(r)")
    }

    let cum = squeeze(try #require(subsection(html, "Cumulative by trial")))
    for x in try #require(s["cumulative"] as? [[String: Any]]) {
      let r = try row(x)
      #expect(cum.contains(r), "\(r)")
    }

    let inf = squeeze(try #require(subsection(html, "Influence per trial")))
    for x in try #require(s["influence"] as? [[String: Any]]) {
      let change = (try #require(x["sigma2_change"] as? [Any])).map { Fmt.f(number($0), 4) }.joined(separator: " ")
      let r = "\(try #require(x["label"] as? String)) \(Fmt.f(number(x["cooks_distance"]), 4)) \(Fmt.f(number(x["dfbetas"]), 4)) \(change)"
      #expect(inf.contains(r), "\(r)")
    }

    let egger = try #require(subsection(html, "Multilevel Egger test"))
    let b = try #require(s["bias"] as? [String: Any])
    #expect(egger.contains("Slope on √vi \(Fmt.f(number(b["slope"]), 4)) (SE \(Fmt.f(number(b["se"]), 4)))"), "\(egger)")
    #expect(egger.contains("statistic \(Fmt.f(number(b["statistic"]), 3)), \(Fmt.pClause(number(b["p_value"])))"))
    // The two-level tables are absent.
    #expect(subsection(html, "Leave-one-out") == nil && subsection(html, "Small-study effects") == nil)
  }

  @Test("analyses without a cluster version are usage errors naming them", arguments: [
    (["--analyses", "forest,funnel"], "funnel"),
    (["--analyses", "forest,baujat"], "baujat"),
    (["--analyses", "forest", "gosh"], "gosh"),
    (["--analyses", "forest,trim-and-fill"], "trim-and-fill"),
    (["--analyses", "forest,bootstrap"], "bootstrap"),
    (["--trim-and-fill"], "--trim-and-fill"),
    (["--mods", "line"], "--mods"),
    (["--by", "line"], "--by"),
    (["--analyses", "forest,cumulative", "--order-by", "n"], "--order-by"),
  ])
  func refused(_ args: [String], _ named: String) throws {
    let dir = try temporaryDirectory("report-cluster-refused")
    let out = dir + "/report.html"
    let r = try runOrrmeta(["report", Self.alk, "--cluster", "trial"] + args + ["--out", out])
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains(named) && r.stderr.contains("not available with the three-level model"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("a missing cluster column and a method without the three-level model fail without output")
  func inputErrors() throws {
    let dir = try temporaryDirectory("report-cluster-errors")
    let out = dir + "/report.html"
    let missing = try runOrrmeta(["report", Self.alk, "--cluster", "study", "--out", out])
    #expect(missing.status != 0 && missing.stderr.contains("study"), "\(missing.stderr)")
    let dl = try runOrrmeta(["report", Self.alk, "--cluster", "trial", "--method", "DL", "--out", out])
    #expect(dl.status != 0 && dl.stderr.contains("REML"), "\(dl.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
