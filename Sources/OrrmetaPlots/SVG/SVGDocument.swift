// SPDX-License-Identifier: GPL-3.0-or-later

/// A finished SVG picture: its size and its content, written either as a standalone file (with
/// an XML declaration) or for inlining into HTML.
package struct SVGDocument: Sendable, Hashable {
  /// Width in CSS pixels.
  package var width: Double
  /// Height in CSS pixels.
  package var height: Double
  /// The accessible title (the first child `<title>`).
  package var title: String
  /// The CSS class of the root `<svg>` element (the plot kind, e.g. `forest-plot`).
  package var kind: String
  /// The drawing.
  package var children: [MarkupNode]

  /// Creates a document.
  package init(width: Double, height: Double, title: String, kind: String, children: [MarkupNode]) {
    self.width = width; self.height = height; self.title = title; self.kind = kind; self.children = children
  }

  /// The `<svg>` element.
  package var root: MarkupNode {
    let w = SVGNumber.format(width.rounded(.up)), h = SVGNumber.format(height.rounded(.up))
    return .el(
      "svg",
      [
        ("xmlns", "http://www.w3.org/2000/svg"), ("width", w), ("height", h), ("viewBox", "0 0 \(w) \(h)"),
        ("class", kind), ("role", "img"), ("font-family", SVGStyle.fontFamily),
        ("font-size", SVGNumber.format(SVGStyle.fontSize)),
      ],
      [.el("title", [], [.text(title)]), .el("rect", [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")])]
        + children)
  }

  /// The SVG for embedding in HTML (no XML declaration).
  package var inline: String { root.rendered }

  /// The SVG as a file: XML declaration, the `<svg>` element, a final newline.
  package var standalone: String {
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    root.render(into: &out)
    out += "\n"
    return out
  }
}

extension SVGDocument {
  /// The close of a scatter plot (Baujat, bubble): the footnote, if any, as a muted line at `y`
  /// that widens the document to fit it, then the document of `width` × (`y` + 12).
  static func closingScatterPlot(
    _ nodes: [MarkupNode], footnote: String?, x: Double, y: Double, width: Double, title: String, kind: String
  ) -> SVGDocument {
    var nodes = nodes, y = y, width = width
    if let f = footnote {
      nodes.append(SVG.text(x, y + 12, f, size: SVGStyle.smallFontSize, fill: SVGStyle.muted, cssClass: "footnote"))
      width = max(width, x + TextMetrics.width(f, fontSize: SVGStyle.smallFontSize) + 24)
      y += 20
    }
    return SVGDocument(width: width, height: y + 12, title: title, kind: kind, children: nodes)
  }
}
