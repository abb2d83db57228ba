// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta plot` and `orrmeta report` through the real binary: files written, SVG structure,
/// exit codes and messages.
@Suite("orrmeta plot and orrmeta report")
struct PlotCommandTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  @Test("plot forest writes a well-formed SVG with one cohort group per cohort")
  func forest() throws {
    let dir = try temporaryDirectory("orrmeta-forest")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/forest.svg"
    let r = try runOrrmeta(["plot", "forest", Self.alk, "--by", "line", "--method", "DL", "--out", out, "--title", "ALK <NSCLC>"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty)
    let tree = try XMLTree.parse(try String(contentsOfFile: out, encoding: .utf8))
    #expect(tree.find("g", class: "cohort").count == 61)
    #expect(tree.find("g", class: "pooled").count == 4)
    #expect(tree.find("text", class: "plot-title").first?.text == "ALK <NSCLC>")
  }

  @Test("--out - writes the SVG to standard output")
  func standardOutput() throws {
    let r = try runOrrmeta(["plot", "forest", Self.alk, "--out", "-"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
    #expect(try XMLTree.parse(r.stdout).find("g", class: "cohort").count == 61)
  }

  @Test("plot funnel with contours")
  func funnel() throws {
    let dir = try temporaryDirectory("orrmeta-funnel")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/funnel.svg"
    let r = try runOrrmeta(["plot", "funnel", Self.alk, "--contours", "--null", "40", "--out", out])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let tree = try XMLTree.parse(try String(contentsOfFile: out, encoding: .utf8))
    #expect(tree.find("g", class: "cohort").count == 61)
    #expect(tree.find("polygon", class: "contour").count == 3)
  }

  @Test("usage errors (64) and a funnel without an inverse-variance fit (70); nothing written")
  func usage() throws {
    let dir = try temporaryDirectory("orrmeta-usage")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/x.svg"
    var r = try runOrrmeta(["plot", "funnel", Self.alk, "--by", "line", "--out", out])
    #expect(r.status == 64)
    #expect(r.stderr.contains("--by applies to the forest plot and the report"))
    r = try runOrrmeta(["plot", "funnel", Self.alk, "--contour-levels", "95", "120", "--out", out])
    #expect(r.status == 64)
    #expect(r.stderr.contains("--contour-levels 120.0 is invalid"))
    r = try runOrrmeta(["plot", "funnel", Self.alk, "--null", "0", "--out", out])
    #expect(r.status == 64)
    r = try runOrrmeta(["plot", "forest", Self.alk])
    #expect(r.status == 64)
    #expect(r.stderr.contains("--out"))
    r = try runOrrmeta(["plot", "funnel", Self.alk, "--method", "pooled", "--out", out])
    #expect(r.status == 70)
    #expect(r.stderr.contains("a funnel plot needs an inverse-variance model"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// The labels of the ALK cohorts in file order.
  static func alkLabels() throws -> [String] {
    let r = try runOrrmeta(["pool", Self.alk, "--format", "json"])
    let d = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    return try (try #require(d["studies"] as? [[String: Any]])).map { try #require($0["label"] as? String) }
  }

  @Test("plot baujat: one labelled point per cohort, axis titles, the model in the footnote")
  func baujat() throws {
    let r = try runOrrmeta(["plot", "baujat", Self.alk, "--out", "-", "--title", "Baujat <ALK>"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let tree = try XMLTree.parse(r.stdout)
    let points = tree.find("g", class: "cohort")
    #expect(points.count == 61)
    #expect(Set(points.compactMap(\.tooltip).map { String($0.prefix { $0 != ":" }) }) == Set(try Self.alkLabels()))
    #expect(tree.find("g", class: "x-axis").first?.find("text", class: "axis-title").first?.text == "Contribution to overall heterogeneity")
    #expect(tree.find("g", class: "y-axis").first?.find("text", class: "axis-title").first?.text == "Influence on overall result")
    #expect(tree.find("text", class: "plot-title").first?.text == "Baujat <ALK>")
    #expect(tree.find("text", class: "footnote").first?.text.contains("restricted maximum likelihood") == true)
  }

  @Test("plot cumulative: one step per cohort, in --order-by order")
  func cumulative() throws {
    let dir = try temporaryDirectory("orrmeta-cumulative")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/cumulative.svg"
    let r = try runOrrmeta(["plot", "cumulative", Self.alk, "--order-by", "n", "--method", "DL", "--out", out])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let tree = try XMLTree.parse(try String(contentsOfFile: out, encoding: .utf8))
    let steps = tree.find("g", class: "step")
    #expect(steps.count == 61)
    // metafor cumul(order = ni): the same order as the fixture's.
    let fixture = try #require(try loadFixtureJSON("sensitivity/alk_PLO.json") as? [String: Any])
    let order = numbers((try #require((fixture["cases"] as? [[String: Any]])?[0]["cumul"] as? [String: Any]))["order"]).map { Int($0) }
    let labels = try Self.alkLabels()
    #expect(zip(steps, order).allSatisfy { step, i in step.tooltip?.hasPrefix("after adding \(labels[i]):") == true })
    #expect(tree.find("g", class: "x-axis").first?.find("text", class: "tick-label").map(\.text).allSatisfy { $0.hasSuffix("%") } == true)
    #expect(tree.find("text", class: "footnote").first?.text.hasPrefix("cohorts added in ascending order of n") == true)
  }

  @Test("plot gosh: a density of the subsets, the full model, percent ticks; identical for any --jobs")
  func gosh() throws {
    let dir = try temporaryDirectory("orrmeta-gosh-plot")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r1 = try runOrrmeta(["plot", "gosh", Self.alk, "--subsets", "2000", "--seed", "3", "--jobs", "1", "--out", dir + "/a.svg"])
    let r4 = try runOrrmeta(["plot", "gosh", Self.alk, "--subsets", "2000", "--seed", "3", "--jobs", "4", "--out", dir + "/b.svg"])
    #expect(r1.status == 0 && r4.status == 0, "\(r1.stderr) \(r4.stderr)")
    let text = try String(contentsOfFile: dir + "/a.svg", encoding: .utf8)
    #expect(text == (try String(contentsOfFile: dir + "/b.svg", encoding: .utf8)))
    let tree = try XMLTree.parse(text)
    let bins = tree.find("rect", class: "bin")
    #expect(!bins.isEmpty)
    let counted = bins.compactMap { $0.tooltip.flatMap { Int($0.replacingOccurrences(of: ",", with: "")) } }.reduce(0, +)
    #expect(counted == 2000)
    #expect(tree.find("g", class: "full-model").count == 1)
    #expect(tree.find("g", class: "x-axis").first?.find("text", class: "tick-label").map(\.text).allSatisfy { $0.hasSuffix("%") } == true)
    #expect(tree.find("g", class: "x-axis").first?.find("text", class: "axis-title").first?.text == "Pooled proportion (%) on the logit proportion scale (PLO)")
    let note = tree.find("text", class: "footnote").first?.text ?? ""
    #expect(note.contains("2,000 subsets") && note.contains("random subsets (seed 3) of 61 cohorts"), "\(note)")
  }

  @Test("plot funnel --trim-and-fill: the imputed cohorts and the adjusted estimate")
  func funnelTrimAndFill() throws {
    let r = try runOrrmeta(["plot", "funnel", Self.alk, "--trim-and-fill", "--out", "-"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let tree = try XMLTree.parse(r.stdout)
    #expect(tree.find("g", class: "cohort").count == 61)
    let s = try runOrrmeta(["sensitivity", Self.alk, "--trimfill", "--format", "json"])
    let k0 = try #require(((try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as? [String: Any])?["trimfill"] as? [String: Any])?["k0"] as? Int)
    #expect(k0 == 1)
    #expect(tree.find("g", class: "imputed").count == k0)
    #expect(tree.find(class: "adjusted-estimate").count == 1)
    #expect(tree.find("text", class: "footnote").first?.text.contains("trim-and-fill (L0, left side): 1 cohort(s) imputed") == true)
  }

  @Test("sensitivity plots need an inverse-variance model and no --by (64)")
  func sensitivityPlotUsage() throws {
    let dir = try temporaryDirectory("orrmeta-sens-usage")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/x.svg"
    for kind in ["gosh", "baujat", "cumulative"] {
      var r = try runOrrmeta(["plot", kind, Self.alk, "--method", "pooled", "--out", out])
      #expect(r.status == 64, "\(kind)")
      #expect(r.stderr.contains("--method pooled cannot be used for plot \(kind)"), "\(r.stderr)")
      r = try runOrrmeta(["plot", kind, Self.alk, "--by", "line", "--out", out])
      #expect(r.status == 64, "\(kind)")
    }
    var r = try runOrrmeta(["plot", "funnel", Self.alk, "--trim-and-fill", "--method", "GLMM", "--out", out])
    #expect(r.status == 64)
    r = try runOrrmeta(["plot", "cumulative", Self.alk, "--order-by", "year", "--out", out])
    #expect(r.status == 65)
    #expect(r.stderr.contains(":52: column 'year'"))
    r = try runOrrmeta(["report", Self.alk, "--analyses", "forest,bogus", "--out", out])
    #expect(r.status == 64)
    #expect(r.stderr.contains("--analyses bogus is invalid"))
    r = try runOrrmeta(["report", Self.alk, "--analyses", "forest", "gosh", "--method", "pooled", "--out", out])
    #expect(r.status == 64)
    r = try runOrrmeta(["report", Self.alk, "--order-by", "n", "--out", out])
    #expect(r.status == 64)
    #expect(r.stderr.contains("--order-by applies to --analyses cumulative"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("report with every sensitivity analysis (comma-separated --analyses)")
  func reportSensitivity() throws {
    let dir = try temporaryDirectory("orrmeta-report-sens")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/report.html"
    let r = try runOrrmeta([
      "report", Self.alk, "--analyses", "forest,funnel,leave-one-out,cumulative,baujat,gosh,trim-and-fill",
      "--subsets", "1000", "--order-by", "n", "--out", out,
    ])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let html = try String(contentsOfFile: out, encoding: .utf8)
    for h in ["<h3>Leave-one-out</h3>", "<h3>Trim-and-fill</h3>", "<h3>Cumulative meta-analysis</h3>", "<h3>Baujat plot</h3>", "<h3>GOSH</h3>"] {
      #expect(html.contains(h), "missing \(h)")
    }
    // forest, funnel, cumulative, Baujat, GOSH
    #expect(html.components(separatedBy: "<svg ").count - 1 == 5)
    #expect(html.contains("1 cohort(s) imputed on the left side"))
    #expect(html.contains("class=\"imputed\""))
    #expect(!html.contains("not available in this build"))
    #expect(!html.contains("<script"))
  }

  @Test("input and output errors keep their exit codes")
  func inputErrors() throws {
    let dir = try temporaryDirectory("orrmeta-input")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runOrrmeta(["plot", "forest", dir + "/missing.csv", "--out", dir + "/f.svg"]).status == 66)
    #expect(try runOrrmeta(["plot", "forest", Self.alk, "--out", dir + "/no/such/dir/f.svg"]).status == 73)
  }

  @Test("report writes one self-contained HTML file")
  func report() throws {
    let dir = try temporaryDirectory("orrmeta-report")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/report.html"
    let r = try runOrrmeta(["report", Self.alk, "--by", "line", "--test", "knha", "--contours", "--out", out])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let html = try String(contentsOfFile: out, encoding: .utf8)
    #expect(html.contains("<section id=\"subgroups\">"))
    #expect(html.contains("No sensitivity analyses were requested."))
    #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
    #expect(!html.contains("<script"))
    // forest only
    #expect(try runOrrmeta(["report", Self.alk, "--analyses", "forest", "--out", out]).status == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8).components(separatedBy: "<svg ").count - 1 == 1)
  }
}
