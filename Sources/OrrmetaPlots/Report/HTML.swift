// SPDX-License-Identifier: GPL-3.0-or-later

/// Constructors for the HTML elements of the report (text escaped by ``MarkupNode``).
enum HTML {
  typealias Attrs = [(String, String)]

  static func el(_ name: String, _ attrs: Attrs = [], _ kids: [MarkupNode]) -> MarkupNode {
    .html(name, attrs, kids)
  }

  static func text(_ name: String, _ s: String, _ attrs: Attrs = []) -> MarkupNode {
    .html(name, attrs, [.text(s)])
  }

  /// A table: a header row and body rows of text cells. Cells of columns listed in `numeric`
  /// are right-aligned.
  static func table(_ headers: [String], _ rows: [[String]], numeric: Set<Int> = [], cssClass: String? = nil) -> MarkupNode {
    func cell(_ tag: String, _ s: String, _ i: Int) -> MarkupNode {
      text(tag, s, numeric.contains(i) ? [("class", "num")] : [])
    }
    let head = el("thead", [], [el("tr", [], headers.enumerated().map { cell("th", $0.element, $0.offset) })])
    let body = el("tbody", [], rows.map { r in el("tr", [], r.enumerated().map { cell("td", $0.element, $0.offset) }) })
    return el("table", cssClass.map { [("class", $0)] } ?? [], [head, body])
  }

  /// A two-column table of names and values.
  static func keyValue(_ pairs: [(String, String)]) -> MarkupNode {
    el("table", [("class", "kv")], [el("tbody", [], pairs.map { p in el("tr", [], [text("th", p.0), text("td", p.1)]) })])
  }

  /// A section with an id, a heading and content.
  static func section(_ id: String, _ heading: String, _ kids: [MarkupNode]) -> MarkupNode {
    el("section", [("id", id)], [text("h2", heading)] + kids)
  }

  /// A figure holding an inline SVG and a caption.
  static func figure(_ svg: SVGDocument, caption: String) -> MarkupNode {
    el("figure", [("class", svg.kind)], [el("div", [("class", "svg-scroll")], [svg.root]), text("figcaption", caption)])
  }
}
