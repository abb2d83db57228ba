// SPDX-License-Identifier: GPL-3.0-or-later

/// Draws a Baujat plot as SVG: each cohort a point, contribution to heterogeneity on the
/// x-axis, influence on the pooled result on the y-axis.
///
/// Only the most influential cohorts are labelled (at most `maxLabels`, ranked by the larger of
/// x/max x and y/max y: the points towards the top or the right, the ones metafor's `baujat`
/// draws attention to), and a label is placed only where it overlaps no other label (right,
/// left, above or below its point, in that order); every point keeps its full label in the
/// tooltip. With 61 cohorts, labelling all of them would give an unreadable block.
///
/// Structure: each cohort is `<g class="cohort">` with a tooltip giving the full label and both
/// coordinates; axes as in every plot.
package enum BaujatPlot {
  /// How many cohorts are labelled at most by default.
  package static let defaultMaxLabels = 10

  /// Renders the plot (plot area `plotWidth` × `plotHeight` pixels), labelling at most
  /// `maxLabels` cohorts.
  package static func render(_ data: BaujatPlotData, plotWidth: Double = 520, plotHeight: Double = 380, maxLabels: Int = defaultMaxLabels) -> SVGDocument {
    let left = 84.0, right = 150.0
    var nodes: [MarkupNode] = []
    let top = SVG.title(data.title, left: left, into: &nodes)
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
    let labels = placeLabels(pts, xs: xs, ys: ys, bounds: (x0, x1 + right - 8, y0 - 8, y1), maxLabels: maxLabels)
    for (i, p) in pts.enumerated() {
      var kids = [SVG.circle(xs(p.x), ys(p.y), r: 3.4, fill: SVGStyle.cohort)]
      if let l = labels[i] {
        kids.append(SVG.text(l.x, l.y, l.text, anchor: l.anchorEnd ? .end : .start, size: SVGStyle.smallFontSize, cssClass: "label"))
      }
      nodes.append(SVG.group("cohort", tooltip: "\(p.label): heterogeneity contribution \(PlotFormat.significant(p.x)), influence \(PlotFormat.significant(p.y))", kids))
    }
    nodes.append(Axis.horizontal(scale: xs, y: y1, ticks: xTicks, title: "Contribution to overall heterogeneity"))
    nodes.append(Axis.vertical(scale: ys, x: x0, ticks: yTicks, title: "Influence on overall result"))
    return .closingScatterPlot(
      nodes, footnote: data.footnote, x: x0, y: y1 + 52, width: x1 + right, title: data.title ?? "Baujat plot", kind: "baujat-plot")
  }

  /// A placed label: baseline position, text and anchor.
  struct PlacedLabel {
    var x: Double
    var y: Double
    var text: String
    var anchorEnd: Bool
    /// The label's box (left, top, right, bottom) in pixels.
    var box: (Double, Double, Double, Double) {
      let w = TextMetrics.width(text, fontSize: SVGStyle.smallFontSize)
      let left = anchorEnd ? x - w : x
      return (left, y - SVGStyle.smallFontSize, left + w, y + 2)
    }
  }

  /// Chooses which points get a label and where: the `maxLabels` most influential points, each
  /// at the first of four positions around it whose box stays inside `bounds` and overlaps no
  /// label placed before it (a greedy pass, most influential first).
  static func placeLabels(
    _ pts: [BaujatPlotData.Point], xs: LinearScale, ys: LinearScale,
    bounds: (left: Double, right: Double, top: Double, bottom: Double), maxLabels: Int
  ) -> [Int: PlacedLabel] {
    let xmax = max(pts.map(\.x).max() ?? 1, 1e-300), ymax = max(pts.map(\.y).max() ?? 1, 1e-300)
    let ranked = pts.indices.sorted {
      let a = max(pts[$0].x / xmax, pts[$0].y / ymax), b = max(pts[$1].x / xmax, pts[$1].y / ymax)
      return a != b ? a > b : $0 < $1
    }
    var placed: [Int: PlacedLabel] = [:]
    func overlaps(_ a: (Double, Double, Double, Double), _ b: (Double, Double, Double, Double)) -> Bool {
      a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }
    for i in ranked.prefix(max(0, maxLabels)) {
      let cx = xs(pts[i].x), cy = ys(pts[i].y)
      let text = TextMetrics.truncate(pts[i].label, maxWidth: 130, fontSize: SVGStyle.smallFontSize).text
      let h = SVGStyle.smallFontSize
      let candidates = [
        PlacedLabel(x: cx + 6, y: cy - 5, text: text, anchorEnd: false),
        PlacedLabel(x: cx - 6, y: cy - 5, text: text, anchorEnd: true),
        PlacedLabel(x: cx + 6, y: cy + h + 3, text: text, anchorEnd: false),
        PlacedLabel(x: cx - 6, y: cy + h + 3, text: text, anchorEnd: true),
      ]
      for c in candidates {
        let b = c.box
        guard b.0 >= bounds.left, b.2 <= bounds.right, b.1 >= bounds.top, b.3 <= bounds.bottom + h else { continue }
        if placed.values.contains(where: { overlaps($0.box, b) }) { continue }
        placed[i] = c
        break
      }
    }
    return placed
  }
}
