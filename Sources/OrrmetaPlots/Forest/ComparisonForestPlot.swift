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

  struct Layout: ForestLayout {
    typealias Block = ComparisonForestPlotData.Block
    let data: ComparisonForestPlotData
    let plotWidth: Double
    let rowHeight: Double
    var canvas: ForestCanvas
    var xTreatRight = 0.0
    var xControlRight = 0.0
    var scale = LinearScale(domain: 0...1, range: 0...1)
    var ticks: [AxisTick] = []

    var fs: Double { canvas.fs }
    var pad: Double { canvas.pad }

    init(data: ComparisonForestPlotData, plotWidth: Double, rowHeight: Double) {
      self.data = data
      self.plotWidth = plotWidth
      self.rowHeight = rowHeight
      self.canvas = ForestCanvas(pad: 14, rowHeight: rowHeight)
      let fs = canvas.fs, small = canvas.small, pad = canvas.pad
      let rows = data.blocks.flatMap(\.rows)
      let summaries = data.blocks.flatMap(\.summaries) + data.overall
      var lw = canvas.labelColumnWidth(
        header: "Trial", labels: rows.map(\.label), titles: data.blocks.compactMap(\.title), summaryLabels: summaries.map(\.label), cap: 280)
      func countWidth(_ header: String, _ texts: [String]) -> Double {
        texts.reduce(TextMetrics.width(header, fontSize: fs) * 1.08) { max($0, TextMetrics.width($1, fontSize: fs) * 1.08) }
      }
      let treatW = countWidth(data.treatLabel, (rows.map(\.treat) + summaries.compactMap(\.treat)).map(\.text))
      let controlW = countWidth(data.controlLabel, (rows.map(\.control) + summaries.compactMap(\.control)).map(\.text))
      var notes = data.blocks.compactMap { $0.heterogeneity.map(ForestPlot.heterogeneityText) }
      if let h = data.heterogeneity { notes.append(ForestPlot.heterogeneityText(h)) }
      let noteW = notes.map { TextMetrics.width($0, fontSize: small) }.max() ?? 0
      lw = max(lw, noteW - treatW - controlW - 36)
      canvas.labelWidth = lw
      xTreatRight = pad + lw + 16 + treatW
      xControlRight = xTreatRight + 16 + controlW
      let xPlot0 = xControlRight + 22
      let xPlot1 = xPlot0 + plotWidth
      canvas.xEstimate = xPlot1 + 18
      var estW = TextMetrics.width(Self.estimateHeader(data), fontSize: fs) * 1.08
      for r in rows { estW = max(estW, TextMetrics.width(Self.ci(r.effect, r.ciLower, r.ciUpper, data.decimals), fontSize: fs) * 1.08) }
      for s in summaries { estW = max(estW, TextMetrics.width(Self.ci(s.effect, s.ciLower, s.ciUpper, data.decimals), fontSize: fs) * 1.1) }
      canvas.xWeightRight = canvas.xEstimate + estW + 18 + max(TextMetrics.width("Weight", fontSize: fs), TextMetrics.width("100.0%", fontSize: fs)) * 1.08
      canvas.width = canvas.xWeightRight + pad
      if let f = data.footnote { canvas.width = max(canvas.width, pad * 2 + TextMetrics.width(f, fontSize: small)) }
      (scale, ticks) = ComparisonForestPlot.axis(data, range: xPlot0...xPlot1)
      canvas.maxWeight = rows.map(\.weight).filter(\.isFinite).max() ?? 0
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

    mutating func draw() -> SVGDocument {
      let prediction = data.predictionInterval.map { pi in
        (text: "[\(PlotFormat.fixed(pi.lowerBound, data.decimals)), \(PlotFormat.fixed(pi.upperBound, data.decimals))]",
         bar: px(pi.lowerBound).flatMap { lo in px(pi.upperBound).map { (lo, $0) } })
      }
      let dataTop = drawTable(
        title: data.title, blocks: data.blocks, overall: data.overall, prediction: prediction, heterogeneity: data.heterogeneity)
      let axisY = canvas.y + 6
      var back: [MarkupNode] = [Axis.grid(vertical: ticks.map { scale($0.value) }, from: dataTop, to: axisY)]
      let nullX = scale(model(data.nullEffect))
      back.append(SVG.line(nullX, dataTop, nullX, axisY, stroke: SVGStyle.ink, width: 0.8, cssClass: "null-line"))
      if let main = data.overall.last, let x = px(main.effect), main.effect.isFinite {
        back.append(ForestCanvas.referenceLine(at: x, from: dataTop, to: axisY))
      }
      let axisTitle = data.measureName + (data.isRatio ? " (log scale)" : "")
      return canvas.document(
        back + canvas.rows, axis: Axis.horizontal(scale: scale, y: axisY, ticks: ticks, title: axisTitle), axisY: axisY,
        footnote: data.footnote, title: data.title ?? "Forest plot", kind: "forest-plot")
    }

    mutating func header() {
      // Two lines: the arms' names over their events/N columns, then the column headers.
      let arms = canvas.baseline
      canvas.rows.append(SVG.group("header arms", [
        SVG.text(xTreatRight, arms, data.treatLabel, anchor: .end, bold: true, cssClass: "arm-treat"),
        SVG.text(xControlRight, arms, data.controlLabel, anchor: .end, bold: true, cssClass: "arm-control"),
      ]))
      canvas.y += rowHeight * 0.8
      canvas.columnHeader(label: "Trial", counts: [(xTreatRight, "Events/N"), (xControlRight, "Events/N")], estimate: Self.estimateHeader(data))
    }

    mutating func studyRow(_ r: ComparisonForestPlotData.Row) {
      let baseline = canvas.baseline
      let est = r.included && r.effect.isFinite ? Self.ci(r.effect, r.ciLower, r.ciUpper, data.decimals) : ""
      let weightText = r.weight.isFinite && r.included ? "\(PlotFormat.fixed(r.weight, 1))%" : ""
      let treat = r.treat.text, control = r.control.text
      let ci = r.included ? px(r.ciLower).flatMap { lo in px(r.ciUpper).map { (lo, $0) } } : nil
      let tip = "\(r.label): \(data.treatLabel) \(treat), \(data.controlLabel) \(control)" + (est.isEmpty ? ", no outcome" : ", \(data.measure) \(est)")
        + (weightText.isEmpty ? "" : ", weight \(weightText)")
      canvas.studyRow(
        label: r.label,
        counts: [
          SVG.text(xTreatRight, baseline, treat, anchor: .end, cssClass: "arm-treat"),
          SVG.text(xControlRight, baseline, control, anchor: .end, cssClass: "arm-control"),
        ],
        ci: ci, box: r.included && r.effect.isFinite ? px(r.effect) : nil, weight: r.weight.isFinite ? r.weight : nil,
        estimate: est, weightText: weightText, cssClass: "trial", tooltip: tip)
    }

    mutating func summaryRow(_ s: ComparisonForestPlotData.Summary, inSubgroup: Bool) {
      let baseline = canvas.baseline
      let est = Self.ci(s.effect, s.ciLower, s.ciUpper, data.decimals)
      var counts: [MarkupNode] = []
      if let c = s.treat { counts.append(SVG.text(xTreatRight, baseline, c.text, anchor: .end, bold: !inSubgroup, cssClass: "arm-treat")) }
      if let c = s.control { counts.append(SVG.text(xControlRight, baseline, c.text, anchor: .end, bold: !inSubgroup, cssClass: "arm-control")) }
      var diamond: (Double, Double, Double)?
      if let lo = px(s.ciLower), let hi = px(s.ciUpper), let c = px(s.effect), s.effect.isFinite { diamond = (lo, c, hi) }
      canvas.summaryRow(
        label: s.label, kind: s.kind, inSubgroup: inSubgroup, counts: counts, diamond: diamond, estimate: est, weight: s.weight,
        tooltip: "\(s.label): \(data.measure) \(est)")
    }
  }
}
