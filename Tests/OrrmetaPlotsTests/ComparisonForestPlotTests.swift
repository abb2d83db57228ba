// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
@testable import OrrmetaPlots
import _TestSupport

/// The comparison forest plot's axis and rows from hand-made data (no analysis): ratio ticks,
/// the null line, trials without an outcome, the RD axis.
@Suite("Comparison forest plot")
struct ComparisonForestPlotTests {
  @Test("ratio ticks: 1-2-5 × 10^n around the values, powers of ten over wide ranges")
  func ratioTicks() {
    #expect(ComparisonForestPlot.ratioTicks(log(0.6), log(1.4)) == [0.5, 1, 2])
    #expect(ComparisonForestPlot.ratioTicks(log(0.06), log(8)) == [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10])
    #expect(ComparisonForestPlot.ratioTicks(log(0.003), log(300)) == [0.001, 0.01, 0.1, 1, 10, 100, 1000])
    #expect(ComparisonForestPlot.ratioTicks(0, 0) == [0.5, 1, 2])
  }

  static func row(_ label: String, _ e: Double, _ lo: Double, _ hi: Double, included: Bool = true) -> ComparisonForestPlotData.Row {
    .init(label: label, eventsTreat: 3, totalTreat: 20, eventsControl: 0, totalControl: 21, effect: e, ciLower: lo, ciUpper: hi, weight: included ? 50 : .nan, included: included)
  }

  @Test("a trial without an outcome keeps its counts and has no box; the null line is at the tick 1")
  func undefinedTrial() throws {
    let data = ComparisonForestPlotData(
      blocks: [.init(rows: [Self.row("A", 0.5, 0.25, 1.0), Self.row("B", .nan, .nan, .nan, included: false)])],
      overall: [.init(label: "Common-effect model (Mantel-Haenszel)", kind: .common, effect: 0.5, ciLower: 0.3, ciUpper: 0.9, weight: 100)],
      measure: "RR", measureName: "Risk ratio", isRatio: true)
    let tree = try XMLTree.parse(ComparisonForestPlot.render(data).standalone)
    let trials = tree.find("g", class: "trial")
    #expect(trials.count == 2)
    #expect(trials[0].find("rect", class: "box").count == 1 && trials[1].find("rect", class: "box").isEmpty)
    #expect(trials[1].find("text", class: "arm-treat").first?.text == "3/20")
    #expect(trials[1].tooltip?.contains("no outcome") == true)
    let one = try #require(tree.find("text", class: "tick-label").first { $0.text == "1" })
    #expect(tree.find("line", class: "null-line").first?.attributes["x1"] == one.attributes["x"])
  }

  @Test("risk difference: a linear axis through 0, three decimals")
  func riskDifference() throws {
    let data = ComparisonForestPlotData(
      blocks: [.init(rows: [Self.row("A", 0.12, -0.05, 0.29)])],
      overall: [.init(label: "Random-effects model (DL)", kind: .random, effect: 0.1, ciLower: 0.02, ciUpper: 0.18)],
      measure: "RD", measureName: "Risk difference", isRatio: false, decimals: 3)
    let tree = try XMLTree.parse(ComparisonForestPlot.render(data).standalone)
    #expect(tree.find("g", class: "trial").first?.find("text").map(\.text).contains("0.120 [-0.050, 0.290]") == true)
    #expect(tree.find("text", class: "tick-label").map(\.text).contains("0"))
    #expect(tree.find("text", class: "axis-title").first?.text == "Risk difference")
  }
}
