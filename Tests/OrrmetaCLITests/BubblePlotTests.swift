// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta plot bubble` (metafor `regplot`): one bubble per cohort, the regression's
/// prediction line and CI band, the slope of `regress` in the footnote.
@Suite("plot bubble")
struct BubblePlotTests {
  func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

  @Test("ALK on n: 61 bubbles, a CI band, the prediction line and the slope of regress")
  func alk() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let alk = "Fixtures/alk-nsclc/cohorts.csv"
    let r = try runOrrmeta(["plot", "bubble", alk, "--mod", "n", "-o", "\(dir)/b.svg"])
    #expect(r.status == 0, "\(r.stderr)")
    let svg = try String(contentsOfFile: "\(dir)/b.svg", encoding: .utf8)
    #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"))
    #expect(count("class=\"cohort\"", in: svg) == 61)
    #expect(count("class=\"ci-band\"", in: svg) == 1)
    #expect(count("class=\"prediction\"", in: svg) == 1)
    let regress = try runOrrmeta(["regress", alk, "--mods", "n", "--format", "json"])
    let out = try JSONSerialization.jsonObject(with: Data(regress.stdout.utf8)) as? [String: Any] ?? [:]
    let coefficients = (out["meta_regression"] as? [String: Any])?["coefficients"] as? [[String: Any]] ?? []
    let slope = number(coefficients.last?["estimate"])
    #expect(abs(slope - -0.0007605) < 5e-8, "\(slope)")
    #expect(svg.contains("meta-regression on n: slope -7.6e-04 (p = 0.7267)"))
    // A cohort's tooltip: label, moderator value, proportion and weight.
    #expect(svg.contains("PROFILE1001_crizotinib: n = 143, 60.8%, weight "))
  }

  @Test("a categorical moderator, --by and pooled are errors naming the problem")
  func errors() throws {
    let alk = "Fixtures/alk-nsclc/cohorts.csv"
    let categorical = try runOrrmeta(["plot", "bubble", alk, "--mod", "line", "-o", "/tmp/never-written-bubble.svg"])
    #expect(categorical.status == 65 && categorical.stderr.contains("moderator column 'line' is categorical (levels naive, pretreated); the bubble plot needs a numeric moderator"))
    #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written-bubble.svg"))
    let pooled = try runOrrmeta(["plot", "bubble", alk, "--mod", "n", "--method", "pooled", "-o", "-"])
    #expect(pooled.status == 64 && pooled.stderr.contains("--method pooled cannot be used for plot bubble"))
  }
}
