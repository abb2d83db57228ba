// SPDX-License-Identifier: GPL-3.0-or-later

/// Escaping for XML and HTML: every string that reaches an SVG or HTML file passes through here.
///
/// Text content escapes `&`, `<` and `>`; attribute values (always written in double quotes)
/// also escape `"` and `'`. Existing entities are escaped like any other text, so a label
/// `AT&amp;T` is shown as written. Characters that XML 1.0 forbids (C0 controls other than tab,
/// line feed and carriage return, and U+FFFE, U+FFFF) become U+FFFD, so that the output always
/// parses.
package enum MarkupEscaping {
  /// Escapes text content.
  package static func text(_ s: String) -> String { escape(s, quotes: false) }

  /// Escapes an attribute value for use inside double quotes.
  package static func attribute(_ s: String) -> String { escape(s, quotes: true) }

  /// Whether a scalar may appear in an XML 1.0 document.
  static func isAllowed(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0x9, 0xA, 0xD: return true
    case 0x0..<0x20: return false
    case 0xFFFE, 0xFFFF: return false
    default: return true
    }
  }

  static func escape(_ s: String, quotes: Bool) -> String {
    // Fast path: nothing to change.
    if !s.unicodeScalars.contains(where: { needsWork($0, quotes: quotes) }) { return s }
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars {
      switch u {
      case "&": out.append(contentsOf: "&amp;".unicodeScalars)
      case "<": out.append(contentsOf: "&lt;".unicodeScalars)
      case ">": out.append(contentsOf: "&gt;".unicodeScalars)
      case "\"" where quotes: out.append(contentsOf: "&quot;".unicodeScalars)
      case "'" where quotes: out.append(contentsOf: "&#39;".unicodeScalars)
      case "\n" where quotes: out.append(contentsOf: "&#10;".unicodeScalars)
      case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
      case "\t" where quotes: out.append(contentsOf: "&#9;".unicodeScalars)
      default: out.append(isAllowed(u) ? u : "\u{FFFD}")
      }
    }
    return String(out)
  }

  static func needsWork(_ u: Unicode.Scalar, quotes: Bool) -> Bool {
    switch u {
    case "&", "<", ">", "\r": return true
    case "\"", "'", "\n", "\t": return quotes
    default: return !isAllowed(u)
    }
  }
}
