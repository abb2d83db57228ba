// SPDX-License-Identifier: GPL-3.0-or-later

@testable import OrrmetaPipelines
@testable import OrrmetaReports
import Testing
@testable import OrrmetaPlots

@Suite("Layout helpers")
struct LayoutTests {
  @Test("SVG numbers have at most two decimals and no exponent")
  func numbers() {
    #expect(SVGNumber.format(12) == "12")
    #expect(SVGNumber.format(12.5) == "12.5")
    #expect(SVGNumber.format(12.05) == "12.05")
    #expect(SVGNumber.format(-0.004) == "0")
    #expect(SVGNumber.format(-3.14159) == "-3.14")
    #expect(SVGNumber.format(1e-9) == "0")
    #expect(SVGNumber.format(.nan) == "0")
  }

  @Test("nice steps and extended domains")
  func nice() {
    #expect(NiceNumbers.step(span: 1, maxCount: 6) == 0.2)
    #expect(NiceNumbers.step(span: 0.37, maxCount: 6) == 0.1)
    #expect(NiceNumbers.extend(0.023, 0.912, maxCount: 6) == 0...1)
    let s = LinearScale(domain: 0...1, range: 100...300)
    #expect(s.ticks(maxCount: 6) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(s(0.5) == 200)
  }

  @Test("percent tick labels")
  func percentTicks() {
    #expect(PlotFormat.percentTick(0.2) == "20%")
    #expect(PlotFormat.percentTick(0.025) == "2.5%")
    #expect(PlotFormat.percentTick(1) == "100%")
    #expect(PlotFormat.count(1_000_000) == "1,000,000")
  }

  @Test("truncation keeps the start and adds an ellipsis")
  func truncation() {
    let long = String(repeating: "abcdefghij", count: 20)
    let cut = TextMetrics.truncate(long, maxWidth: 120)
    #expect(cut.truncated)
    #expect(cut.text.hasSuffix("…"))
    #expect(long.hasPrefix(String(cut.text.dropLast())))
    #expect(TextMetrics.width(cut.text) <= 120)
    #expect(TextMetrics.truncate("short", maxWidth: 120) == ("short", false))
  }

  @Test("the density grid counts each point once and skips NaN")
  func densityGrid() {
    let xs: [Double] = [0, 0.1, 0.5, 0.99, 1, .nan, 2]
    let ys: [Double] = [0, 0.1, 0.5, 0.99, 1, 0.5, 0.5]
    let g = DensityGrid(xs: xs, ys: ys, xDomain: 0...1, yDomain: 0...1, columns: 2, rows: 2)
    #expect(g.total == 5)
    #expect(g[0, 0] == 2)
    #expect(g[1, 1] == 3)
    #expect(g.maximum == 3)
  }
}
