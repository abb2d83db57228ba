// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import OrrmetaPipelines
@testable import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaIO
@testable import OrrmetaPlots

/// One number formatter for text, Markdown, HTML and plots (issue 12, items 5 and 8).
@Suite("Shared number formatting")
struct SharedNumberFormatTests {
  @Test("tiny non-zero values are never printed as a false 0.0000")
  func tiny() {
    #expect(Fmt.f(1.3e-13) == "1.3e-13")
    #expect(Fmt.f(0.00003) == "3.0e-05")
    #expect(Fmt.f(0) == "0.0000")
    #expect(Fmt.f(0.01234) == "0.0123")
    #expect(Fmt.significant(1.3e-13, 3) == "1e-13")
    #expect(Fmt.significant(0.0123, 3) == "0.0123")
    #expect(Fmt.significant(0.00012345, 4) == "1.2e-04")
    #expect(Fmt.significant(0) == "0")
    #expect(Fmt.percent(0.00001) == "<0.1")
    #expect(Fmt.percent(0) == "0.0")
  }

  @Test("p-values: 'p < .0001' in a sentence, '<.0001' in a cell, the same in plots")
  func pValues() {
    #expect(Fmt.pClause(1e-9) == "p < .0001")
    #expect(Fmt.pClause(0.04321) == "p = 0.0432")
    #expect(Fmt.pClause(nil) == "p = NA")
    #expect(Fmt.p(1e-9) == "<.0001")
    #expect(PlotFormat.pClause(1e-9) == Fmt.pClause(1e-9))
    #expect(PlotFormat.fixed(1.3e-13, 4) == Fmt.f(1.3e-13, 4))
  }

  @Test("the cumulative plot prints tau^2 = 1.3e-13 in scientific notation inside its column")
  func cumulativeTau2() throws {
    let data = CumulativePlotData(steps: [
      .init(label: "a", proportion: 0.5, ciLower: 0.4, ciUpper: 0.6, tau2: .nan, i2: .nan),
      .init(label: "b", proportion: 0.52, ciLower: 0.45, ciUpper: 0.58, tau2: 1.3e-13, i2: 0),
    ])
    let svg = CumulativePlot.render(data)
    let tree = try XMLTree.parse(svg.standalone)
    let texts = tree.find("text").map(\.text)
    #expect(texts.contains("1e-13"), "\(texts)")
    #expect(!texts.contains { $0.hasPrefix("0.0000") })
  }
}
