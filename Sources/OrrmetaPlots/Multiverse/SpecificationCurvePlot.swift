// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaReports

/// The specification curve of a multiverse (Simonsohn, Simmons & Nelson 2020): the overall
/// pooled proportion of every specification with its CI, sorted by the estimate, and under it
/// one row per choice (model, measure, method, test, simple-pooling CI) with a mark where a
/// specification makes that choice. A reference value (`--reference`, a published figure) is a
/// dashed horizontal line.
///
/// Structure: each specification is `<g class="specification" data-id="…">` with a tooltip;
/// each indicator row is `<g class="indicator" data-choice="…">` holding one `circle` per
/// specification that makes the choice; the reference is `<g class="reference">`.
package enum SpecificationCurvePlot {
  /// The SVG file of a report's specification curve.
  package static func svg(_ report: MultiverseReport, title: String? = nil) -> String {
    render(report, title: title).standalone
  }

  /// The choice dimensions shown under the curve: a name and each row's value.
  static let dimensions: [(String, @Sendable (MultiverseReport.Row) -> String?)] = [
    ("model", { $0.model }), ("measure", { $0.measure }), ("method", { $0.model == "simple" ? nil : $0.method }),
    ("test", { $0.test }), ("CI method", { $0.ci_method }),
  ]

  /// Renders the curve (plot width grows with the number of specifications).
  package static func render(_ report: MultiverseReport, title: String? = nil) -> SVGDocument {
    let rows = report.specifications.filter { $0.subgroup == nil && $0.proportion != nil }
      .enumerated().sorted { a, b in a.element.proportion! != b.element.proportion! ? a.element.proportion! < b.element.proportion! : a.offset < b.offset }
      .map(\.element)
    let left = 150.0, step = max(4.0, min(14.0, 760.0 / Double(max(rows.count, 1))))
    let plotWidth = step * Double(max(rows.count, 1))
    var top = 16.0
    var nodes: [MarkupNode] = []
    let heading = title ?? "Specification curve (\(rows.count) specifications, k = \(report.k))"
    nodes.append(SVG.text(left, top + SVGStyle.titleFontSize, heading, size: SVGStyle.titleFontSize, bold: true, cssClass: "plot-title"))
    top += SVGStyle.titleFontSize + 14
    let values = rows.flatMap { [$0.ci_lower, $0.ci_upper, $0.proportion].compactMap { $0 } } + [report.summary.reference].compactMap { $0 }
    let lo = 100 * (values.min() ?? 0), hi = 100 * (values.max() ?? 1)
    let yDomain = NiceNumbers.extend(max(0, lo - 1), min(100, hi + 1), maxCount: 6)
    let x0 = left, x1 = left + plotWidth, y0 = top + 8, y1 = top + 8 + 260
    let xs = LinearScale(domain: 0.5...(Double(max(rows.count, 1)) + 0.5), range: x0...x1)
    let ys = LinearScale(domain: yDomain, range: y0...y1, reversed: true)
    nodes.append(SVG.rect(x0, y0, x1 - x0, y1 - y0, fill: "#ffffff", stroke: SVGStyle.grid))
    let yTicks = Axis.plainTicks(ys, maxCount: 6)
    nodes.append(SVG.group("grid", yTicks.map { SVG.line(x0, ys($0.value), x1, ys($0.value), stroke: SVGStyle.grid, width: 0.6) }))
    if let ref = report.summary.reference {
      let y = ys.clamped(100 * ref)
      nodes.append(SVG.group("reference", tooltip: "reference \(Fmt.pct(ref))", [
        SVG.line(x0, y, x1, y, stroke: SVGStyle.highlight, width: 1.2, dash: "5 3"),
        SVG.text(x1 + 6, y + 4, "reference \(Fmt.pct(ref))", size: SVGStyle.smallFontSize, fill: SVGStyle.highlight),
      ]))
    }
    for (i, r) in rows.enumerated() {
      let x = xs(Double(i + 1))
      var kids: [MarkupNode] = []
      if let l = r.ci_lower, let u = r.ci_upper {
        kids.append(SVG.line(x, ys.clamped(100 * l), x, ys.clamped(100 * u), stroke: colour(r.model), width: 1.2))
      }
      kids.append(SVG.circle(x, ys.clamped(100 * r.proportion!), r: min(3, step / 2.5), fill: colour(r.model)))
      let words = [r.model, r.measure, r.method, r.test, r.ci_method].compactMap { $0 }.joined(separator: " ")
      nodes.append(SVG.group(
        "specification", tooltip: "#\(r.id) \(words): \(Fmt.pct(r.proportion)) [\(Fmt.pct(r.ci_lower)), \(Fmt.pct(r.ci_upper))]",
        kids, extra: [("data-id", "\(r.id)")]))
    }
    nodes.append(Axis.vertical(scale: ys, x: x0, ticks: yTicks.map { AxisTick(value: $0.value, label: $0.label + "%") }, title: "Pooled proportion"))
    // The indicator panel: one row per choice value present, grouped by dimension.
    var y = y1 + 22
    for (name, value) in dimensions {
      var seen: [String] = []
      // In the multiverse's order of the choices (EE, DL, ... as given), not the curve's.
      for r in report.specifications where r.subgroup == nil { if let v = value(r), !seen.contains(v) { seen.append(v) } }
      guard !seen.isEmpty else { continue }
      nodes.append(SVG.text(8, y, name, size: SVGStyle.smallFontSize, bold: true, cssClass: "dimension"))
      y += 4
      for v in seen {
        y += 11
        var kids = [SVG.text(left - 8, y + 3.5, v, anchor: .end, size: SVGStyle.smallFontSize, cssClass: "label")]
        kids.append(SVG.line(x0, y, x1, y, stroke: SVGStyle.grid, width: 0.5))
        for (i, r) in rows.enumerated() where value(r) == v {
          kids.append(SVG.circle(xs(Double(i + 1)), y, r: min(2.5, step / 2.8), fill: colour(r.model)))
        }
        nodes.append(SVG.group("indicator", kids, extra: [("data-choice", "\(name)=\(v)")]))
      }
      y += 14
    }
    nodes.append(SVG.text(x0, y + 6, "Specifications sorted by the pooled proportion; bars are \(Fmt.f(report.settings.level, 0))% CIs.", size: SVGStyle.smallFontSize, fill: SVGStyle.muted, cssClass: "footnote"))
    return SVGDocument(width: x1 + 110, height: y + 20, title: heading, kind: "specification-curve", children: nodes)
  }

  /// The colour of a model family.
  static func colour(_ model: String) -> String {
    switch model {
    case "simple": return SVGStyle.prediction
    case "glmm": return SVGStyle.common
    case "three-level": return SVGStyle.subgroup
    default: return SVGStyle.random
    }
  }
}
