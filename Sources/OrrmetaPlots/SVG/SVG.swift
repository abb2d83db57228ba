// SPDX-License-Identifier: GPL-3.0-or-later

/// Constructors for the SVG elements the plots use. Coordinates are formatted by ``SVGNumber``;
/// text and attribute values are escaped on output by ``MarkupNode``.
enum SVG {
  typealias Attrs = [(String, String)]

  static func n(_ x: Double) -> String { SVGNumber.format(x) }

  /// `<g class="…">` with an optional tooltip `<title>` as its first child.
  static func group(_ cssClass: String?, tooltip: String? = nil, _ children: [MarkupNode], extra: Attrs = []) -> MarkupNode {
    var attrs: Attrs = []
    if let cssClass { attrs.append(("class", cssClass)) }
    attrs += extra
    var kids: [MarkupNode] = []
    if let tooltip { kids.append(title(tooltip)) }
    return .el("g", attrs, kids + children)
  }

  /// `<title>`: the tooltip of its parent.
  static func title(_ text: String) -> MarkupNode { .el("title", [], [.text(text)]) }

  static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil, cssClass: String? = nil) -> MarkupNode {
    var a: Attrs = [("x1", n(x1)), ("y1", n(y1)), ("x2", n(x2)), ("y2", n(y2)), ("stroke", stroke), ("stroke-width", n(width))]
    if let dash { a.append(("stroke-dasharray", dash)) }
    if let cssClass { a.insert(("class", cssClass), at: 0) }
    return .el("line", a)
  }

  static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil, opacity: Double? = nil, cssClass: String? = nil) -> MarkupNode {
    var a: Attrs = [("x", n(x)), ("y", n(y)), ("width", n(max(0, w))), ("height", n(max(0, h))), ("fill", fill)]
    if let stroke { a.append(("stroke", stroke)) }
    if let opacity { a.append(("fill-opacity", n(opacity))) }
    if let cssClass { a.insert(("class", cssClass), at: 0) }
    return .el("rect", a)
  }

  static func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil, cssClass: String? = nil) -> MarkupNode {
    var a: Attrs = [("cx", n(cx)), ("cy", n(cy)), ("r", n(r)), ("fill", fill)]
    if let stroke { a.append(("stroke", stroke)) }
    if let cssClass { a.insert(("class", cssClass), at: 0) }
    return .el("circle", a)
  }

  static func polygon(_ points: [(Double, Double)], fill: String, stroke: String? = nil, cssClass: String? = nil) -> MarkupNode {
    let p = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
    var a: Attrs = [("points", p), ("fill", fill)]
    if let stroke { a.append(("stroke", stroke)) }
    if let cssClass { a.insert(("class", cssClass), at: 0) }
    return .el("polygon", a)
  }

  static func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1, dash: String? = nil) -> MarkupNode {
    let p = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
    var a: Attrs = [("points", p), ("fill", "none"), ("stroke", stroke), ("stroke-width", n(width))]
    if let dash { a.append(("stroke-dasharray", dash)) }
    return .el("polyline", a)
  }

  enum Anchor: String { case start, middle, end }

  /// A plot's title at the top left (`plot-title`), appended to `nodes`; returns where the plot
  /// area starts below it (`top` itself without a title).
  static func title(_ title: String?, left: Double, top: Double = 16, into nodes: inout [MarkupNode]) -> Double {
    guard let title else { return top }
    nodes.append(text(left, top + SVGStyle.titleFontSize, title, size: SVGStyle.titleFontSize, bold: true, cssClass: "plot-title"))
    return top + (SVGStyle.titleFontSize + 14)
  }

  /// `<text>`; `tooltip` adds a `<title>` child (used for truncated labels).
  static func text(
    _ x: Double, _ y: Double, _ s: String, anchor: Anchor = .start, size: Double? = nil,
    bold: Bool = false, italic: Bool = false, fill: String = SVGStyle.ink, cssClass: String? = nil,
    tooltip: String? = nil, rotate: Double? = nil
  ) -> MarkupNode {
    var a: Attrs = [("x", n(x)), ("y", n(y))]
    if let cssClass { a.insert(("class", cssClass), at: 0) }
    if anchor != .start { a.append(("text-anchor", anchor.rawValue)) }
    if let size { a.append(("font-size", n(size))) }
    if bold { a.append(("font-weight", "bold")) }
    if italic { a.append(("font-style", "italic")) }
    if fill != SVGStyle.ink { a.append(("fill", fill)) }
    if let rotate { a.append(("transform", "rotate(\(n(rotate)) \(n(x)) \(n(y)))")) }
    var kids: [MarkupNode] = []
    if let tooltip { kids.append(title(tooltip)) }
    kids.append(.text(s))
    return .el("text", a, kids)
  }
}
