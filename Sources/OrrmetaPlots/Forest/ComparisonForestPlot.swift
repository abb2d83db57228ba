// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Draws the forest plot of a two-arm comparison as SVG from ``ComparisonForestPlotData``.
///
/// Layout, left to right (meta's `forest.meta` for `metabin`): trial label, the treatment
/// arm's events/total, the control arm's events/total, the interval plot (a log axis for OR
/// and RR with ticks at 1-2-5 × 10ⁿ, a linear axis for RD), the effect with its CI, and the
/// weight. The null effect (1 or 0) is a solid vertical line, the main pooled effect a dashed
/// one. Rows and diamonds use the classes of ``ForestPlot`` (`cohort` is `trial` here):
/// `<g class="trial">` with `<text class="arm-treat">` and `<text class="arm-control">`,
/// `<g class="pooled common|random">`, `<g class="prediction-interval">`,
/// `<line class="null-line">`, `<line class="reference-line">`.
package enum ComparisonForestPlot {
  /// Renders the plot (`rowHeight` pixels a row, `plotWidth` pixels of interval plot).
  package static func render(_ data: ComparisonForestPlotData, plotWidth: Double = 300, rowHeight: Double = 20) -> SVGDocument {
    var layout = Layout(data: data, plotWidth: plotWidth, rowHeight: rowHeight)
    return layout.draw()
  }

  /// The axis: pixel scale on the model scale (log ratio or RD) and its ticks on the reported scale.
  static func axis(_ data: ComparisonForestPlotData, range: ClosedRange<Double>) -> (LinearScale, [AxisTick]) {
    var values: [Double] = [data.nullEffect]
    for r in data.blocks.flatMap(\.rows) { values += [r.effect, r.ciLower, r.ciUpper] }
    for s in data.blocks.flatMap(\.summaries) + data.overall { values += [s.effect, s.ciLower, s.ciUpper] }
    if let pi = data.predictionInterval { values += [pi.lowerBound, pi.upperBound] }
    if data.isRatio {
      let logs = values.filter { $0.isFinite && $0 > 0 }.map { Foundation.log($0) }
      let lo = logs.min() ?? -1, hi = logs.max() ?? 1
      let ticks = ratioTicks(lo, hi)
      let domain = Foundation.log(ticks.first!)...Foundation.log(ticks.last!)
      return (LinearScale(domain: domain, range: range), ticks.map { AxisTick(value: Foundation.log($0), label: PlotFormat.tick($0)) })
    }
    let finite = values.filter(\.isFinite)
    let domain = NiceNumbers.extend(finite.min() ?? -1, finite.max() ?? 1, maxCount: 6)
    let scale = LinearScale(domain: domain, range: range)
    return (scale, Axis.plainTicks(scale, maxCount: 6))
  }

  /// Ratio ticks covering [exp(lo), exp(hi)]: 1-2-5 × 10ⁿ from the tick at or below the lowest
  /// value to the tick at or above the highest, thinned to powers of ten beyond 9 ticks.
  static func ratioTicks(_ lo: Double, _ hi: Double) -> [Double] {
    func ladder(_ mantissas: [Double]) -> [Double] {
      (-6...6).flatMap { e in mantissas.map { $0 * Foundation.pow(10, Double(e)) } }
    }
    for mantissas in [[1.0, 2, 5], [1.0]] {
      let all = ladder(mantissas)
      let first = all.last { Foundation.log($0) <= lo + 1e-12 } ?? all.first!
      let last = all.first { Foundation.log($0) >= hi - 1e-12 } ?? all.last!
      let ticks = all.filter { $0 >= first && $0 <= last }
      if ticks.count <= 9 || mantissas.count == 1 { return ticks.count >= 2 ? ticks : [first / 2, first, first * 2] }
    }
    return [0.5, 1, 2]
  }

  struct Layout {
    let data: ComparisonForestPlotData
    let plotWidth: Double
    let rowHeight: Double
    let fs = SVGStyle.fontSize
    let small = SVGStyle.smallFontSize
    let pad = 14.0
    var labelWidth = 0.0
    var xTreatRight = 0.0
    var xControlRight = 0.0
    var xPlot0 = 0.0
    var xPlot1 = 0.0
    var xEst = 0.0
    var xWeightRight = 0.0
    var width = 0.0
    var y = 0.0
    var scale = LinearScale(domain: 0...1, range: 0...1)
    var ticks: [AxisTick] = []
    var maxWeight = 0.0
    var nodes: [MarkupNode] = []
    var rowNodes: [MarkupNode] = []

    init(data: ComparisonForestPlotData, plotWidth: Double, rowHeight: Double) {
      self.data = data
      self.plotWidth = plotWidth
      self.rowHeight = rowHeight
      let rows = data.blocks.flatMap(\.rows)
      let summaries = data.blocks.flatMap(\.summaries) + data.overall
      var lw = TextMetrics.width("Trial", fontSize: fs)
      for r in rows { lw = max(lw, min(280, TextMetrics.width(r.label, fontSize: fs))) }
      for b in data.blocks { if let t = b.title { lw = max(lw, min(280, TextMetrics.width(t, fontSize: fs) * 1.1)) } }
      for s in summaries { lw = max(lw, TextMetrics.width(s.label, fontSize: fs) * 1.1) }
      lw = max(lw, TextMetrics.width("Prediction interval", fontSize: fs))
      func countWidth(_ header: String, _ texts: [String]) -> Double {
        texts.reduce(TextMetrics.width(header, fontSize: fs) * 1.08) { max($0, TextMetrics.width($1, fontSize: fs) * 1.08) }
      }
      let treatW = countWidth(data.treatLabel, rows.map { "\($0.eventsTreat)/\($0.totalTreat)" } + summaries.compactMap { s in s.eventsTreat.map { "\($0)/\(s.totalTreat ?? 0)" } })
      let controlW = countWidth(data.controlLabel, rows.map { "\($0.eventsControl)/\($0.totalControl)" } + summaries.compactMap { s in s.eventsControl.map { "\($0)/\(s.totalControl ?? 0)" } })
      var notes = data.blocks.compactMap { $0.heterogeneity.map(ForestPlot.heterogeneityText) }
      if let h = data.heterogeneity { notes.append(ForestPlot.heterogeneityText(h)) }
      let noteW = notes.map { TextMetrics.width($0, fontSize: small) }.max() ?? 0
      lw = max(lw, noteW - treatW - controlW - 36)
      labelWidth = lw
      xTreatRight = pad + lw + 16 + treatW
      xControlRight = xTreatRight + 16 + controlW
      xPlot0 = xControlRight + 22
      xPlot1 = xPlot0 + plotWidth
      xEst = xPlot1 + 18
      var estW = TextMetrics.width(Self.estimateHeader(data), fontSize: fs) * 1.08
      for r in rows { estW = max(estW, TextMetrics.width(Self.ci(r.effect, r.ciLower, r.ciUpper, data.decimals), fontSize: fs) * 1.08) }
      for s in summaries { estW = max(estW, TextMetrics.width(Self.ci(s.effect, s.ciLower, s.ciUpper, data.decimals), fontSize: fs) * 1.1) }
      xWeightRight = xEst + estW + 18 + max(TextMetrics.width("Weight", fontSize: fs), TextMetrics.width("100.0%", fontSize: fs)) * 1.08
      width = xWeightRight + pad
      if let f = data.footnote { width = max(width, pad * 2 + TextMetrics.width(f, fontSize: small)) }
      (scale, ticks) = ComparisonForestPlot.axis(data, range: xPlot0...xPlot1)
      maxWeight = rows.map(\.weight).filter(\.isFinite).max() ?? 0
    }

    static func estimateHeader(_ d: ComparisonForestPlotData) -> String {
      "\(d.measure) [\(PlotFormat.tick(d.levelPercent))% CI]"
    }

    static func ci(_ e: Double, _ lo: Double, _ hi: Double, _ digits: Int) -> String {
      "\(PlotFormat.fixed(e, digits)) [\(PlotFormat.fixed(lo, digits)), \(PlotFormat.fixed(hi, digits))]"
    }

    /// A reported-scale value on the model scale (log for ratios).
    func model(_ x: Double) -> Double { data.isRatio ? (x > 0 ? Foundation.log(x) : (x == 0 ? -.infinity : .nan)) : x }
    func px(_ x: Double) -> Double? {
      let m = model(x)
      if m.isNaN { return nil }
      return scale.clamped(m)
    }

    var rowMid: Double { y + rowHeight / 2 }
    var baseline: Double { y + rowHeight / 2 + fs * 0.35 }

    mutating func draw() -> SVGDocument {
      y = pad
      if let t = data.title {
        nodes.append(SVG.text(pad, y + SVGStyle.titleFontSize, t, size: SVGStyle.titleFontSize, bold: true, cssClass: "plot-title"))
        y += SVGStyle.titleFontSize + 12
      }
      header()
      let dataTop = y
      for (i, b) in data.blocks.enumerated() {
        block(b)
        if i < data.blocks.count - 1 || !data.overall.isEmpty { y += rowHeight * 0.4 }
      }
      for s in data.overall { summaryRow(s, inSubgroup: false) }
      if let pi = data.predictionInterval { predictionRow(pi) }
      if let h = data.heterogeneity { noteRow(ForestPlot.heterogeneityText(h), cssClass: "heterogeneity") }
      let axisY = y + 6
      var back: [MarkupNode] = [Axis.grid(vertical: ticks.map { scale($0.value) }, from: dataTop, to: axisY)]
      let nullX = scale(model(data.nullEffect))
      back.append(SVG.line(nullX, dataTop, nullX, axisY, stroke: SVGStyle.ink, width: 0.8, cssClass: "null-line"))
      if let main = data.overall.last, let x = px(main.effect), main.effect.isFinite {
        back.append(SVG.line(x, dataTop, x, axisY, stroke: SVGStyle.reference, dash: "4 3", cssClass: "reference-line"))
      }
      nodes.insert(contentsOf: back, at: nodes.startIndex)
      nodes.append(contentsOf: rowNodes)
      let axisTitle = data.measureName + (data.isRatio ? " (log scale)" : "")
      nodes.append(Axis.horizontal(scale: scale, y: axisY, ticks: ticks, title: axisTitle))
      y = axisY + 44
      if let f = data.footnote {
        nodes.append(SVG.text(pad, y + small, f, size: small, fill: SVGStyle.muted, cssClass: "footnote"))
        y += small + 8
      }
      y += pad
      return SVGDocument(width: width, height: y, title: data.title ?? "Forest plot", kind: "forest-plot", children: nodes)
    }

    mutating func header() {
      // Two lines: the arms' names over their events/N columns, then the column headers.
      rowNodes.append(SVG.group("header arms", [
        SVG.text(xTreatRight, baseline, data.treatLabel, anchor: .end, bold: true, cssClass: "arm-treat"),
        SVG.text(xControlRight, baseline, data.controlLabel, anchor: .end, bold: true, cssClass: "arm-control"),
      ]))
      y += rowHeight * 0.8
      let b = baseline
      rowNodes.append(SVG.group("header", [
        SVG.text(pad, b, "Trial", bold: true),
        SVG.text(xTreatRight, b, "Events/N", anchor: .end, bold: true),
        SVG.text(xControlRight, b, "Events/N", anchor: .end, bold: true),
        SVG.text(xEst, b, Self.estimateHeader(data), bold: true),
        SVG.text(xWeightRight, b, "Weight", anchor: .end, bold: true),
        SVG.line(pad, y + rowHeight + 2, width - pad, y + rowHeight + 2, stroke: SVGStyle.ink, width: 0.8),
      ]))
      y += rowHeight + 6
    }

    mutating func block(_ b: ComparisonForestPlotData.Block) {
      if let t = b.title {
        let cut = TextMetrics.truncate(t, maxWidth: labelWidth + 60, fontSize: fs)
        rowNodes.append(SVG.group("subgroup-title", [SVG.text(pad, baseline, cut.text, bold: true, tooltip: cut.truncated ? t : nil)]))
        y += rowHeight
      }
      for r in b.rows { trialRow(r) }
      for s in b.summaries { summaryRow(s, inSubgroup: true) }
      if let h = b.heterogeneity { noteRow(ForestPlot.heterogeneityText(h), cssClass: "heterogeneity") }
    }

    mutating func trialRow(_ r: ComparisonForestPlotData.Row) {
      let cut = TextMetrics.truncate(r.label, maxWidth: labelWidth, fontSize: fs)
      let est = r.included && r.effect.isFinite ? Self.ci(r.effect, r.ciLower, r.ciUpper, data.decimals) : ""
      let weightText = r.weight.isFinite && r.included ? "\(PlotFormat.fixed(r.weight, 1))%" : ""
      let treat = "\(r.eventsTreat)/\(r.totalTreat)", control = "\(r.eventsControl)/\(r.totalControl)"
      var kids: [MarkupNode] = [
        SVG.text(pad, baseline, cut.text, cssClass: "label", tooltip: cut.truncated ? r.label : nil),
        SVG.text(xTreatRight, baseline, treat, anchor: .end, cssClass: "arm-treat"),
        SVG.text(xControlRight, baseline, control, anchor: .end, cssClass: "arm-control"),
      ]
      if r.included, let lo = px(r.ciLower), let hi = px(r.ciUpper) {
        kids.append(SVG.line(lo, rowMid, hi, rowMid, stroke: SVGStyle.ciLine, cssClass: "ci"))
      }
      if r.included, r.effect.isFinite, let cx = px(r.effect) {
        let maxSide = rowHeight * 0.75
        var side = 6.0
        if r.weight.isFinite, maxWeight > 0 { side = max(2.5, maxSide * (max(0, r.weight) / maxWeight).squareRoot()) }
        kids.append(SVG.rect(cx - side / 2, rowMid - side / 2, side, side, fill: SVGStyle.cohort, cssClass: "box"))
      }
      kids.append(SVG.text(xEst, baseline, est))
      kids.append(SVG.text(xWeightRight, baseline, weightText, anchor: .end))
      let tip = "\(r.label): \(data.treatLabel) \(treat), \(data.controlLabel) \(control)" + (est.isEmpty ? ", no outcome" : ", \(data.measure) \(est)")
        + (weightText.isEmpty ? "" : ", weight \(weightText)")
      rowNodes.append(SVG.group("trial", tooltip: tip, kids))
      y += rowHeight
    }

    mutating func summaryRow(_ s: ComparisonForestPlotData.Summary, inSubgroup: Bool) {
      let colour: String
      switch s.kind {
      case .common: colour = SVGStyle.common
      case .random: colour = inSubgroup ? SVGStyle.subgroup : SVGStyle.random
      case .simple: colour = SVGStyle.random
      }
      let est = Self.ci(s.effect, s.ciLower, s.ciUpper, data.decimals)
      var kids: [MarkupNode] = [SVG.text(pad, baseline, s.label, bold: !inSubgroup, italic: inSubgroup)]
      if let e = s.eventsTreat, let t = s.totalTreat {
        kids.append(SVG.text(xTreatRight, baseline, "\(e)/\(t)", anchor: .end, bold: !inSubgroup, cssClass: "arm-treat"))
      }
      if let e = s.eventsControl, let t = s.totalControl {
        kids.append(SVG.text(xControlRight, baseline, "\(e)/\(t)", anchor: .end, bold: !inSubgroup, cssClass: "arm-control"))
      }
      if let lo = px(s.ciLower), let hi = px(s.ciUpper), let c = px(s.effect), s.effect.isFinite {
        let h = rowHeight * 0.55
        kids.append(SVG.polygon([(lo, rowMid), (c, rowMid - h / 2), (hi, rowMid), (c, rowMid + h / 2)], fill: colour, stroke: SVGStyle.ink, cssClass: "diamond"))
      }
      kids.append(SVG.text(xEst, baseline, est, bold: !inSubgroup))
      if let w = s.weight, w.isFinite {
        kids.append(SVG.text(xWeightRight, baseline, "\(PlotFormat.fixed(w, 1))%", anchor: .end, bold: !inSubgroup))
      }
      let cls = "pooled \(s.kind.rawValue)" + (inSubgroup ? " subgroup" : "")
      rowNodes.append(SVG.group(cls, tooltip: "\(s.label): \(data.measure) \(est)", kids))
      y += rowHeight
    }

    mutating func predictionRow(_ pi: ClosedRange<Double>) {
      let text = "[\(PlotFormat.fixed(pi.lowerBound, data.decimals)), \(PlotFormat.fixed(pi.upperBound, data.decimals))]"
      var kids: [MarkupNode] = [SVG.text(pad, baseline, "Prediction interval")]
      if let lo = px(pi.lowerBound), let hi = px(pi.upperBound) {
        let h = rowHeight * 0.3
        kids.append(SVG.rect(lo, rowMid - h / 2, hi - lo, h, fill: SVGStyle.prediction, cssClass: "bar"))
      }
      kids.append(SVG.text(xEst, baseline, text))
      rowNodes.append(SVG.group("prediction-interval", tooltip: "Prediction interval: \(text)", kids))
      y += rowHeight
    }

    mutating func noteRow(_ text: String, cssClass: String) {
      rowNodes.append(SVG.text(pad, y + rowHeight / 2 + small * 0.35, text, size: small, fill: SVGStyle.muted, cssClass: cssClass))
      y += rowHeight * 0.85
    }
  }
}
