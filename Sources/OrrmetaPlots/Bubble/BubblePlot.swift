// SPDX-License-Identifier: GPL-3.0-or-later

/// Draws a bubble plot as SVG (metafor `regplot`): cohorts as circles of area proportional to
/// their weight, the predicted proportion as a line and its CI as a shaded band.
///
/// Structure: the band is `<polygon class="ci-band">`, the line `<g class="prediction">`, each
/// cohort `<g class="cohort">` with a tooltip giving its label, moderator value, proportion and
/// weight; axes as in every plot.
package enum BubblePlot {
  /// The largest bubble radius in pixels (the cohort with the largest weight).
  static let maxRadius = 16.0

  /// Renders the plot (plot area `plotWidth` × `plotHeight` pixels).
  package static func render(_ data: BubblePlotData, plotWidth: Double = 520, plotHeight: Double = 380) -> SVGDocument {
    let left = 84.0, right = 40.0
    var nodes: [MarkupNode] = []
    let top = SVG.title(data.title, left: left, into: &nodes)
    let pts = data.points.filter { $0.x.isFinite && $0.proportion.isFinite }
    let xsAll = pts.map(\.x) + data.curve.map(\.x)
    let xDomain = NiceNumbers.extend(xsAll.min() ?? 0, max(xsAll.max() ?? 1, (xsAll.min() ?? 0) + 1e-12), maxCount: 7)
    let x0 = left, x1 = left + plotWidth, y0 = top + 8, y1 = top + 8 + plotHeight
    let xs = LinearScale(domain: xDomain, range: x0...x1)
    let ys = LinearScale(domain: 0...1, range: y0...y1, reversed: true)
    nodes.append(SVG.rect(x0, y0, x1 - x0, y1 - y0, fill: "#ffffff", stroke: SVGStyle.grid))
    let xTicks = Axis.plainTicks(xs)
    let yTicks = stride(from: 0.0, through: 1.0, by: 0.2).map { AxisTick(value: $0, label: PlotFormat.percentTick($0)) }
    nodes.append(Axis.grid(vertical: xTicks.map { xs($0.value) }, from: y0, to: y1))
    nodes.append(SVG.group("grid", yTicks.map { SVG.line(x0, ys($0.value), x1, ys($0.value), stroke: SVGStyle.grid, width: 0.6) }))
    let curve = data.curve.filter { $0.ciLower.isFinite && $0.ciUpper.isFinite && $0.proportion.isFinite }
    if curve.count >= 2 {
      let band = curve.map { (xs($0.x), ys($0.ciUpper)) } + curve.reversed().map { (xs($0.x), ys($0.ciLower)) }
      nodes.append(SVG.polygon(band, fill: "#dbe5f1", cssClass: "ci-band"))
      nodes.append(SVG.group("prediction", [SVG.polyline(curve.map { (xs($0.x), ys($0.proportion)) }, stroke: SVGStyle.random, width: 1.6)]))
    }
    let maxWeight = pts.map(\.weight).max() ?? 1
    // Largest first, so that small bubbles stay visible on top.
    for p in pts.sorted(by: { $0.weight > $1.weight }) {
      let r = maxWeight > 0 ? max(1.5, maxRadius * (p.weight / maxWeight).squareRoot()) : 3
      nodes.append(SVG.group("cohort", tooltip: "\(p.label): \(data.moderator) = \(PlotFormat.tick(p.x)), \(PlotFormat.percent(p.proportion))%, weight \(PlotFormat.fixed(p.weight))%", [
        SVG.circle(xs(p.x), ys(p.proportion), r: r, fill: "#34495e55", stroke: SVGStyle.cohort),
      ]))
    }
    nodes.append(Axis.horizontal(scale: xs, y: y1, ticks: xTicks, title: data.moderator))
    nodes.append(Axis.vertical(scale: ys, x: x0, ticks: yTicks, title: "Proportion"))
    return .closingScatterPlot(
      nodes, footnote: data.footnote, x: x0, y: y1 + 52, width: x1 + right, title: data.title ?? "Bubble plot", kind: "bubble-plot")
  }
}
