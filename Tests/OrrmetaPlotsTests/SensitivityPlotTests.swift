// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import MetaProportion
@testable import OrrmetaPipelines
@testable import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaPlots

@Suite("GOSH, Baujat and cumulative plots")
struct SensitivityPlotTests {
  /// 10⁶ deterministic (estimate, I²) pairs: two clusters, and some failed fits.
  static func goshPoints(_ count: Int) -> (x: [Double], y: [Double]) {
    var state: UInt64 = 42
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    var x = [Double](), y = [Double]()
    x.reserveCapacity(count)
    y.reserveCapacity(count)
    for i in 0..<count {
      if i % 100_000 == 99_999 { x.append(.nan); y.append(.nan); continue }
      let cluster = uniform() < 0.7
      let u = uniform() + uniform() + uniform() - 1.5  // roughly normal
      x.append((cluster ? 0.6 : 0.5) + 0.05 * u)
      y.append(min(100, max(0, (cluster ? 90 : 70) + 8 * (uniform() + uniform() - 1))))
    }
    return (x, y)
  }

  @Test("GOSH of 10⁶ subsets: a density of bounded size, valid XML, counts add up")
  func gosh() throws {
    let (x, y) = Self.goshPoints(1_000_000)
    let data = GoshPlotData(
      estimates: x, i2: y, fullModel: .init(estimate: 0.57, i2: 88), xTitle: "Pooled proportion",
      xTicks: [AxisTick(value: 0.5, label: "50%"), AxisTick(value: 0.6, label: "60%")])
    let clock = ContinuousClock()
    var svg: SVGDocument?
    let elapsed = clock.measure { svg = GoshPlot.render(data) }
    let text = svg!.standalone
    #expect(elapsed < .seconds(20), "rendering took \(elapsed)")
    #expect(text.utf8.count < 2_000_000, "the SVG has \(text.utf8.count) bytes")
    let tree = try XMLTree.parse(text)
    let bins = tree.find("rect", class: "bin")
    let options = GoshPlot.Options()
    #expect(bins.count > 100)
    #expect(bins.count <= options.columns * options.rows)
    let counted = bins.compactMap { $0.tooltip.flatMap { Int($0.replacingOccurrences(of: ",", with: "")) } }.reduce(0, +)
    #expect(counted == 999_990)
    #expect(tree.find("g", class: "full-model").count == 1)
    let note = tree.find("text", class: "footnote").first?.text ?? ""
    #expect(note.contains("999,990 subsets"))
    #expect(note.contains("10 failed fits left out"))
    #expect(tree.find("g", class: "x-axis").first?.find("text", class: "tick-label").map(\.text) == ["50%", "60%"])
    #expect(tree.find("g", class: "y-axis").first?.find("text", class: "axis-title").first?.text == "I²")
  }

  @Test("Baujat: one labelled point per cohort")
  func baujat() throws {
    let data = BaujatPlotData(points: [
      .init(label: "A", x: 1.2, y: 0.3), .init(label: "B <x>", x: 12, y: 4.5), .init(label: "C", x: .nan, y: 1),
    ])
    let tree = try XMLTree.parse(BaujatPlot.render(data).standalone)
    let points = tree.find("g", class: "cohort")
    #expect(points.map { $0.find("text", class: "label").first?.text } == ["A", "B <x>"])
    #expect(tree.find("g", class: "x-axis").first?.find("text", class: "axis-title").first?.text == "Contribution to overall heterogeneity")
    #expect(tree.find("g", class: "y-axis").first?.find("text", class: "axis-title").first?.text == "Influence on overall result")
  }

  @Test("cumulative: one step group per cohort added")
  func cumulative() throws {
    let steps = (1...12).map { i in
      CumulativePlotData.Step(label: "study \(i)", proportion: 0.4 + 0.01 * Double(i), ciLower: 0.3, ciUpper: 0.6 - 0.005 * Double(i), tau2: 0.1, i2: 50)
    }
    let tree = try XMLTree.parse(CumulativePlot.render(CumulativePlotData(steps: steps)).standalone)
    let groups = tree.find("g", class: "step")
    #expect(groups.count == 12)
    #expect(groups.first?.find("text", class: "label").first?.text == "+ study 1")
    #expect(tree.find("g", class: "x-axis").first?.find("text", class: "tick-label").map(\.text).allSatisfy { $0.hasSuffix("%") } == true)
  }
}
