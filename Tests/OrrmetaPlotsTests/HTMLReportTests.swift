// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaPlots

@Suite("HTML report")
struct HTMLReportTests {
  @Test("sections, tables and inline plots; nothing loaded from elsewhere")
  func alk() throws {
    let cohorts = try PlotFixtures.alk(by: "line")
    let html = try ReportPipeline.render(cohorts, settings: AnalysisSettings(), options: .init(contourLevels: [90, 95, 99]))
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    for id in ["settings", "cohorts", "pooled", "heterogeneity", "subgroups", "sensitivity", "plots"] {
      #expect(html.contains("<section id=\"\(id)\">"), "section \(id)")
    }
    #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
    #expect(html.components(separatedBy: "class=\"cohort\"").count - 1 == 2 * 61)
    #expect(html.contains("class=\"forest-plot\""))
    #expect(html.contains("class=\"funnel-plot\""))
    // Self-contained: no scripts, links, images, frames or remote URLs (the SVG namespace is
    // an identifier, never fetched).
    for banned in ["<script", "<link", "<img", "<iframe", "src=", "url(", "@import"] {
      #expect(!html.contains(banned), "\(banned)")
    }
    let urls = html.components(separatedBy: "http").dropFirst().map { "http" + $0.prefix(30) }
    #expect(urls.allSatisfy { $0.hasPrefix("http://www.w3.org/2000/svg") }, "\(urls)")
    // Each inline SVG is well-formed XML on its own.
    for part in html.components(separatedBy: "<svg ").dropFirst() {
      let svg = "<svg " + part.components(separatedBy: "</svg>")[0] + "</svg>"
      _ = try XMLTree.parse(svg)
    }
  }

  @Test("labels are escaped in tables and plots")
  func escaping() throws {
    let html = try ReportPipeline.render(try PlotFixtures.large(k: 20), settings: AnalysisSettings())
    #expect(html.contains("Cohort 8 &lt;arm A&gt; &amp; \"B\" 'C'"))
    #expect(!html.contains("<arm A>"))
  }

  @Test("sensitivity results, when given, are shown as tables and plots")
  func sensitivity() throws {
    let cohorts = try PlotFixtures.alk()
    let s = ReportSensitivity(
      leaveOneOut: [.init(label: "PROFILE1001_crizotinib", proportion: 0.6, ciLower: 0.53, ciUpper: 0.66, tau2: 0.9, i2: 94)],
      cumulative: CumulativePlotData(steps: [.init(label: "a", proportion: 0.5, ciLower: 0.4, ciUpper: 0.6)]),
      baujat: BaujatPlotData(points: [.init(label: "a", x: 1, y: 2)]),
      gosh: GoshPlotData(estimates: [0.5, 0.6], i2: [10, 20], xTitle: "Pooled proportion"),
      trimAndFill: .init(imputed: 3, side: "left", proportion: 0.55, ciLower: 0.5, ciUpper: 0.6))
    let html = try ReportPipeline.render(cohorts, settings: AnalysisSettings(), options: .init(funnel: false), sensitivity: s)
    for h in ["Leave-one-out", "Trim-and-fill", "Cumulative meta-analysis", "Baujat plot", "GOSH"] {
      #expect(html.contains("<h3>\(h)</h3>"), "\(h)")
    }
    #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
  }
}
