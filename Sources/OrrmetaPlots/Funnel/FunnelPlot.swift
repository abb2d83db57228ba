// SPDX-License-Identifier: GPL-3.0-or-later

/// Draws a funnel plot as SVG from ``FunnelPlotData`` (metafor `funnel` layout: outcome on the
/// x-axis, standard error on the y-axis with 0 at the top).
///
/// Structure: each cohort is `<g class="cohort">` (a filled circle with a tooltip); imputed
/// cohorts are `<g class="imputed">` (open circles); the pooled estimate is
/// `<line class="estimate">`, the pseudo-confidence region `<g class="pseudo-ci">`, contours
/// `<g class="contours">` with a legend; axes as in every plot (`axis x-axis`, `axis y-axis`).
package enum FunnelPlot {
  /// Size settings.
  package struct Options: Sendable, Hashable {
    /// Plot-area width and height in pixels.
    package var plotWidth: Double
    /// Plot-area height in pixels.
    package var plotHeight: Double

    /// Creates options (defaults 520 × 380).
    package init(plotWidth: Double = 520, plotHeight: Double = 380) {
      self.plotWidth = plotWidth; self.plotHeight = plotHeight
    }
  }

  /// Renders the plot.
  package static func render(_ data: FunnelPlotData, options: Options = .init()) -> SVGDocument {
    let left = 84.0, right = 24.0
    var nodes: [MarkupNode] = []
    let top = SVG.title(data.title, left: left, into: &nodes)
    let all = data.points + data.imputed
    let seMax = all.map(\.standardError).filter { $0.isFinite && $0 >= 0 }.max() ?? 1
    let yDomain = NiceNumbers.extend(0, seMax > 0 ? seMax : 1, maxCount: 6)
    let seBottom = yDomain.upperBound
    var xs = all.map(\.effect).filter(\.isFinite)
    if data.estimate.isFinite { xs.append(data.estimate) }
    if let c = data.pseudoConfidenceCritical, data.estimate.isFinite {
      xs += [data.estimate - c * seBottom, data.estimate + c * seBottom]
    }
    if let widest = data.contours.map(\.critical).max() {
      xs += [data.contourCentre - widest * seBottom, data.contourCentre + widest * seBottom]
    }
    var lo = xs.min() ?? -1, hi = xs.max() ?? 1
    if hi <= lo { lo -= 1; hi += 1 }
    let pad = (hi - lo) * 0.04
    let xDomain: ClosedRange<Double>
    if data.xTicks == nil { xDomain = NiceNumbers.extend(lo - pad, hi + pad) } else { xDomain = (lo - pad)...(hi + pad) }
    let x0 = left, x1 = left + options.plotWidth
    let y0 = top + 8, y1 = top + 8 + options.plotHeight
    let xs_ = LinearScale(domain: xDomain, range: x0...x1)
    let ys = LinearScale(domain: yDomain, range: y0...y1)

    // Contours: the plot area in the darkest shade, then nested triangles from the widest in.
    if !data.contours.isEmpty {
      let sorted = data.contours.sorted { $0.critical > $1.critical }
      var kids: [MarkupNode] = [SVG.rect(x0, y0, x1 - x0, y1 - y0, fill: SVGStyle.contourShades[0])]
      for (i, c) in sorted.enumerated() {
        let shade = i + 1 < SVGStyle.contourShades.count ? SVGStyle.contourShades[i + 1] : "#ffffff"
        let fill = i == sorted.count - 1 ? "#ffffff" : shade
        let apex = (xs_(data.contourCentre), ys(0))
        let l = (xs_(data.contourCentre - c.critical * seBottom), ys(seBottom))
        let r = (xs_(data.contourCentre + c.critical * seBottom), ys(seBottom))
        kids.append(SVG.polygon([l, apex, r], fill: fill, cssClass: "contour"))
      }
      nodes.append(SVG.group("contours", kids))
    } else {
      nodes.append(SVG.rect(x0, y0, x1 - x0, y1 - y0, fill: "#ffffff", stroke: SVGStyle.grid))
    }
    // Pseudo-confidence region and the estimate.
    if data.estimate.isFinite {
      if let c = data.pseudoConfidenceCritical {
        let apex = (xs_(data.estimate), ys(0))
        nodes.append(SVG.group("pseudo-ci", [
          SVG.polyline([(xs_(data.estimate - c * seBottom), ys(seBottom)), apex, (xs_(data.estimate + c * seBottom), ys(seBottom))], stroke: SVGStyle.ink, width: 0.9, dash: "5 3")
        ]))
      }
      nodes.append(SVG.line(xs_(data.estimate), y0, xs_(data.estimate), y1, stroke: SVGStyle.ink, cssClass: "estimate"))
    }
    if let adj = data.adjustedEstimate, adj.isFinite {
      nodes.append(SVG.line(xs_(adj), y0, xs_(adj), y1, stroke: SVGStyle.imputed, dash: "2 2", cssClass: "adjusted-estimate"))
    }
    // Points.
    for p in data.points where p.effect.isFinite && p.standardError.isFinite {
      let tip = "\(p.label): \(PlotFormat.significant(p.effect)), SE \(PlotFormat.significant(p.standardError))"
      nodes.append(SVG.group("cohort", tooltip: tip, [SVG.circle(xs_(p.effect), ys(p.standardError), r: 3.6, fill: SVGStyle.cohort, stroke: "#ffffff")]))
    }
    for p in data.imputed where p.effect.isFinite && p.standardError.isFinite {
      let tip = "imputed (trim-and-fill): \(PlotFormat.significant(p.effect)), SE \(PlotFormat.significant(p.standardError))"
      nodes.append(SVG.group("imputed", tooltip: tip, [SVG.circle(xs_(p.effect), ys(p.standardError), r: 3.6, fill: "#ffffff", stroke: SVGStyle.imputed)]))
    }
    // Axes.
    let xTicks = data.xTicks ?? Axis.plainTicks(xs_)
    nodes.append(Axis.horizontal(scale: xs_, y: y1, ticks: xTicks.filter { xDomain.contains($0.value) }, title: data.xTitle))
    nodes.append(Axis.vertical(scale: ys, x: x0, ticks: Axis.plainTicks(ys, maxCount: 6), title: "Standard error"))
    var y = y1 + 52
    // Legend.
    var legend: [(String, String, String)] = []  // (fill, stroke, text)
    if !data.contours.isEmpty {
      let sorted = data.contours.sorted { $0.critical < $1.critical }
      let alphas = sorted.map { (100 - $0.levelPercent) / 100 }
      legend.append(("#ffffff", SVGStyle.ink, "p > \(PlotFormat.tick(alphas[0]))"))
      for i in 1..<max(1, alphas.count) where alphas.count > 1 {
        let shadeIndex = sorted.count - i
        legend.append((SVGStyle.contourShades[min(shadeIndex, SVGStyle.contourShades.count - 1)], SVGStyle.ink, "\(PlotFormat.tick(alphas[i])) < p ≤ \(PlotFormat.tick(alphas[i - 1]))"))
      }
      legend.append((SVGStyle.contourShades[0], SVGStyle.ink, "p ≤ \(PlotFormat.tick(alphas.last!))"))
    }
    if !data.imputed.isEmpty { legend.append(("#ffffff", SVGStyle.imputed, "imputed (trim-and-fill)")) }
    if !legend.isEmpty {
      var x = x0
      var kids: [MarkupNode] = []
      if let c = data.contourCentreLabel {
        kids.append(SVG.text(x, y + 10, c + ":", size: SVGStyle.smallFontSize, fill: SVGStyle.muted))
        x += TextMetrics.width(c + ":", fontSize: SVGStyle.smallFontSize) + 10
      }
      for (fill, stroke, text) in legend {
        kids.append(SVG.rect(x, y + 1, 11, 11, fill: fill, stroke: stroke))
        kids.append(SVG.text(x + 15, y + 10, text, size: SVGStyle.smallFontSize))
        x += 15 + TextMetrics.width(text, fontSize: SVGStyle.smallFontSize) + 14
      }
      nodes.append(SVG.group("legend", kids))
      y += 20
    }
    var width = x1 + right
    if let f = data.footnote {
      nodes.append(SVG.text(x0, y + 12, f, size: SVGStyle.smallFontSize, fill: SVGStyle.muted, cssClass: "footnote"))
      width = max(width, x0 + TextMetrics.width(f, fontSize: SVGStyle.smallFontSize) + right)
      y += 20
    }
    return SVGDocument(width: width, height: y + 12, title: data.title ?? "Funnel plot", kind: "funnel-plot", children: nodes)
  }
}
