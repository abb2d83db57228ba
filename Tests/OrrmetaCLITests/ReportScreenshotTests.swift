// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

@Suite("report.html in headless Chromium")
struct ReportScreenshotTests {
  static let width = 1200, height = 1600

  @Test(
    "the report renders: a PNG of the window size, far from blank",
    .enabled(
      if: HeadlessBrowser.path != nil,
      "no headless browser found (chromium, chromium-browser, google-chrome, headless_shell or $ORRMETA_CHROMIUM); install the Debian package 'chromium' (.ci/run does) to run this test"),
    .timeLimit(.minutes(5)))
  func screenshot() throws {
    let dir = URL(fileURLWithPath: try temporaryDirectory("orrmeta-screenshot"))
    defer { try? FileManager.default.removeItem(at: dir) }
    let report = dir.appendingPathComponent("report.html")
    let r = try runOrrmeta(["report", "Fixtures/alk-nsclc/cohorts.csv", "--by", "line", "--contours", "--out", report.path])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let blank = dir.appendingPathComponent("blank.html")
    try "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>\n"
      .write(to: blank, atomically: true, encoding: .utf8)

    let shot = dir.appendingPathComponent("report.png"), blankShot = dir.appendingPathComponent("blank.png")
    try HeadlessBrowser.screenshot(of: report, to: shot, width: Self.width, height: Self.height)
    try HeadlessBrowser.screenshot(of: blank, to: blankShot, width: Self.width, height: Self.height)

    let png = try PNGFile(data: try Data(contentsOf: shot))
    let reference = try PNGFile(data: try Data(contentsOf: blankShot))
    #expect(png.width == Self.width && png.height == Self.height, "screenshot is \(png.width) × \(png.height)")
    #expect(reference.width == Self.width && reference.height == Self.height)
    // A blank page compresses to a few kB; the report's text, tables and rules to far more.
    #expect(png.imageDataBytes > 30_000, "only \(png.imageDataBytes) bytes of image data")
    #expect(png.imageDataBytes > 8 * reference.imageDataBytes, "report \(png.imageDataBytes) bytes vs blank \(reference.imageDataBytes) bytes")
    if let keep = ProcessInfo.processInfo.environment["ORRMETA_KEEP_SCREENSHOT"] {
      try? FileManager.default.removeItem(atPath: keep)
      try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
    }
  }
}
