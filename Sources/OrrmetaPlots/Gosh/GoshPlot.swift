// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Draws a GOSH plot as SVG: the density of the subsets' (estimate, I²) pairs as a 2-D
/// histogram of square bins shaded on a log scale, so that 10⁶ subsets make a picture of a few
/// thousand rectangles at most; the full model is marked with a cross.
///
/// Structure: `<g class="density">` holds one `<rect class="bin">` per non-empty bin (its
/// tooltip gives the count); `<g class="full-model">` the cross; a colour legend
/// `<g class="legend">`; axes as in every plot.
package enum GoshPlot {
  /// Size settings.
  package struct Options: Sendable, Hashable {
    /// Plot-area width in pixels.
    package var plotWidth: Double
    /// Plot-area height in pixels.
    package var plotHeight: Double
    /// Number of bins across and up.
    package var columns: Int
    /// Number of bins up.
    package var rows: Int

    /// Creates options (defaults 520 × 380 pixels, 104 × 76 bins of 5 × 5 pixels).
    package init(plotWidth: Double = 520, plotHeight: Double = 380, columns: Int = 104, rows: Int = 76) {
      self.plotWidth = plotWidth
      self.plotHeight = plotHeight
      self.columns = max(1, columns)
      self.rows = max(1, rows)
    }
  }

  /// Renders the plot.
  package static func render(_ data: GoshPlotData, options: Options = .init()) -> SVGDocument {
    let left = 84.0, right = 24.0
    var nodes: [MarkupNode] = []
    let top = SVG.title(data.title, left: left, into: &nodes)
    let n = min(data.estimates.count, data.i2.count)
    var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
    var missing = 0
    data.estimates.withUnsafeBufferPointer { xb in
      data.i2.withUnsafeBufferPointer { yb in
        for i in 0..<n {
          let x = xb[i], y = yb[i]
          guard x.isFinite, y.isFinite else { missing += 1; continue }
          xlo = min(xlo, x); xhi = max(xhi, x); ylo = min(ylo, y); yhi = max(yhi, y)
        }
      }
    }
    if let m = data.fullModel, m.estimate.isFinite, m.i2.isFinite {
      xlo = min(xlo, m.estimate); xhi = max(xhi, m.estimate); ylo = min(ylo, m.i2); yhi = max(yhi, m.i2)
    }
    if !xlo.isFinite { xlo = 0; xhi = 1; ylo = 0; yhi = 100 }
    if xhi <= xlo { xlo -= 0.5 * max(abs(xlo), 0.01); xhi += 0.5 * max(abs(xhi), 0.01) }
    let xpad = (xhi - xlo) * 0.03
    let xDomain = data.xTicks == nil ? NiceNumbers.extend(xlo - xpad, xhi + xpad, maxCount: 7) : (xlo - xpad)...(xhi + xpad)
    var yDomain = NiceNumbers.extend(max(0, ylo), min(100, max(yhi, ylo + 1)), maxCount: 6)
    yDomain = max(0, yDomain.lowerBound)...min(100, yDomain.upperBound)
    if yDomain.upperBound <= yDomain.lowerBound { yDomain = 0...100 }
    let x0 = left, x1 = left + options.plotWidth, y0 = top + 8, y1 = top + 8 + options.plotHeight
    let xs = LinearScale(domain: xDomain, range: x0...x1)
    let ys = LinearScale(domain: yDomain, range: y0...y1, reversed: true)
    nodes.append(SVG.rect(x0, y0, x1 - x0, y1 - y0, fill: "#ffffff", stroke: SVGStyle.grid))

    let grid = DensityGrid(xs: data.estimates, ys: data.i2, xDomain: xDomain, yDomain: yDomain, columns: options.columns, rows: options.rows)
    let maxCount = grid.maximum
    let bw = (x1 - x0) / Double(options.columns), bh = (y1 - y0) / Double(options.rows)
    var bins: [MarkupNode] = []
    let logMax = log1p(Double(maxCount))
    for r in 0..<options.rows {
      for c in 0..<options.columns {
        let k = grid[c, r]
        guard k > 0 else { continue }
        let t = logMax > 0 ? log1p(Double(k)) / logMax : 1
        // A bin's rectangle, bottom row at the bottom; 0.3 px overlap hides seams.
        let node = MarkupNode.el("rect", [
          ("class", "bin"), ("x", SVG.n(x0 + Double(c) * bw)), ("y", SVG.n(y1 - Double(r + 1) * bh)),
          ("width", SVG.n(bw + 0.3)), ("height", SVG.n(bh + 0.3)), ("fill", colour(t)),
        ], [SVG.title(PlotFormat.count(k))])
        bins.append(node)
      }
    }
    nodes.append(SVG.group("density", bins))
    if let m = data.fullModel, m.estimate.isFinite, m.i2.isFinite {
      let cx = xs(m.estimate), cy = ys(m.i2)
      nodes.append(SVG.group("full-model", tooltip: "all cohorts: \(PlotFormat.significant(m.estimate)), I² = \(PlotFormat.fixed(m.i2, 1))%", [
        SVG.line(cx - 7, cy, cx + 7, cy, stroke: SVGStyle.highlight, width: 2.2),
        SVG.line(cx, cy - 7, cx, cy + 7, stroke: SVGStyle.highlight, width: 2.2),
      ]))
    }
    let xTicks = (data.xTicks ?? Axis.plainTicks(xs)).filter { xDomain.contains($0.value) }
    nodes.append(Axis.horizontal(scale: xs, y: y1, ticks: xTicks, title: data.xTitle))
    nodes.append(Axis.vertical(scale: ys, x: x0, ticks: Axis.plainTicks(ys, maxCount: 6).map { AxisTick(value: $0.value, label: $0.label + "%") }, title: "I²"))
    // Legend: the colour ramp from 1 to the largest count (log scale).
    var y = y1 + 52
    var legend: [MarkupNode] = [SVG.text(x0, y + 10, "subsets per bin (log scale):", size: SVGStyle.smallFontSize, fill: SVGStyle.muted)]
    var lx = x0 + TextMetrics.width("subsets per bin (log scale):", fontSize: SVGStyle.smallFontSize) + 10
    let steps = 6
    for i in 0..<steps {
      let t = Double(i) / Double(steps - 1)
      let count = logMax > 0 ? Int(expm1(t * logMax).rounded()) : 1
      legend.append(SVG.rect(lx, y + 1, 11, 11, fill: colour(t), stroke: SVGStyle.grid))
      let label = PlotFormat.count(max(1, count))
      legend.append(SVG.text(lx + 14, y + 10, label, size: SVGStyle.smallFontSize))
      lx += 14 + TextMetrics.width(label, fontSize: SVGStyle.smallFontSize) + 10
    }
    nodes.append(SVG.group("legend", legend))
    y += 20
    var note = "\(PlotFormat.count(grid.total)) subsets"
    if missing > 0 { note += "; \(PlotFormat.count(missing)) failed fits left out" }
    if let f = data.footnote { note += "; " + f }
    nodes.append(SVG.text(x0, y + 12, note, size: SVGStyle.smallFontSize, fill: SVGStyle.muted, cssClass: "footnote"))
    let width = max(x1 + right, lx + right, x0 + TextMetrics.width(note, fontSize: SVGStyle.smallFontSize) + right)
    return SVGDocument(width: width, height: y + 32, title: data.title ?? "GOSH plot", kind: "gosh-plot", children: nodes)
  }

  /// The ramp colour at t ∈ [0, 1].
  static func colour(_ t: Double) -> String {
    let ramp = SVGStyle.densityRamp
    let u = min(max(t, 0), 1) * Double(ramp.count - 1)
    let i = min(ramp.count - 2, Int(u))
    let f = u - Double(i)
    let a = ramp[i], b = ramp[i + 1]
    func hex(_ v: Double) -> String {
      let x = Int((min(max(v, 0), 1) * 255).rounded())
      let digits = Array("0123456789abcdef")
      return String([digits[x / 16], digits[x % 16]])
    }
    return "#" + hex(a.0 + (b.0 - a.0) * f) + hex(a.1 + (b.1 - a.1) * f) + hex(a.2 + (b.2 - a.2) * f)
  }
}
