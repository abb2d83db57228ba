// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
@testable import OrrmetaPipelines
@testable import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaPlots

@Suite("Funnel plot")
struct FunnelPlotTests {
  @Test("ALK fixture: one point per cohort, estimate line, pseudo-CI, axes")
  func alk() throws {
    let cohorts = try PlotFixtures.alk()
    let tree = try XMLTree.parse(try PlotPipeline.funnel(cohorts, settings: AnalysisSettings()).standalone)
    #expect(tree.find("g", class: "cohort").count == cohorts.studies.count)
    #expect(tree.find("line", class: "estimate").count == 1)
    #expect(tree.find("g", class: "pseudo-ci").count == 1)
    #expect(tree.find("g", class: "contours").isEmpty)
    let x = tree.find("g", class: "x-axis").first!, y = tree.find("g", class: "y-axis").first!
    #expect(x.find("text", class: "axis-title").first?.text == "Proportion (%) on the logit proportion scale (PLO)")
    let ticks = x.find("text", class: "tick-label").map(\.text)
    #expect(ticks.count >= 4)
    #expect(ticks.allSatisfy { $0.hasSuffix("%") })
    #expect(y.find("text", class: "axis-title").first?.text == "Standard error")
    #expect(y.find("text", class: "tick-label").first?.text == "0")
  }

  @Test("contour-enhanced: three nested regions and a legend")
  func contours() throws {
    let tree = try XMLTree.parse(try PlotPipeline.funnel(try PlotFixtures.alk(), settings: AnalysisSettings(), contourLevels: [90, 95, 99], nullProportion: 0.3).standalone)
    #expect(tree.find("polygon", class: "contour").count == 3)
    let legend = tree.find("g", class: "legend").first?.text ?? ""
    #expect(legend.contains("contours centred on 30%"))
    #expect(legend.contains("p ≤ 0.01"))
  }

  @Test("the contour centre is the null proportion on the model scale, for every measure")
  func centre() throws {
    let cohorts = try PlotFixtures.alk()
    for m in EffectMeasure.allCases {
      let a = try ProportionMetaAnalysis.analyze(studies: cohorts.studies, settings: AnalysisSettings(measure: m))
      let data = try #require(FunnelPlotData(analysis: a, contourLevels: [95], nullProportion: 0.3))
      let back = a.settings.backTransformation.apply(data.contourCentre, harmonicMeanN: a.harmonicMeanN)
      #expect(abs(back - 0.3) < 1e-9, "\(m)")
      #expect(abs(data.contours[0].critical - 1.959963984540054) < 1e-12)
    }
  }

  @Test("trim-and-fill points are drawn open, with the adjusted estimate")
  func imputed() {
    let data = FunnelPlotData(
      points: [.init(label: "a", yi: 0.2, vi: 0.01), .init(label: "b", yi: 0.5, vi: 0.09)],
      imputed: [.init(label: "filled", yi: -0.1, vi: 0.09)], estimate: 0.25, adjustedEstimate: 0.2,
      pseudoConfidenceCritical: 1.96, xTitle: "logit")
    let tree = try! XMLTree.parse(FunnelPlot.render(data).standalone)
    #expect(tree.find("g", class: "cohort").count == 2)
    #expect(tree.find("g", class: "imputed").count == 1)
    #expect(tree.find("line", class: "adjusted-estimate").count == 1)
  }

  @Test("simple pooling has no funnel plot")
  func noFit() throws {
    #expect(throws: PlotPipeline.PlotError.self) {
      try PlotPipeline.funnel(try PlotFixtures.alk(), settings: AnalysisSettings(method: .pooled))
    }
  }
}
