// SPDX-License-Identifier: GPL-3.0-or-later

/// Draws a forest plot as SVG from ``ForestPlotData``.
///
/// Layout, left to right: cohort label (truncated with "…" beyond ``Options/maxLabelWidth``;
/// the full label is the row's tooltip), events/N, the interval plot (x-axis in percent), the
/// proportion with its CI, and the weight. A square's area is proportional to the cohort's
/// weight. Rows are ``Options/rowHeight`` pixels high and the picture grows with the number of
/// rows, so 100+ cohorts stay readable.
///
/// Structure (for tests and styling): each cohort row is `<g class="cohort">`; each diamond is
/// `<g class="pooled common|random|simple">` (subgroup diamonds add `subgroup`); the prediction
/// interval is `<g class="prediction-interval">`; the axis is `<g class="axis x-axis">` with
/// `tick-label` and `axis-title` texts; heterogeneity lines have class `heterogeneity`.
package enum ForestPlot {
  /// The order of the cohort rows within each block.
  package enum RowOrder: String, CaseIterable, Sendable, Hashable {
    /// As in the input file.
    case input
    /// By observed proportion, ascending.
    case estimate
    /// By number of patients, ascending.
    case n
    /// By label (Unicode order).
    case label
  }

  /// Size and presentation settings.
  package struct Options: Sendable, Hashable {
    /// Widest label column before labels are truncated, in pixels.
    package var maxLabelWidth: Double
    /// Width of the interval plot, in pixels.
    package var plotWidth: Double
    /// Height of one row, in pixels.
    package var rowHeight: Double
    /// The x-axis title (nil: the data's, "Proportion (%)").
    package var axisTitle: String?
    /// The x-axis range as proportions (nil: everything drawn, extended to round numbers);
    /// intervals beyond it are cut at its edge.
    package var axisLimits: ClosedRange<Double>?
    /// Decimals of the percentages in the estimate column (0–4).
    package var decimals: Int
    /// The order of the cohorts within each block.
    package var order: RowOrder

    /// Creates options (defaults: 280 px labels, 340 px plot, 20 px rows, automatic axis,
    /// one decimal, input order).
    package init(
      maxLabelWidth: Double = 280, plotWidth: Double = 340, rowHeight: Double = 20, axisTitle: String? = nil,
      axisLimits: ClosedRange<Double>? = nil, decimals: Int = 1, order: RowOrder = .input
    ) {
      self.maxLabelWidth = maxLabelWidth
      self.plotWidth = plotWidth
      self.rowHeight = rowHeight
      self.axisTitle = axisTitle
      self.axisLimits = axisLimits
      self.decimals = min(4, max(0, decimals))
      self.order = order
    }
  }

  /// Renders the plot.
  package static func render(_ data: ForestPlotData, options: Options = .init()) -> SVGDocument {
    var data = data
    if let t = options.axisTitle { data.axisTitle = t }
    for i in data.blocks.indices { data.blocks[i].rows = ordered(data.blocks[i].rows, options.order) }
    var layout = Layout(data: data, options: options)
    return layout.draw()
  }

  /// The rows in `order` (stable: ties keep the input order).
  static func ordered(_ rows: [ForestPlotData.Row], _ order: RowOrder) -> [ForestPlotData.Row] {
    let indexed = Array(rows.enumerated())
    func sorted(_ less: (ForestPlotData.Row, ForestPlotData.Row) -> Bool) -> [ForestPlotData.Row] {
      indexed.sorted { less($0.element, $1.element) || (!less($1.element, $0.element) && $0.offset < $1.offset) }.map(\.element)
    }
    switch order {
    case .input: return rows
    case .estimate: return sorted { $0.proportion < $1.proportion }
    case .n: return sorted { $0.count.total < $1.count.total }
    case .label: return sorted { $0.label.unicodeScalars.lexicographicallyPrecedes($1.label.unicodeScalars) }
    }
  }

  /// The heterogeneity sentence.
  static func heterogeneityText(_ h: ForestPlotData.Heterogeneity) -> String {
    var parts: [String] = []
    if h.i2.isFinite { parts.append("I² = \(PlotFormat.fixed(h.i2, 1))%") }
    if h.tau2.isFinite { parts.append("τ² = \(PlotFormat.significant(h.tau2))") }
    if h.test.q.isFinite { parts.append("Q = \(PlotFormat.fixed(h.test.q, 2)) (df = \(h.test.degreesOfFreedom))") }
    if h.test.pValue.isFinite { parts.append("\(PlotFormat.pClause(h.test.pValue))") }
    return "Heterogeneity: " + parts.joined(separator: ", ")
  }

  static func subgroupTestText(_ t: ForestPlotData.SubgroupTest) -> String {
    "Test for subgroup differences: Q = \(PlotFormat.fixed(t.q, 2)), df = \(t.degreesOfFreedom), \(PlotFormat.pClause(t.pValue))"
  }

  /// Column positions and the running y position.
  struct Layout: ForestLayout {
    typealias Block = ForestPlotData.Block
    let data: ForestPlotData
    let o: Options
    var canvas: ForestCanvas
    var xCountRight = 0.0
    var scale = LinearScale(domain: 0...1, range: 0...1)

    var fs: Double { canvas.fs }
    var pad: Double { canvas.pad }

    init(data: ForestPlotData, options: Options) {
      self.data = data
      self.o = options
      self.canvas = ForestCanvas(pad: 14, rowHeight: options.rowHeight)
      let fs = canvas.fs, small = canvas.small, pad = canvas.pad
      let rows = data.blocks.flatMap(\.rows)
      let summaries = data.blocks.flatMap(\.summaries) + data.overall
      // Label column: the longest label (capped), and room for the summary and note lines,
      // which span the label and count columns.
      var lw = canvas.labelColumnWidth(
        header: "Cohort", labels: rows.map(\.label), titles: data.blocks.compactMap(\.title), summaryLabels: summaries.map(\.label),
        cap: o.maxLabelWidth)
      var countW = TextMetrics.width("Events/N", fontSize: fs)
      for c in rows.map(\.count) + summaries.compactMap(\.count) { countW = max(countW, TextMetrics.width(c.text, fontSize: fs)) }
      var notes: [String] = data.blocks.compactMap { $0.heterogeneity.map(ForestPlot.heterogeneityText) }
      if let h = data.heterogeneity { notes.append(ForestPlot.heterogeneityText(h)) }
      if let t = data.subgroupTest { notes.append(ForestPlot.subgroupTestText(t)) }
      let noteW = notes.map { TextMetrics.width($0, fontSize: small) }.max() ?? 0
      lw = max(lw, noteW - countW - 20)
      canvas.labelWidth = lw
      xCountRight = pad + lw + 16 + countW
      let xPlot0 = xCountRight + 22
      let xPlot1 = xPlot0 + o.plotWidth
      canvas.xEstimate = xPlot1 + 18
      let estHeader = "Proportion (%) [\(PlotFormat.tick(data.levelPercent))% CI]"
      // Headers are bold: about 8 % wider than the estimate.
      var estW = TextMetrics.width(estHeader, fontSize: fs) * 1.08
      let widest = PlotFormat.percent(1, digits: o.decimals)
      estW = max(estW, TextMetrics.width("\(widest) [\(widest), \(widest)]", fontSize: fs) * 1.08)
      let weightW = TextMetrics.width("Weight", fontSize: fs) * 1.08
      canvas.xWeightRight = canvas.xEstimate + estW + 18 + max(weightW, TextMetrics.width("100.0%", fontSize: fs) * 1.08)
      canvas.width = canvas.xWeightRight + pad
      if let f = data.footnote { canvas.width = max(canvas.width, pad * 2 + TextMetrics.width(f, fontSize: small)) }
      // x-axis domain: everything drawn, extended to round percentages, within 0–100 %.
      var values: [Double] = []
      for r in rows { values += [r.ciLower, r.ciUpper, r.proportion] }
      for s in summaries { values += [s.ciLower, s.ciUpper, s.proportion] }
      if let pi = data.predictionInterval { values += [pi.lowerBound, pi.upperBound] }
      let finite = values.filter(\.isFinite)
      var domain = NiceNumbers.extend(finite.min() ?? 0, finite.max() ?? 1, maxCount: 6)
      domain = max(0, domain.lowerBound)...min(1, domain.upperBound)
      if domain.upperBound <= domain.lowerBound { domain = 0...1 }
      if let limits = o.axisLimits { domain = limits }
      scale = LinearScale(domain: domain, range: xPlot0...xPlot1)
      canvas.maxWeight = rows.map(\.weight).filter(\.isFinite).max() ?? 0
    }

    mutating func draw() -> SVGDocument {
      let prediction = data.predictionInterval.map { pi in
        (text: "[\(PlotFormat.percent(pi.lowerBound, digits: o.decimals)), \(PlotFormat.percent(pi.upperBound, digits: o.decimals))]",
         bar: Optional((scale.clamped(pi.lowerBound), scale.clamped(pi.upperBound))))
      }
      let dataTop = drawTable(
        title: data.title, blocks: data.blocks, overall: data.overall, prediction: prediction, heterogeneity: data.heterogeneity)
      if let t = data.subgroupTest { canvas.noteRow(ForestPlot.subgroupTestText(t), cssClass: "subgroup-test") }
      let axisY = canvas.y + 6
      let ticks = scale.ticks(maxCount: 6).map { AxisTick(value: $0, label: PlotFormat.percentTick($0)) }
      var back: [MarkupNode] = [Axis.grid(vertical: ticks.map { scale($0.value) }, from: dataTop, to: axisY)]
      if let r = data.referenceLine, r.isFinite, scale.domain.contains(r) {
        back.append(ForestCanvas.referenceLine(at: scale(r), from: dataTop, to: axisY))
      }
      return canvas.document(
        back + canvas.rows, axis: Axis.horizontal(scale: scale, y: axisY, ticks: ticks, title: data.axisTitle), axisY: axisY,
        footnote: data.footnote, title: data.title ?? "Forest plot", kind: "forest-plot")
    }

    mutating func header() {
      let estHeader = "Proportion (%) [\(PlotFormat.tick(data.levelPercent))% CI]"
      canvas.columnHeader(label: "Cohort", counts: [(xCountRight, "Events/N")], estimate: estHeader)
    }

    mutating func studyRow(_ r: ForestPlotData.Row) {
      let est = PlotFormat.percentCI(r.proportion, r.ciLower, r.ciUpper, digits: o.decimals)
      let weightText = r.weight.isFinite ? "\(PlotFormat.fixed(r.weight, 1))%" : ""
      canvas.studyRow(
        label: r.label, counts: [SVG.text(xCountRight, canvas.baseline, r.count.text, anchor: .end)],
        ci: r.ciLower.isFinite && r.ciUpper.isFinite ? (scale.clamped(r.ciLower), scale.clamped(r.ciUpper)) : nil,
        box: r.proportion.isFinite ? scale.clamped(r.proportion) : nil, weight: r.weight.isFinite ? r.weight : nil,
        estimate: est, weightText: weightText, cssClass: "cohort",
        tooltip: "\(r.label): \(r.count.text), \(est)" + (r.weight.isFinite ? ", weight \(weightText)" : ""))
    }

    mutating func summaryRow(_ s: ForestPlotData.Summary, inSubgroup: Bool) {
      let est = PlotFormat.percentCI(s.proportion, s.ciLower, s.ciUpper, digits: o.decimals)
      let counts = s.count.map { [SVG.text(xCountRight, canvas.baseline, $0.text, anchor: .end, bold: !inSubgroup)] } ?? []
      let drawn = s.proportion.isFinite && s.ciLower.isFinite && s.ciUpper.isFinite
      canvas.summaryRow(
        label: s.label, kind: s.kind, inSubgroup: inSubgroup, counts: counts,
        diamond: drawn ? (scale.clamped(s.ciLower), scale.clamped(s.proportion), scale.clamped(s.ciUpper)) : nil,
        estimate: est, weight: s.weight, tooltip: "\(s.label): \(est)")
    }
  }
}
