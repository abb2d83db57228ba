// SPDX-License-Identifier: GPL-3.0-or-later

/// Draws a Baujat plot as SVG: each cohort a point labelled with its (truncated) label,
/// contribution to heterogeneity on the x-axis, influence on the pooled result on the y-axis.
///
/// Structure: each cohort is `<g class="cohort">` with a tooltip giving the full label and both
/// coordinates; axes as in every plot.
public enum BaujatPlot {
  /// Renders the plot (plot area `plotWidth` × `plotHeight` pixels).
  public static func render(_ data: BaujatPlotData, plotWidth: Double = 520, plotHeight: Double = 380) -> SVGDocument {
    let left = 84.0, right = 150.0
    var top = 16.0
    var nodes: [MarkupNode] = []
    if let t = data.title {
      nodes.append(SVG.text(left, top + SVGStyle.titleFontSize, t, size: SVGStyle.titleFontSize, bold: true, cssClass: "plot-title"))
      top += SVGStyle.titleFontSize + 14
    }
    let pts = data.points.filter { $0.x.isFinite && $0.y.isFinite }
    let xDomain = NiceNumbers.extend(0, max(pts.map(\.x).max() ?? 1, 1e-12), maxCount: 6)
    let yDomain = NiceNumbers.extend(0, max(pts.map(\.y).max() ?? 1, 1e-12), maxCount: 6)
    let x0 = left, x1 = left + plotWidth, y0 = top + 8, y1 = top + 8 + plotHeight
    let xs = LinearScale(domain: xDomain, range: x0...x1)
    let ys = LinearScale(domain: yDomain, range: y0...y1, reversed: true)
    nodes.append(SVG.rect(x0, y0, x1 - x0, y1 - y0, fill: "#ffffff", stroke: SVGStyle.grid))
    let xTicks = Axis.plainTicks(xs), yTicks = Axis.plainTicks(ys, maxCount: 6)
    nodes.append(Axis.grid(vertical: xTicks.map { xs($0.value) }, from: y0, to: y1))
    nodes.append(SVG.group("grid", yTicks.map { SVG.line(x0, ys($0.value), x1, ys($0.value), stroke: SVGStyle.grid, width: 0.6) }))
    for p in pts {
      let cut = TextMetrics.truncate(p.label, maxWidth: 130, fontSize: SVGStyle.smallFontSize)
      let cx = xs(p.x), cy = ys(p.y)
      let anchorEnd = cx > x1 - 120
      nodes.append(SVG.group("cohort", tooltip: "\(p.label): heterogeneity contribution \(PlotFormat.significant(p.x)), influence \(PlotFormat.significant(p.y))", [
        SVG.circle(cx, cy, r: 3.4, fill: SVGStyle.cohort),
        SVG.text(anchorEnd ? cx - 6 : cx + 6, cy - 5, cut.text, anchor: anchorEnd ? .end : .start, size: SVGStyle.smallFontSize, cssClass: "label"),
      ]))
    }
    nodes.append(Axis.horizontal(scale: xs, y: y1, ticks: xTicks, title: "Contribution to overall heterogeneity"))
    nodes.append(Axis.vertical(scale: ys, x: x0, ticks: yTicks, title: "Influence on overall result"))
    var y = y1 + 52
    var width = x1 + right
    if let f = data.footnote {
      nodes.append(SVG.text(x0, y + 12, f, size: SVGStyle.smallFontSize, fill: SVGStyle.muted, cssClass: "footnote"))
      width = max(width, x0 + TextMetrics.width(f, fontSize: SVGStyle.smallFontSize) + 24)
      y += 20
    }
    return SVGDocument(width: width, height: y + 12, title: data.title ?? "Baujat plot", kind: "baujat-plot", children: nodes)
  }
}
