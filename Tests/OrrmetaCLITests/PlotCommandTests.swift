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

  @Test("GOSH, Baujat, cumulative and trim-and-fill say they are not available (exit 70)")
  func unavailable() throws {
    let dir = try temporaryDirectory("orrmeta-unavailable")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/x.svg"
    for kind in ["gosh", "baujat", "cumulative"] {
      let r = try runOrrmeta(["plot", kind, Self.alk, "--out", out])
      #expect(r.status == 70, "\(kind)")
      #expect(r.stderr.hasPrefix("orrmeta: error: plot \(kind) is not available in this build"), "\(r.stderr)")
    }
    var r = try runOrrmeta(["plot", "funnel", Self.alk, "--trim-and-fill", "--out", out])
    #expect(r.status == 70)
    #expect(r.stderr.contains("--trim-and-fill is not available in this build"))
    r = try runOrrmeta(["report", Self.alk, "--analyses", "forest", "gosh", "--out", out])
    #expect(r.status == 70)
    #expect(r.stderr.contains("--analyses gosh is not available in this build"))
    #expect(!FileManager.default.fileExists(atPath: out))
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
    #expect(html.contains("not available in this build"))
    #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
    #expect(!html.contains("<script"))
    // forest only
    #expect(try runOrrmeta(["report", Self.alk, "--analyses", "forest", "--out", out]).status == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8).components(separatedBy: "<svg ").count - 1 == 1)
  }
}
