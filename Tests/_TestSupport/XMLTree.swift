// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML element parsed with Foundation's `XMLParser` (for checking the structure of SVG
/// output): name, attributes, children and its own text.
public final class XMLTree: @unchecked Sendable {
  public let name: String
  public let attributes: [String: String]
  public private(set) var children: [XMLTree] = []
  public private(set) var ownText = ""

  init(name: String, attributes: [String: String]) {
    self.name = name
    self.attributes = attributes
  }

  /// The CSS class tokens.
  public var classes: Set<String> {
    Set((attributes["class"] ?? "").split(separator: " ").map(String.init))
  }

  /// All text inside the element, children included, in document order.
  public var text: String { ownText + children.map(\.text).joined() }

  /// Every descendant (and self), depth first.
  public var all: [XMLTree] { [self] + children.flatMap(\.all) }

  /// Descendants (and self) with a given element name and, optionally, class token.
  public func find(_ name: String? = nil, class cls: String? = nil) -> [XMLTree] {
    all.filter { (name == nil || $0.name == name) && (cls == nil || $0.classes.contains(cls!)) }
  }

  /// The direct child `<title>`'s text, if any.
  public var tooltip: String? { children.first { $0.name == "title" }?.text }

  /// Parses a document; throws with the parser's error (line and column) when it is not
  /// well-formed XML.
  public static func parse(_ text: String) throws -> XMLTree {
    let parser = XMLParser(data: Data(text.utf8))
    let builder = Builder()
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else {
      throw ParseError(
        description: "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): \(parser.parserError.map { "\($0)" } ?? "unknown error")")
    }
    return root
  }

  /// Why a document did not parse.
  public struct ParseError: Error, CustomStringConvertible {
    public let description: String
  }

  final class Builder: NSObject, XMLParserDelegate {
    var stack: [XMLTree] = []
    var root: XMLTree?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
      let node = XMLTree(name: elementName, attributes: attributeDict)
      if let parent = stack.last { parent.children.append(node) } else { root = node }
      stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
      stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      stack.last?.ownText += string
    }
  }
}
