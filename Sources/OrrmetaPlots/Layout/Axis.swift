// SPDX-License-Identifier: GPL-3.0-or-later

/// A tick on an axis: where (in data units) and what it says.
package struct AxisTick: Sendable, Hashable {
  /// The position in data units.
  package var value: Double
  /// The label.
  package var label: String

  /// Creates a tick.
  package init(value: Double, label: String) {
    self.value = value; self.label = label
  }
}

/// Axis drawing: a line, tick marks, tick labels (class `tick-label`) and a title (class
/// `axis-title`), grouped as `<g class="axis x-axis">` or `<g class="axis y-axis">`.
enum Axis {
  /// A horizontal axis at pixel row `y`, ticks below.
  static func horizontal(scale: LinearScale, y: Double, ticks: [AxisTick], title: String) -> MarkupNode {
    var kids: [MarkupNode] = [
      SVG.line(scale.range.lowerBound, y, scale.range.upperBound, y, stroke: SVGStyle.ink)
    ]
    for t in ticks where t.value.isFinite {
      let x = scale(t.value)
      kids.append(SVG.line(x, y, x, y + 5, stroke: SVGStyle.ink))
      kids.append(SVG.text(x, y + 18, t.label, anchor: .middle, cssClass: "tick-label"))
    }
    let mid = (scale.range.lowerBound + scale.range.upperBound) / 2
    kids.append(SVG.text(mid, y + 36, title, anchor: .middle, bold: true, cssClass: "axis-title"))
    return SVG.group("axis x-axis", kids)
  }

  /// A vertical axis at pixel column `x`, ticks to the left; the title is rotated.
  static func vertical(scale: LinearScale, x: Double, ticks: [AxisTick], title: String) -> MarkupNode {
    var kids: [MarkupNode] = [
      SVG.line(x, scale.range.lowerBound, x, scale.range.upperBound, stroke: SVGStyle.ink)
    ]
    var widest = 0.0
    for t in ticks where t.value.isFinite {
      let y = scale(t.value)
      kids.append(SVG.line(x - 5, y, x, y, stroke: SVGStyle.ink))
      kids.append(SVG.text(x - 8, y + 4, t.label, anchor: .end, cssClass: "tick-label"))
      widest = max(widest, TextMetrics.width(t.label))
    }
    let mid = (scale.range.lowerBound + scale.range.upperBound) / 2
    let tx = x - 8 - widest - 12
    kids.append(SVG.text(tx, mid, title, anchor: .middle, bold: true, cssClass: "axis-title", rotate: -90))
    return SVG.group("axis y-axis", kids)
  }

  /// Plain ticks for a scale: round values labelled by ``PlotFormat/tick(_:)``.
  static func plainTicks(_ scale: LinearScale, maxCount: Int = 7) -> [AxisTick] {
    scale.ticks(maxCount: maxCount).map { AxisTick(value: $0, label: PlotFormat.tick($0)) }
  }

  /// Light grid lines across a plot area at the given positions.
  static func grid(vertical xs: [Double], from y0: Double, to y1: Double) -> MarkupNode {
    SVG.group("grid", xs.map { SVG.line($0, y0, $0, y1, stroke: SVGStyle.grid, width: 0.6) })
  }
}
