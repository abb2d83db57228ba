// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// The HTML report includes Egger/Peters/Begg, influence diagnostics, the bootstrap and the
/// meta-regression when asked, with the numbers of `sensitivity` and `regress` (issue 12, item 16).
@Suite("report: small-study tests, influence, bootstrap, meta-regression")
struct ReportAnalysesTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  func json(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(args + ["--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  /// The text of the report's HTML between a heading and the next one, tags removed.
  func section(_ html: String, _ heading: String) -> String? {
    guard let start = html.range(of: "<h3>\(heading)</h3>") else { return nil }
    let rest = html[start.upperBound...]
    let end = rest.range(of: "<h3>")?.lowerBound ?? rest.range(of: "</section>")?.lowerBound ?? rest.endIndex
    return String(rest[..<end]).replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
      .replacingOccurrences(of: "&lt;", with: "<")
  }

  @Test("the sections appear with the numbers of orrmeta sensitivity and orrmeta regress")
  func sections() throws {
    let dir = try temporaryDirectory("report-analyses")
    let out = dir + "/report.html"
    let r = try runOrrmeta([
      "report", Self.alk, "--analyses", "forest,bias,influence,bootstrap", "--bootstrap-resamples", "200", "--seed", "5",
      "--mods", "line", "--out", out,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let html = try String(contentsOfFile: out, encoding: .utf8)
    let sens = try json(["sensitivity", Self.alk, "--bias", "--influence", "--bootstrap", "200", "--seed", "5"])

    let bias = try #require(section(html, "Small-study effects"))
    let egger = try #require((sens["bias"] as? [String: Any])?["egger"] as? [String: Any])
    let p = number(egger["p_value"])
    #expect(bias.contains(p < 0.0001 ? "<.0001" : String(format: "%.4f", p)), "\(bias)")
    #expect(bias.contains("Egger") && bias.contains("Peters") && bias.contains("Begg"))

    let influence = try #require(section(html, "Influence diagnostics"))
    let first = (try #require(sens["influence"] as? [[String: Any]]))[0]
    #expect(influence.contains(try #require(first["label"] as? String)))
    #expect(influence.contains(String(format: "%.4f", number(first["rstudent"]))), "\(influence.prefix(400))")
    #expect(influence.contains(String(format: "%.4f", number(first["dffits"]))))
    #expect(influence.contains("1.8e-05"))  // Cook's D of the first cohort: not a false 0.0000

    let boot = try #require(section(html, "Bootstrap"))
    let b = try #require(sens["bootstrap"] as? [String: Any])
    let lo = number(b["proportion_ci_lower"] ?? b["proportionCILower"])
    #expect(boot.contains("200 resamples"))
    #expect(boot.contains(String(format: "%.1f", 100 * lo)), "\(boot)")

    let reg = try json(["regress", Self.alk, "--mods", "line"])
    let fit = try #require(reg["meta_regression"] as? [String: Any])
    let coef = (try #require(fit["coefficients"] as? [[String: Any]]))[1]
    let meta = try #require(section(html, "Meta-regression"))
    #expect(meta.contains(try #require(coef["name"] as? String)))
    #expect(meta.contains(String(format: "%.4f", number(coef["estimate"]))), "\(meta.prefix(500))")
    #expect(meta.contains("R² = \(String(format: "%.1f", number(fit["r2"])))%"))
  }

  @Test("without those analyses the report has none of the sections")
  func absent() throws {
    let r = try runOrrmeta(["report", Self.alk, "--out", "-"])
    #expect(r.status == 0)
    for h in ["Small-study effects", "Influence diagnostics", "Bootstrap", "Meta-regression"] {
      #expect(!r.stdout.contains("<h3>\(h)</h3>"))
    }
  }
}
