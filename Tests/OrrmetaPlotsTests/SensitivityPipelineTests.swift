// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaPlots

/// The sensitivity plots' data on the ALK fixture are the statistics module's numbers, copied
/// field for field; the SVG has the documented structure.
@Suite("Sensitivity plot pipeline (ALK)")
struct SensitivityPipelineTests {
  static let settings = AnalysisSettings()

  static func analysis() throws -> SensitivityAnalysis {
    try SensitivityAnalysis(studies: try PlotFixtures.alk().studies, measure: .PLO, method: .REML)
  }

  @Test("Baujat and cumulative data are SensitivityAnalysis's")
  func copies() throws {
    let a = try Self.analysis()
    let bj = try a.baujat()
    let data = PlotPipeline.baujatData(bj, settings: Self.settings)
    #expect(data.points == bj)
    let cohorts = try PlotFixtures.alk()
    let order = try CohortOrder(cohorts, ascendingBy: "n")
    let rows = try a.cumulative(order: order.indices)
    let cu = PlotPipeline.cumulativeData(rows, settings: Self.settings, orderColumn: "n")
    #expect(cu.steps.count == 61)
    for (s, r) in zip(cu.steps, rows) {
      #expect(s.label == r.label)
      #expect(s.proportion == r.proportion && s.ciLower == r.proportionCILower && s.ciUpper == r.proportionCIUpper)
      #expect(s.tau2 == r.tau2 && s.i2 == r.i2)
    }
    #expect(cu.levelPercent == 95)
    let svg = try XMLTree.parse(try PlotPipeline.cumulative(cohorts, settings: Self.settings, order: order).standalone)
    #expect(svg.find("g", class: "step").count == 61)
    let baujat = try XMLTree.parse(try PlotPipeline.baujat(cohorts, settings: Self.settings).standalone)
    #expect(baujat.find("g", class: "cohort").count == 61)
  }

  @Test("GOSH data: every subset's estimate and I², the full model")
  func gosh() throws {
    let a = try Self.analysis()
    let g = try a.gosh(GoshOptions(maxSubsets: 1500, seed: 4, threads: 2))
    let data = PlotPipeline.goshData(g, analysis: a, settings: Self.settings)
    #expect(data.estimates == g.estimate)
    #expect(data.i2 == g.i2)
    #expect(data.fullModel == GoshPlotData.Marker(estimate: a.fit.estimate, i2: a.fit.i2))
    #expect(data.xTicks?.allSatisfy { $0.label.hasSuffix("%") } == true)
    let svg = try XMLTree.parse(GoshPlot.render(data).standalone)
    #expect(svg.find("g", class: "density").count == 1)
    #expect(svg.find("g", class: "full-model").count == 1)
  }

  @Test("the report's sensitivity section and trim-and-fill funnel")
  func report() throws {
    let cohorts = try PlotFixtures.alk()
    var selection = ReportPipeline.SensitivitySelection()
    selection.leaveOneOut = true
    selection.trimAndFill = true
    let (section, tf) = try ReportPipeline.sensitivity(cohorts, settings: Self.settings, selection: selection)
    let a = try Self.analysis()
    let loo = try a.leaveOneOut()
    #expect(section.leaveOneOut == loo.map {
      ReportSensitivity.LeaveOneOut(
        label: $0.label, proportion: $0.proportion, ciLower: $0.proportionCILower, ciUpper: $0.proportionCIUpper, tau2: $0.tau2, i2: $0.i2)
    })
    let expected = try a.trimAndFill()
    #expect(tf == expected)
    #expect(section.trimAndFill == ReportSensitivity.TrimAndFill(
      imputed: expected.k0, side: "left", proportion: expected.proportion, ciLower: expected.proportionCILower,
      ciUpper: expected.proportionCIUpper))
    #expect(section.cumulative == nil && section.baujat == nil && section.gosh == nil)
    let html = try ReportPipeline.render(cohorts, settings: Self.settings, sensitivity: section, trimAndFill: tf)
    #expect(html.contains("class=\"imputed\""))
    // Simple pooling cannot be refitted: a usage error, not a crash.
    var pooled = Self.settings
    pooled.method = .pooled
    #expect(throws: MetaAnalysisError.self) { try ReportPipeline.sensitivity(cohorts, settings: pooled, selection: selection) }
  }
}
