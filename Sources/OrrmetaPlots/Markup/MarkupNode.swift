// SPDX-License-Identifier: GPL-3.0-or-later

/// A node of an SVG or HTML document: an element, escaped text, or trusted markup.
///
/// Element and attribute names are fixed by the code that builds the tree; attribute values and
/// text are escaped on output (``MarkupEscaping``), whatever they contain. ``trusted(_:)`` is
/// for constant style sheets only and is never used with data.
package indirect enum MarkupNode: Sendable, Hashable {
  /// An element with attributes (in order) and children.
  case element(MarkupElement)
  /// Text content (escaped on output).
  case text(String)
  /// Markup written as is (constant CSS); never data.
  case trusted(String)

  /// Writes the node.
  package func render(into out: inout String) {
    switch self {
    case .element(let e): e.render(into: &out)
    case .text(let t): out += MarkupEscaping.text(t)
    case .trusted(let t): out += t
    }
  }

  /// The node as a string.
  package var rendered: String {
    var out = ""
    render(into: &out)
    return out
  }
}

/// An element: a name, attributes in the order given, and children.
package struct MarkupElement: Sendable, Hashable {
  /// The tag name.
  package var name: String
  /// The children.
  package var children: [MarkupNode]
  /// Whether to write `<name .../>` when there are no children (XML); HTML void elements
  /// (`meta`, `br`) are written `<name ...>` with ``isVoid``.
  package var selfClosing: Bool
  /// An HTML void element (no end tag).
  package var isVoid: Bool

  /// An attribute: its name and (unescaped) value.
  package struct Attribute: Sendable, Hashable {
    /// The attribute name.
    package var name: String
    /// The value, escaped on output.
    package var value: String
  }
  /// The attributes, written in this order.
  package var attributeList: [Attribute]

  /// Creates an element.
  package init(
    _ name: String, _ attributes: [(String, String)] = [], children: [MarkupNode] = [],
    selfClosing: Bool = true, isVoid: Bool = false
  ) {
    self.name = name
    self.attributeList = attributes.map { Attribute(name: $0.0, value: $0.1) }
    self.children = children
    self.selfClosing = selfClosing
    self.isVoid = isVoid
  }

  /// Writes the element.
  package func render(into out: inout String) {
    out += "<"
    out += name
    for a in attributeList {
      out += " "
      out += a.name
      out += "=\""
      out += MarkupEscaping.attribute(a.value)
      out += "\""
    }
    if isVoid {
      out += ">"
      return
    }
    if children.isEmpty && selfClosing {
      out += "/>"
      return
    }
    out += ">"
    for c in children { c.render(into: &out) }
    out += "</"
    out += name
    out += ">"
  }
}

extension MarkupNode {
  /// An element node.
  package static func el(
    _ name: String, _ attributes: [(String, String)] = [], _ children: [MarkupNode] = []
  ) -> MarkupNode {
    .element(MarkupElement(name, attributes, children: children))
  }

  /// An element that always has an end tag (HTML elements that may not self-close).
  package static func html(
    _ name: String, _ attributes: [(String, String)] = [], _ children: [MarkupNode] = []
  ) -> MarkupNode {
    .element(MarkupElement(name, attributes, children: children, selfClosing: false))
  }
}
