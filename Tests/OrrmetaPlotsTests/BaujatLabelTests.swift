// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaPlots

/// The Baujat plot labels only the most influential cohorts, without overlaps (issue 12, item 6).
@Suite("Baujat plot labels")
struct BaujatLabelTests {
  struct Box { var l, t, r, b: Double }

  func labelBoxes(_ tree: XMLTree) -> [(String, Box)] {
    tree.find("text", class: "label").map { t in
      let x = Double(t.attributes["x"]!)!, y = Double(t.attributes["y"]!)!
      let w = TextMetrics.width(t.text, fontSize: SVGStyle.smallFontSize)
      let left = t.attributes["text-anchor"] == "end" ? x - w : x
      return (t.text, Box(l: left, t: y - SVGStyle.smallFontSize, r: left + w, b: y + 2))
    }
  }

  @Test("ALK (61 cohorts): at most 10 labels, the most influential cohorts among them, none overlapping; every cohort keeps its tooltip")
  func alk() throws {
    let cohorts = try PlotFixtures.alk()
    let svg = try PlotPipeline.baujat(cohorts, settings: AnalysisSettings())
    let tree = try XMLTree.parse(svg.standalone)
    #expect(tree.find("g", class: "cohort").count == 61)
    #expect(tree.find("g", class: "cohort").allSatisfy { $0.tooltip != nil })
    let boxes = labelBoxes(tree)
    #expect(boxes.count >= 3 && boxes.count <= BaujatPlot.defaultMaxLabels, "\(boxes.count) labels")
    for i in boxes.indices {
      for j in boxes.indices where j > i {
        let a = boxes[i].1, b = boxes[j].1
        #expect(!(a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b), "\(boxes[i].0) overlaps \(boxes[j].0)")
      }
    }
    // The cohort with the largest contribution to heterogeneity and the one with the largest
    // influence are labelled.
    let a = try SensitivityPipeline.analysis(cohorts, settings: AnalysisSettings())
    let points = try a.baujat()
    let labels = Set(boxes.map(\.0))
    let topX = points.max { $0.x < $1.x }!, topY = points.max { $0.y < $1.y }!
    for p in [topX, topY] {
      let cut = TextMetrics.truncate(p.label, maxWidth: 130, fontSize: SVGStyle.smallFontSize).text
      #expect(labels.contains(cut), "\(p.label) not labelled: \(labels)")
    }
  }

  @Test("points that would collide get one label, not two on top of each other")
  func overlap() throws {
    let data = BaujatPlotData(points: [
      .init(label: "first", x: 10, y: 10), .init(label: "second", x: 10, y: 9.99), .init(label: "far", x: 1, y: 0.5),
    ])
    let tree = try XMLTree.parse(BaujatPlot.render(data).standalone)
    let boxes = labelBoxes(tree)
    #expect(boxes.map(\.0).contains("first"))
    #expect(boxes.count == 3 || boxes.count == 2)
    for i in boxes.indices {
      for j in boxes.indices where j > i {
        let a = boxes[i].1, b = boxes[j].1
        #expect(!(a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b))
      }
    }
  }
}
