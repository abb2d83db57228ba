// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport
@testable import OrrmetaCLI

@Suite("orrmeta plot and orrmeta report")
struct PlotCommandTests {
  let alk = fixturePath("alk-nsclc/cohorts.csv")

  @Test("plot forest writes a well-formed SVG with one cohort group per cohort")
  func forest() throws {
    let dir = try temporaryDirectory("forest")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("forest.svg").path
    #expect(runOrrmeta(["plot", "forest", alk, "--by", "line", "--method", "DL", "--out", out, "--title", "ALK <NSCLC>"]) == 0)
    let tree = try XMLTree.parse(try String(contentsOfFile: out, encoding: .utf8))
    #expect(tree.find("g", class: "cohort").count == 61)
    #expect(tree.find("g", class: "pooled").count == 4)
    #expect(tree.find("text", class: "plot-title").first?.text == "ALK <NSCLC>")
  }

  @Test("plot funnel with contours")
  func funnel() throws {
    let dir = try temporaryDirectory("funnel")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("funnel.svg").path
    #expect(runOrrmeta(["plot", "funnel", alk, "--contours", "--null", "40", "--out", out]) == 0)
    let tree = try XMLTree.parse(try String(contentsOfFile: out, encoding: .utf8))
    #expect(tree.find("g", class: "cohort").count == 61)
    #expect(tree.find("polygon", class: "contour").count == 3)
  }

  @Test("usage errors: --by with funnel, bad contour levels, bad --null; simple pooling has no funnel")
  func usage() throws {
    let dir = try temporaryDirectory("usage")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("x.svg").path
    #expect(runOrrmeta(["plot", "funnel", alk, "--by", "line", "--out", out]) == 64)
    #expect(runOrrmeta(["plot", "funnel", alk, "--contour-levels", "95", "120", "--out", out]) == 64)
    #expect(runOrrmeta(["plot", "funnel", alk, "--null", "0", "--out", out]) == 64)
    #expect(runOrrmeta(["plot", "forest", alk]) == 64)  // --out is required
    #expect(runOrrmeta(["plot", "funnel", alk, "--method", "pooled", "--out", out]) == 70)
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("GOSH, Baujat, cumulative and trim-and-fill say they are not available (exit 70)")
  func unavailable() throws {
    let dir = try temporaryDirectory("unavailable")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("x.svg").path
    for kind in ["gosh", "baujat", "cumulative"] {
      #expect(runOrrmeta(["plot", kind, alk, "--out", out]) == 70, "\(kind)")
    }
    #expect(runOrrmeta(["plot", "funnel", alk, "--trim-and-fill", "--out", out]) == 70)
    #expect(runOrrmeta(["report", alk, "--analyses", "forest", "gosh", "--out", out]) == 70)
    #expect(!FileManager.default.fileExists(atPath: out))
    let e = UnavailableFeature.sensitivity("plot gosh")
    #expect(e.description.hasPrefix("plot gosh is not available in this build"))
  }

  @Test("input errors keep their exit codes")
  func inputErrors() throws {
    let dir = try temporaryDirectory("input")
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(runOrrmeta(["plot", "forest", dir.appendingPathComponent("missing.csv").path, "--out", dir.appendingPathComponent("f.svg").path]) == 66)
    #expect(runOrrmeta(["plot", "forest", alk, "--out", dir.appendingPathComponent("no/such/dir/f.svg").path]) == 73)
  }

  @Test("report writes one self-contained HTML file")
  func report() throws {
    let dir = try temporaryDirectory("report")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("report.html").path
    #expect(runOrrmeta(["report", alk, "--by", "line", "--test", "knha", "--contours", "--out", out]) == 0)
    let html = try String(contentsOfFile: out, encoding: .utf8)
    #expect(html.contains("<section id=\"subgroups\">"))
    #expect(html.contains("not available in this build"))
    #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
    #expect(!html.contains("<script"))
    // forest only
    #expect(runOrrmeta(["report", alk, "--analyses", "forest", "--out", out]) == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8).components(separatedBy: "<svg ").count - 1 == 1)
  }
}
