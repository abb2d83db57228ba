// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaPlots

@Suite("Forest plot")
struct ForestPlotTests {
  /// The plot parsed back, with the checks every forest plot must pass.
  func parsed(_ svg: SVGDocument) throws -> XMLTree {
    let tree = try XMLTree.parse(svg.standalone)
    #expect(tree.name == "svg")
    #expect(tree.attributes["xmlns"] == "http://www.w3.org/2000/svg")
    #expect(tree.attributes["width"].flatMap(Double.init) == svg.width.rounded(.up))
    return tree
  }

  func axisLabels(_ tree: XMLTree) -> (ticks: [String], title: String?) {
    let axis = tree.find("g", class: "x-axis").first
    return (axis?.find("text", class: "tick-label").map(\.text) ?? [], axis?.find("text", class: "axis-title").first?.text)
  }

  @Test("ALK fixture: one cohort group per cohort, common and random diamonds, PI, axis in percent")
  func alk() throws {
    let cohorts = try PlotFixtures.alk()
    let svg = try PlotPipeline.forest(cohorts, settings: AnalysisSettings())
    let tree = try parsed(svg)
    let rows = tree.find("g", class: "cohort")
    #expect(rows.count == cohorts.studies.count)
    #expect(rows.count == 61)
    // Rows are in input order and show the label and counts.
    for (row, study) in zip(rows, cohorts.studies) {
      #expect(row.find("text", class: "label").first?.text == study.label)
      #expect(row.text.contains("\(study.events)/\(study.total)"))
      #expect(row.tooltip?.hasPrefix(study.label) == true)
      #expect(row.find("rect", class: "box").count == 1)
      #expect(row.find("line", class: "ci").count == 1)
    }
    let pooled = tree.find("g", class: "pooled")
    #expect(pooled.count == 2)
    #expect(pooled.filter { $0.classes.contains("common") }.count == 1)
    #expect(pooled.filter { $0.classes.contains("random") }.count == 1)
    #expect(pooled.allSatisfy { $0.find("polygon", class: "diamond").count == 1 })
    #expect(tree.find("g", class: "prediction-interval").count == 1)
    let het = tree.find("text", class: "heterogeneity")
    #expect(het.count == 1)
    #expect(het.first?.text.contains("I² = 94.5%") == true)
    #expect(het.first?.text.contains("τ² = ") == true)
    #expect(het.first?.text.contains("p < .0001") == true)
    let axis = axisLabels(tree)
    #expect(axis.ticks == ["0%", "20%", "40%", "60%", "80%", "100%"])
    #expect(axis.title == "Proportion (%)")
    // The random-effects estimate as printed matches the analysis.
    let a = try ProportionMetaAnalysis.analyze(studies: cohorts.studies, settings: AnalysisSettings())
    let random = pooled.first { $0.classes.contains("random") }!
    #expect(random.text.contains(PlotFormat.percentCI(a.pooled.proportion, a.pooled.ciLower, a.pooled.ciUpper)))
  }

  @Test("box area is proportional to the weight")
  func boxArea() throws {
    // Very different weights: common-effect model, n from 10 to 1000.
    let studies = try [(3, 10), (30, 100), (300, 1000), (45, 150)].enumerated().map {
      try ProportionStudy(label: "c\($0.offset)", events: $0.element.0, total: $0.element.1)
    }
    let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: AnalysisSettings(method: .EE))
    let tree = try XMLTree.parse(ForestPlot.render(ForestPlotData(analysis: a, commonEffect: nil)).standalone)
    let sides = tree.find("rect", class: "box").map { Double($0.attributes["width"]!)! }
    #expect(sides.count == 4)
    let weights = a.studies.map(\.weight)
    let wmax = weights.max()!, smax = sides.max()!
    for (s, w) in zip(sides, weights) where w / wmax > 0.05 {
      // Rounded to 0.01 px in the file.
      #expect(abs(s * s / (smax * smax) - w / wmax) < 0.01, "side \(s) for weight \(w)")
    }
    // EE: one diamond only, no prediction interval.
    #expect(tree.find("g", class: "pooled").count == 1)
    #expect(tree.find("g", class: "prediction-interval").isEmpty)
  }

  @Test("subgroup forest: blocks with their diamonds, heterogeneity and the subgroup test")
  func subgroups() throws {
    let cohorts = try PlotFixtures.alk(by: "line")
    let tree = try parsed(try PlotPipeline.forest(cohorts, settings: AnalysisSettings(test: .knha)))
    #expect(tree.find("g", class: "cohort").count == 61)
    let titles = tree.find("g", class: "subgroup-title").map(\.text)
    #expect(titles == ["line = pretreated", "line = naive"])
    let pooled = tree.find("g", class: "pooled")
    #expect(pooled.filter { $0.classes.contains("subgroup") }.count == 2)
    #expect(pooled.count == 4)
    #expect(tree.find("text", class: "heterogeneity").count == 3)
    #expect(tree.find("text", class: "subgroup-test").first?.text.hasPrefix("Test for subgroup differences: Q = ") == true)
    // Subgroup weights (overall model) add up to 100 %.
    let subgroupWeights = pooled.filter { $0.classes.contains("subgroup") }.compactMap { g in
      g.find("text").last.flatMap { Double($0.text.dropLast()) }
    }
    #expect(subgroupWeights.count == 2)
    #expect(abs(subgroupWeights.reduce(0, +) - 100) < 0.15)
  }

  @Test("150 cohorts: one group each, the height grows with the rows, long labels truncated with a tooltip")
  func large() throws {
    let cohorts = try PlotFixtures.large(k: 150)
    let svg = try PlotPipeline.forest(cohorts, settings: AnalysisSettings())
    let tree = try parsed(svg)
    let rows = tree.find("g", class: "cohort")
    #expect(rows.count == 150)
    #expect(svg.height > 150 * ForestPlot.Options().rowHeight)
    // Rows do not overlap: label baselines strictly increase by at least the row height.
    let ys = rows.compactMap { $0.find("text", class: "label").first?.attributes["y"].flatMap(Double.init) }
    #expect(ys.count == 150)
    #expect(zip(ys, ys.dropFirst()).allSatisfy { $1 - $0 >= ForestPlot.Options().rowHeight - 0.01 })
    // Labels: long ones truncated with "…" and their full text as a <title>; special characters intact.
    for (i, row) in rows.enumerated() {
      let label = row.find("text", class: "label").first!
      let full = PlotFixtures.label(i)
      if i % 10 == 3 {
        #expect(label.ownText.hasSuffix("…"))
        #expect(label.tooltip == full)
      } else {
        #expect(label.text == full)
      }
    }
    #expect(axisLabels(tree).title == "Proportion (%)")
  }

  @Test("subgroup forest of 150 cohorts")
  func largeSubgroups() throws {
    let tree = try parsed(try PlotPipeline.forest(try PlotFixtures.large(k: 150, by: "group"), settings: AnalysisSettings(method: .DL)))
    #expect(tree.find("g", class: "cohort").count == 150)
    #expect(tree.find("g", class: "subgroup-title").map(\.text) == ["group = alpha", "group = beta", "group = gamma"])
    #expect(tree.find("g", class: "pooled").count == 5)
  }

  @Test("simple pooling: only the simple-pooling diamond (Σx/Σn is its own common-effect model), no PI")
  func simplePooling() throws {
    let tree = try parsed(try PlotPipeline.forest(try PlotFixtures.alk(), settings: AnalysisSettings(method: .pooled)))
    let pooled = tree.find("g", class: "pooled")
    #expect(pooled.map { $0.classes.contains("simple") } == [true])
    #expect(tree.find("g", class: "prediction-interval").isEmpty)
  }
}
