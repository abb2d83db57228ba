// SPDX-License-Identifier: GPL-3.0-or-later

/// Draws a cumulative forest plot as SVG: one row per step ("+ label"), the pooled proportion
/// after adding that cohort with its CI, and I² and τ² after the step.
///
/// Structure: each step is `<g class="step">`; the axis is `<g class="axis x-axis">` (percent).
package enum CumulativePlot {
  /// Renders the plot (the options' axis title, axis limits and decimals apply; the row order is
  /// the order of the steps).
  package static func render(_ data: CumulativePlotData, options: ForestPlot.Options = .init()) -> SVGDocument {
    let fs = SVGStyle.fontSize, pad = 14.0, rowH = options.rowHeight
    var labelW = TextMetrics.width("Added cohort", fontSize: fs)
    for s in data.steps { labelW = max(labelW, min(options.maxLabelWidth, TextMetrics.width("+ " + s.label, fontSize: fs))) }
    let xPlot0 = pad + labelW + 22, xPlot1 = xPlot0 + options.plotWidth
    let xEst = xPlot1 + 18
    let estHeader = "Proportion (%) [\(PlotFormat.tick(data.levelPercent))% CI]"
    let widest = PlotFormat.percent(1, digits: options.decimals)
    let estW = 1.08 * max(TextMetrics.width(estHeader, fontSize: fs), TextMetrics.width("\(widest) [\(widest), \(widest)]", fontSize: fs))
    let xI2Right = xEst + estW + 14 + TextMetrics.width("100.0%", fontSize: fs)
    let xTauRight = xI2Right + 16 + TextMetrics.width("0.00000", fontSize: fs) + 8
    var width = xTauRight + pad
    if let f = data.footnote { width = max(width, 2 * pad + TextMetrics.width(f, fontSize: SVGStyle.smallFontSize)) }
    var values: [Double] = []
    for s in data.steps { values += [s.ciLower, s.ciUpper, s.proportion] }
    let finite = values.filter(\.isFinite)
    var domain = NiceNumbers.extend(finite.min() ?? 0, finite.max() ?? 1, maxCount: 6)
    domain = max(0, domain.lowerBound)...min(1, domain.upperBound)
    if domain.upperBound <= domain.lowerBound { domain = 0...1 }
    if let limits = options.axisLimits { domain = limits }
    let scale = LinearScale(domain: domain, range: xPlot0...xPlot1)

    // The title comes before the grid in this plot's drawing order.
    var titled = ForestCanvas(pad: pad, rowHeight: rowH)
    titled.title(data.title)
    var canvas = ForestCanvas(pad: pad, rowHeight: rowH)
    canvas.y = titled.y
    canvas.width = width
    let b0 = canvas.baseline
    canvas.header([
      SVG.text(pad, b0, "Added cohort", bold: true),
      SVG.text(xEst, b0, estHeader, bold: true),
      SVG.text(xI2Right, b0, "I²", anchor: .end, bold: true),
      SVG.text(xTauRight, b0, "τ²", anchor: .end, bold: true),
    ])
    let top = canvas.y
    for s in data.steps {
      let mid = canvas.rowMid, base = canvas.baseline
      let cut = TextMetrics.truncate("+ " + s.label, maxWidth: labelW, fontSize: fs)
      let est = PlotFormat.percentCI(s.proportion, s.ciLower, s.ciUpper, digits: options.decimals)
      var kids: [MarkupNode] = [SVG.text(pad, base, cut.text, cssClass: "label", tooltip: cut.truncated ? s.label : nil)]
      if s.ciLower.isFinite, s.ciUpper.isFinite {
        kids.append(SVG.line(scale.clamped(s.ciLower), mid, scale.clamped(s.ciUpper), mid, stroke: SVGStyle.ciLine, cssClass: "ci"))
      }
      if s.proportion.isFinite { kids.append(SVG.circle(scale.clamped(s.proportion), mid, r: 3.6, fill: SVGStyle.random)) }
      kids.append(SVG.text(xEst, base, est))
      kids.append(SVG.text(xI2Right, base, s.i2.isFinite ? "\(PlotFormat.fixed(s.i2, 1))%" : "", anchor: .end))
      kids.append(SVG.text(xTauRight, base, s.tau2.isFinite ? PlotFormat.significant(s.tau2, 3) : "", anchor: .end))
      canvas.rows.append(SVG.group("step", tooltip: "after adding \(s.label): \(est)", kids))
      canvas.y += rowH
    }
    let axisY = canvas.y + 6
    let ticks = scale.ticks(maxCount: 6).map { AxisTick(value: $0, label: PlotFormat.percentTick($0)) }
    let grid = Axis.grid(vertical: ticks.map { scale($0.value) }, from: top, to: axisY)
    return canvas.document(
      titled.rows + [grid] + canvas.rows, axis: Axis.horizontal(scale: scale, y: axisY, ticks: ticks, title: options.axisTitle ?? data.axisTitle),
      axisY: axisY, footnote: data.footnote, title: data.title ?? "Cumulative meta-analysis", kind: "cumulative-plot")
  }
}
