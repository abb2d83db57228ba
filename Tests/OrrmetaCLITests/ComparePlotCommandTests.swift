// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta plot compare-forest` and `compare-funnel` on dat.bcg (Fixtures/compare/bcg.csv):
/// the drawn numbers are those of `orrmeta compare --format json` and metafor's (rma.mh RR
/// 0.6353 [0.5881, 0.6862], metafor's tests against Stata), both arms' counts are shown, and
/// the axes are on the ratio scale.
@Suite("orrmeta plot compare-forest and compare-funnel")
struct ComparePlotCommandTests {
  static let bcg = "Fixtures/compare/bcg.csv"

  func draw(_ args: [String]) throws -> XMLTree {
    let dir = try temporaryDirectory("orrmeta-compare-plot")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/plot.svg"
    let r = try runOrrmeta(["plot"] + args + ["--out", out])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try XMLTree.parse(try String(contentsOfFile: out, encoding: .utf8))
  }

  func compareJSON(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(["compare", Self.bcg] + args + ["--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  @Test("forest: both arms' events/N per trial, each trial's RR and weight as compare reports, the MH diamond as metafor's")
  func forestMH() throws {
    let tree = try draw(["compare-forest", Self.bcg, "--measure", "RR", "--method", "MH"])
    let trials = tree.find("g", class: "trial")
    #expect(trials.count == 13)
    let first = try #require(trials.first)
    #expect(first.find("text", class: "arm-treat").first?.text == "4/123")
    #expect(first.find("text", class: "arm-control").first?.text == "11/139")
    #expect(first.find("text", class: "label").first?.text == "Aronson 1948")
    // Per-trial numbers: compare's JSON, formatted with 2 decimals (effects) and 1 (weights).
    let json = try compareJSON(["--measure", "RR", "--method", "MH"])
    let rows = try #require(json["trials"] as? [[String: Any]])
    for (g, row) in zip(trials, rows) {
      let e = try #require(row["effect"] as? Double), lo = try #require(row["effect_ci_lower"] as? Double)
      let hi = try #require(row["effect_ci_upper"] as? Double), w = try #require(row["weight"] as? Double)
      let texts = g.find("text").map(\.text)
      #expect(texts.contains(String(format: "%.2f [%.2f, %.2f]", e, lo, hi)), "\(texts)")
      #expect(texts.contains(String(format: "%.1f%%", w)), "\(texts)")
    }
    // The pooled MH risk ratio (metafor: 0.6353 [0.5881, 0.6862]) and both arms' totals.
    let pooled = try #require(tree.find("g", class: "pooled").first)
    #expect(pooled.classes.contains("common"))
    let texts = pooled.find("text").map(\.text)
    #expect(texts.contains("Common-effect model (Mantel-Haenszel)"))
    #expect(texts.contains("0.64 [0.59, 0.69]"))
    #expect(texts.contains("1065/191064") && texts.contains("1510/166283"))
    #expect(tree.find("g", class: "prediction-interval").isEmpty)
    // A log axis labelled in ratios, the null line at RR = 1 on the tick "1".
    let ticks = tree.find("g", class: "x-axis").first?.find("text", class: "tick-label").map(\.text)
    #expect(ticks == ["0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"])
    let tick1 = try #require(tree.find("g", class: "x-axis").first?.find("text", class: "tick-label").first { $0.text == "1" })
    let null = try #require(tree.find("line", class: "null-line").first)
    #expect(null.attributes["x1"] == tick1.attributes["x"])
    #expect(tree.find("text", class: "axis-title").first?.text == "Risk ratio (log scale)")
  }

  @Test("forest with --by and a random-effects method: subgroup blocks, EE and REML diamonds, the prediction interval")
  func forestSubgroups() throws {
    let tree = try draw(["compare-forest", Self.bcg, "--measure", "OR", "--method", "REML", "--by", "alloc", "--treat-label", "BCG", "--control-label", "No BCG"])
    #expect(tree.find("g", class: "trial").count == 13)
    #expect(tree.find("g", class: "subgroup-title").map(\.text) == ["alloc = random", "alloc = alternate", "alloc = systematic"])
    #expect(tree.find("g", class: "subgroup").count == 3)
    let json = try compareJSON(["--measure", "OR", "--method", "REML"])
    let p = try #require(json["pooled"] as? [String: Any])
    let main = try #require(tree.find("g", class: "pooled").last { !$0.classes.contains("subgroup") })
    #expect(main.classes.contains("random"))
    let estimate = try #require(p["estimate"] as? Double), ciLower = try #require(p["ci_lower"] as? Double), ciUpper = try #require(p["ci_upper"] as? Double)
    #expect(main.find("text").map(\.text).contains(String(format: "%.2f [%.2f, %.2f]", estimate, ciLower, ciUpper)))
    let pi = try #require(tree.find("g", class: "prediction-interval").first)
    let piLower = try #require(p["pi_lower"] as? Double), piUpper = try #require(p["pi_upper"] as? Double)
    #expect(pi.find("text").map(\.text).contains(String(format: "[%.2f, %.2f]", piLower, piUpper)))
    #expect(tree.find("g", class: "pooled").filter { $0.classes.contains("common") }.count == 1)
    #expect(tree.find("g", class: "arms").first?.find("text").map(\.text) == ["BCG", "No BCG"])
  }

  @Test("forest of the long cohort table: arm names as column headers")
  func forestLong() throws {
    let tree = try draw(["compare-forest", "Fixtures/alk-nsclc/cohorts.csv", "--arm", "drug", "--trial", "trial", "--treat", "alectinib", "--control", "crizotinib", "--measure", "RR"])
    #expect(tree.find("g", class: "trial").map { $0.find("text", class: "label").first?.text } == ["ALEX", "ALESIA", "J-ALEX"])
    #expect(tree.find("g", class: "arms").first?.find("text").map(\.text) == ["alectinib", "crizotinib"])
    #expect(tree.find("g", class: "trial").first?.find("text", class: "arm-treat").first?.text == "126/152")
  }

  @Test("funnel: one point per trial, contours around no difference, trim-and-fill trials as compare --trimfill")
  func funnel() throws {
    let tree = try draw(["compare-funnel", Self.bcg, "--measure", "RR", "--method", "REML", "--contours", "--trim-and-fill"])
    #expect(tree.find("g", class: "cohort").count == 13)
    #expect(tree.find("polygon", class: "contour").count == 3)
    let json = try compareJSON(["--measure", "RR", "--method", "REML", "--trimfill"])
    let k0 = try #require((json["trimfill"] as? [String: Any])?["k0"] as? Int)
    #expect(k0 == 1)
    #expect(tree.find("g", class: "imputed").count == k0)
    let ticks = tree.find("g", class: "x-axis").first?.find("text", class: "tick-label").map(\.text) ?? []
    #expect(ticks.contains("1") && ticks.contains("0.5") && ticks.contains("2"), "\(ticks)")
  }

  @Test("usage errors: trim-and-fill with MH (not defined for rma.mh), --by on the funnel; nothing written")
  func usage() throws {
    let dir = try temporaryDirectory("orrmeta-compare-plot-usage")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/x.svg"
    var r = try runOrrmeta(["plot", "compare-funnel", Self.bcg, "--method", "MH", "--trim-and-fill", "--out", out])
    #expect(r.status == 64)
    #expect(r.stderr.contains("not defined for rma.mh"))
    r = try runOrrmeta(["plot", "compare-funnel", Self.bcg, "--by", "alloc", "--out", out])
    #expect(r.status == 64)
    r = try runOrrmeta(["plot", "compare-forest", Self.bcg, "--method", "Peto", "--measure", "RR", "--out", out])
    #expect(r.status != 0)
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
