// SPDX-License-Identifier: GPL-3.0-or-later

/// A block of a forest-style table: a subgroup (title, studies, its diamonds, its heterogeneity
/// line) or, without subgroups, all studies. ``ForestPlotData/Block`` (cohorts) and
/// ``ComparisonForestPlotData/Block`` (trials) are drawn alike by ``ForestLayout``.
protocol ForestBlock {
  associatedtype Study
  associatedtype Pooled
  var title: String? { get }
  var rows: [Study] { get }
  var summaries: [Pooled] { get }
  var heterogeneity: ForestPlotData.Heterogeneity? { get }
}

extension ForestPlotData.Block: ForestBlock {}
extension ComparisonForestPlotData.Block: ForestBlock {}

/// The layout of a forest plot with blocks of studies: the plot draws a study's row and a
/// summary's row on its ``ForestCanvas``; the order of blocks, diamonds and spacing is the same
/// for every such plot and is written once, here.
protocol ForestLayout {
  associatedtype Block: ForestBlock
  var canvas: ForestCanvas { get set }
  /// Draws the column header.
  mutating func header()
  /// Draws one study's row.
  mutating func studyRow(_ row: Block.Study)
  /// Draws a pooled estimate's row (`inSubgroup`: a subgroup's diamond, else an overall one).
  mutating func summaryRow(_ summary: Block.Pooled, inSubgroup: Bool)
}

extension ForestLayout {
  /// The table: the title, the header, the blocks and overall diamonds, the prediction interval
  /// (`prediction`: its text and bar in pixels) and the overall heterogeneity line. Returns the
  /// top of the data rows (where the grid starts).
  mutating func drawTable(
    title: String?, blocks: [Block], overall: [Block.Pooled], prediction: (text: String, bar: (lower: Double, upper: Double)?)?,
    heterogeneity: ForestPlotData.Heterogeneity?
  ) -> Double {
    canvas.title(title)
    header()
    let dataTop = canvas.y
    drawBlocks(blocks, overall: overall)
    if let prediction { canvas.predictionRow(text: prediction.text, bar: prediction.bar) }
    canvas.heterogeneityNote(heterogeneity)
    return dataTop
  }

  /// The blocks (each: title, studies, its diamonds, its heterogeneity; a gap between blocks and
  /// before the overall diamonds), then the overall diamonds.
  mutating func drawBlocks(_ blocks: [Block], overall: [Block.Pooled]) {
    for (i, b) in blocks.enumerated() {
      canvas.blockTitle(b.title)
      for r in b.rows { studyRow(r) }
      for s in b.summaries { summaryRow(s, inSubgroup: true) }
      canvas.heterogeneityNote(b.heterogeneity)
      if i < blocks.count - 1 || !overall.isEmpty { canvas.y += canvas.rowHeight * 0.4 }
    }
    for s in overall { summaryRow(s, inSubgroup: false) }
  }
}
