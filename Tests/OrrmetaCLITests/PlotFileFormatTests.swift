// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// Plots as PNG and PDF (rsvg-convert) and the forest plot's presentation options (issue 12,
/// item 17). rsvg-convert is installed by scripts/ensure-deps.sh.
@Suite("plot: PNG, PDF and forest options")
struct PlotFileFormatTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  /// PNG width and height from the IHDR chunk.
  func pngSize(_ d: Data) -> (Int, Int) {
    let b = [UInt8](d)
    func be32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
    return (be32(16), be32(20))
  }

  @Test("--out f.png writes a PNG, --out f.pdf a PDF, --plot-format overrides the extension")
  func formats() throws {
    let dir = try temporaryDirectory("plot-formats")
    let png = dir + "/forest.png", pdf = dir + "/forest.pdf", other = dir + "/forest.img", svg = dir + "/forest.svg"
    for (args, path) in [(["--out", png], png), (["--out", pdf], pdf), (["--out", other, "--plot-format", "png"], other), (["--out", svg], svg)] {
      let r = try runOrrmeta(["plot", "forest", Self.alk] + args)
      #expect(r.status == 0, "\(r.stderr)")
      #expect(FileManager.default.fileExists(atPath: path))
    }
    let p = try Data(contentsOf: URL(fileURLWithPath: png))
    #expect(Array(p.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(p.count > 20_000, "\(p.count) bytes")
    // 150 dpi: twice the SVG's 72-dpi pixel size (rounded up by rsvg-convert).
    let svgText = try String(contentsOfFile: svg, encoding: .utf8)
    let width = Double(svgText.components(separatedBy: "width=\"")[1].prefix { $0 != "\"" })!
    let (w, h) = pngSize(p)
    #expect(abs(Double(w) - width * 150 / 72) <= 2, "\(w) vs \(width)")
    #expect(h > 1000)
    let f = try Data(contentsOf: URL(fileURLWithPath: pdf))
    #expect(String(decoding: f.prefix(5), as: UTF8.self) == "%PDF-")
    #expect(f.count > 5_000, "\(f.count) bytes")
    #expect(String(decoding: f.suffix(8), as: UTF8.self).contains("%%EOF"))
    let o = try Data(contentsOf: URL(fileURLWithPath: other))
    #expect(o.prefix(4) == p.prefix(4))
    // Every plot kind converts.
    for kind in ["funnel", "baujat", "cumulative"] {
      let out = dir + "/\(kind).pdf"
      let r = try runOrrmeta(["plot", kind, Self.alk, "--out", out])
      #expect(r.status == 0, "\(kind): \(r.stderr)")
      #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)).prefix(5), as: UTF8.self) == "%PDF-")
    }
  }

  @Test("a converter that cannot run is a clear error, and no output file is left")
  func missingConverter() throws {
    let dir = try temporaryDirectory("plot-no-converter")
    let out = dir + "/forest.png"
    let r = try runOrrmetaWithEnvironment(["plot", "forest", Self.alk, "--out", out], ["ORRMETA_RSVG_CONVERT": "orrmeta-no-such-converter"])
    #expect(r.status == 70, "\(r.stderr)")
    #expect(r.stderr.contains("install librsvg2-bin"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("forest: --x-label, --x-min/--x-max, --order and --decimals")
  func forestOptions() throws {
    let r = try runOrrmeta([
      "plot", "forest", Self.alk, "--out", "-", "--x-label", "Objective response rate (%)", "--x-min", "20", "--x-max", "80",
      "--order", "estimate", "--decimals", "2",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let tree = try XMLTree.parse(r.stdout)
    let axis = try #require(tree.find("g", class: "x-axis").first)
    #expect(axis.find("text", class: "axis-title").first?.text == "Objective response rate (%)")
    let ticks = axis.find("text", class: "tick-label").map(\.text)
    #expect(ticks.first == "20%" && ticks.last == "80%", "\(ticks)")
    // Rows by observed proportion, ascending, each with two decimals.
    let rows = tree.find("g", class: "cohort")
    let props = rows.compactMap { row -> Double? in
      guard let t = row.tooltip, let tail = t.components(separatedBy: ", ").dropFirst().first else { return nil }
      return Double(tail.split(separator: " ").first ?? "")
    }
    #expect(props.count == 61)
    #expect(props == props.sorted(), "\(props.prefix(5))")
    let first = try #require(rows.first?.tooltip)
    #expect(first.range(of: #", \d+\.\d\d \[\d+\.\d\d, \d+\.\d\d\]"#, options: .regularExpression) != nil, "\(first)")
    // The cumulative plot takes the axis options and decimals too.
    let c = try runOrrmeta(["plot", "cumulative", Self.alk, "--out", "-", "--x-label", "ORR", "--x-max", "80", "--decimals", "0"])
    #expect(c.status == 0, "\(c.stderr)")
    let ct = try XMLTree.parse(c.stdout)
    let caxis = try #require(ct.find("g", class: "x-axis").first)
    #expect(caxis.find("text", class: "axis-title").first?.text == "ORR")
    #expect(caxis.find("text", class: "tick-label").map(\.text).first == "0%")
    #expect(caxis.find("text", class: "tick-label").map(\.text).last == "80%")
    let step = try #require(ct.find("g", class: "step").first?.tooltip)
    #expect(step.range(of: #": \d+ \[\d+, \d+\]$"#, options: .regularExpression) != nil, "\(step)")
    let bad = try runOrrmeta(["plot", "forest", Self.alk, "--out", "-", "--x-min", "80", "--x-max", "20"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("--x-min (80.0) must be below --x-max (20.0)"), "\(bad.stderr)")
  }
}

/// Runs `orrmeta` with extra environment variables.
func runOrrmetaWithEnvironment(_ arguments: [String], _ environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: orrmetaExecutable)
  process.arguments = arguments
  process.currentDirectoryURL = URL(fileURLWithPath: fixturesDirectory).deletingLastPathComponent()
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}
