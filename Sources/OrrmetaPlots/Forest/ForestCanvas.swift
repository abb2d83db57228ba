// SPDX-License-Identifier: GPL-3.0-or-later

/// The row-by-row drawing shared by the forest-style plots (``ForestPlot``,
/// ``ComparisonForestPlot``, ``MedianForestPlot``, ``CumulativePlot``): a running y position,
/// the title, the header row with its rule, subgroup titles, weighted boxes, diamonds, the
/// prediction bar, small note lines, the reference line and the finished document with its axis
/// and footnote. Each plot keeps its own columns; the pieces every plot draws alike live here,
/// so that they stay alike.
struct ForestCanvas {
  /// The margin around the picture.
  let pad: Double
  /// The height of one row.
  let rowHeight: Double
  let fs = SVGStyle.fontSize
  let small = SVGStyle.smallFontSize
  /// The top of the next row.
  var y: Double
  /// The title (when there is one), header and rows, in drawing order.
  var rows: [MarkupNode] = []
  /// The label column's width (labels are truncated to it).
  var labelWidth = 0.0
  /// The estimate column's left edge and the weight column's right edge.
  var xEstimate = 0.0
  var xWeightRight = 0.0
  /// The picture's width.
  var width = 0.0
  /// The largest study weight (the box of that weight has the largest side).
  var maxWeight = 0.0

  init(pad: Double, rowHeight: Double) {
    self.pad = pad
    self.rowHeight = rowHeight
    self.y = pad
  }

  /// The middle of the current row (intervals, boxes, diamonds).
  var rowMid: Double { y + rowHeight / 2 }
  /// The text baseline of the current row.
  var baseline: Double { y + rowHeight / 2 + fs * 0.35 }

  /// The widest label column: the column header, the labels (capped at `cap`), the subgroup
  /// titles (bold: 10 % wider, capped), the summary labels and "Prediction interval".
  func labelColumnWidth(header: String, labels: [String], titles: [String], summaryLabels: [String], cap: Double) -> Double {
    var lw = TextMetrics.width(header, fontSize: fs)
    for l in labels { lw = max(lw, min(cap, TextMetrics.width(l, fontSize: fs))) }
    for t in titles { lw = max(lw, min(cap, TextMetrics.width(t, fontSize: fs) * 1.1)) }
    for s in summaryLabels { lw = max(lw, TextMetrics.width(s, fontSize: fs) * 1.1) }
    return max(lw, TextMetrics.width("Prediction interval", fontSize: fs))
  }

  /// The plot title, if any, above everything else.
  mutating func title(_ text: String?) {
    guard let text else { return }
    rows.append(SVG.text(pad, y + SVGStyle.titleFontSize, text, size: SVGStyle.titleFontSize, bold: true, cssClass: "plot-title"))
    y += SVGStyle.titleFontSize + 12
  }

  /// The header row: `cells` (drawn at ``baseline``) and the rule under them, across `width`.
  mutating func header(_ cells: [MarkupNode], cssClass: String = "header") {
    rows.append(SVG.group(cssClass, cells + [SVG.line(pad, y + rowHeight + 2, width - pad, y + rowHeight + 2, stroke: SVGStyle.ink, width: 0.8)]))
    y += rowHeight + 6
  }

  /// The column header of a study table: `label` over the labels, the count columns' headers
  /// (right-aligned at their x), `estimate` over the estimates and "Weight".
  mutating func columnHeader(label: String, counts: [(x: Double, text: String)], estimate: String) {
    let b = baseline
    header(
      [SVG.text(pad, b, label, bold: true)] + counts.map { SVG.text($0.x, b, $0.text, anchor: .end, bold: true) } + [
        SVG.text(xEstimate, b, estimate, bold: true),
        SVG.text(xWeightRight, b, "Weight", anchor: .end, bold: true),
      ])
  }

  /// A block's title row, if it has one (truncated to the label column and 60 pixels more).
  mutating func blockTitle(_ title: String?) {
    if let title { subgroupTitle(title, maxWidth: labelWidth + 60) }
  }

  /// The heterogeneity line, if there is one.
  mutating func heterogeneityNote(_ h: ForestPlotData.Heterogeneity?) {
    if let h { noteRow(ForestPlot.heterogeneityText(h), cssClass: "heterogeneity") }
  }

  /// A subgroup's title row, truncated to `maxWidth` (nil: as it is) with the full title as tooltip.
  mutating func subgroupTitle(_ text: String, maxWidth: Double?) {
    let cut = maxWidth.map { TextMetrics.truncate(text, maxWidth: $0, fontSize: fs) } ?? (text: text, truncated: false)
    rows.append(SVG.group("subgroup-title", [SVG.text(pad, baseline, cut.text, bold: true, tooltip: cut.truncated ? text : nil)]))
    y += rowHeight
  }

  /// A weighted square centred at `x` on the current row: its area is proportional to `weight`
  /// (nil: not weighted, a fixed size) relative to ``maxWeight``.
  func box(at x: Double, weight: Double?) -> MarkupNode {
    var side = 6.0
    if let weight, maxWeight > 0 { side = max(2.5, rowHeight * 0.75 * (max(0, weight) / maxWeight).squareRoot()) }
    return SVG.rect(x - side / 2, rowMid - side / 2, side, side, fill: SVGStyle.cohort, cssClass: "box")
  }

  /// A pooled estimate's diamond on the current row, from `lower` to `upper` with its tip at `centre`.
  func diamond(_ lower: Double, _ centre: Double, _ upper: Double, fill: String) -> MarkupNode {
    let h = rowHeight * 0.55
    return SVG.polygon([(lower, rowMid), (centre, rowMid - h / 2), (upper, rowMid), (centre, rowMid + h / 2)], fill: fill, stroke: SVGStyle.ink, cssClass: "diamond")
  }

  /// The colour of a diamond of `kind` (a random-effects diamond within a subgroup has its own).
  static func diamondColour(_ kind: ForestPlotData.SummaryKind, inSubgroup: Bool) -> String {
    switch kind {
    case .common: return SVGStyle.common
    case .random: return inSubgroup ? SVGStyle.subgroup : SVGStyle.random
    case .simple: return SVGStyle.random
    }
  }

  /// The prediction interval's row: its label, the bar from `bar.lower` to `bar.upper` in pixels
  /// (nil: not drawable) and `text` in the estimate column.
  mutating func predictionRow(text: String, bar: (lower: Double, upper: Double)?) {
    var kids: [MarkupNode] = [SVG.text(pad, baseline, "Prediction interval")]
    if let bar {
      let h = rowHeight * 0.3
      kids.append(SVG.rect(bar.lower, rowMid - h / 2, bar.upper - bar.lower, h, fill: SVGStyle.prediction, cssClass: "bar"))
    }
    kids.append(SVG.text(xEstimate, baseline, text))
    rows.append(SVG.group("prediction-interval", tooltip: "Prediction interval: \(text)", kids))
    y += rowHeight
  }

  /// A study's row (`cssClass` "cohort" or "trial"): the label truncated to ``labelWidth`` (the full
  /// label as tooltip), the count cells, the interval from `ci.lower` to `ci.upper` and the
  /// weighted box at `box` (pixels; nil: not drawn), the estimate and the weight text.
  mutating func studyRow(
    label: String, counts: [MarkupNode], ci: (lower: Double, upper: Double)?, box: Double?, weight: Double?, estimate: String,
    weightText: String, cssClass: String, tooltip: String
  ) {
    let cut = TextMetrics.truncate(label, maxWidth: labelWidth, fontSize: fs)
    var kids: [MarkupNode] = [SVG.text(pad, baseline, cut.text, cssClass: "label", tooltip: cut.truncated ? label : nil)] + counts
    if let ci { kids.append(SVG.line(ci.lower, rowMid, ci.upper, rowMid, stroke: SVGStyle.ciLine, cssClass: "ci")) }
    if let box { kids.append(self.box(at: box, weight: weight)) }
    kids.append(SVG.text(xEstimate, baseline, estimate))
    kids.append(SVG.text(xWeightRight, baseline, weightText, anchor: .end))
    rows.append(SVG.group(cssClass, tooltip: tooltip, kids))
    y += rowHeight
  }

  /// A pooled estimate's row (bold overall, italic within a subgroup): label, the count cells,
  /// the diamond (`lower`, `centre`, `upper` in pixels; nil: not drawn), the estimate and the
  /// summed weight.
  mutating func summaryRow(
    label: String, kind: ForestPlotData.SummaryKind, inSubgroup: Bool, counts: [MarkupNode],
    diamond: (lower: Double, centre: Double, upper: Double)?, estimate: String, weight: Double?, tooltip: String
  ) {
    var kids: [MarkupNode] = [SVG.text(pad, baseline, label, bold: !inSubgroup, italic: inSubgroup)] + counts
    if let d = diamond { kids.append(self.diamond(d.lower, d.centre, d.upper, fill: Self.diamondColour(kind, inSubgroup: inSubgroup))) }
    kids.append(SVG.text(xEstimate, baseline, estimate, bold: !inSubgroup))
    if let w = weight, w.isFinite {
      kids.append(SVG.text(xWeightRight, baseline, "\(PlotFormat.fixed(w, 1))%", anchor: .end, bold: !inSubgroup))
    }
    let cls = "pooled \(kind.rawValue)" + (inSubgroup ? " subgroup" : "")
    rows.append(SVG.group(cls, tooltip: tooltip, kids))
    y += rowHeight
  }

  /// A small muted line (heterogeneity, subgroup test).
  mutating func noteRow(_ text: String, cssClass: String) {
    rows.append(SVG.text(pad, y + rowHeight / 2 + small * 0.35, text, size: small, fill: SVGStyle.muted, cssClass: cssClass))
    y += rowHeight * 0.85
  }

  /// The dashed vertical line at `x` from `top` to `bottom` (the main pooled estimate).
  static func referenceLine(at x: Double, from top: Double, to bottom: Double) -> MarkupNode {
    SVG.line(x, top, x, bottom, stroke: SVGStyle.reference, dash: "4 3", cssClass: "reference-line")
  }

  /// The finished picture: `children`, then `axis` (drawn at `axisY`) and the footnote under it.
  func document(
    _ children: [MarkupNode], axis: MarkupNode, axisY: Double, footnote: String?, title: String, kind: String
  ) -> SVGDocument {
    var nodes = children
    nodes.append(axis)
    var y = axisY + 44
    if let footnote {
      nodes.append(SVG.text(pad, y + small, footnote, size: small, fill: SVGStyle.muted, cssClass: "footnote"))
      y += small + 8
    }
    return SVGDocument(width: width, height: y + pad, title: title, kind: kind, children: nodes)
  }
}
