// SPDX-License-Identifier: GPL-3.0-or-later

/// Approximate text widths for layout (SVG has no text measurement before rendering).
///
/// Widths are per-character estimates for DejaVu Sans / Verdana-like fonts, slightly generous so
/// that columns do not overlap in narrower fonts.
enum TextMetrics {
  /// The approximate width of `s` in pixels at `fontSize`.
  static func width(_ s: String, fontSize: Double = SVGStyle.fontSize) -> Double {
    var em = 0.0
    for c in s.unicodeScalars { em += charWidth(c) }
    return em * fontSize
  }

  static func charWidth(_ c: Unicode.Scalar) -> Double {
    switch c {
    case "i", "l", "j", "!", "|", ".", ",", ":", ";", "'", "`", "I": return 0.32
    case "f", "t", "r", "(", ")", "[", "]", "{", "}", " ", "/", "\\", "-": return 0.42
    case "m", "w", "M", "W", "%", "@": return 0.92
    case "A"..."Z": return 0.72
    case "0"..."9": return 0.64
    default: return c.value > 0x2E80 ? 1.0 : 0.62
    }
  }

  /// `s` shortened with "…" to fit `maxWidth`; `truncated` says whether it was.
  static func truncate(_ s: String, maxWidth: Double, fontSize: Double = SVGStyle.fontSize) -> (text: String, truncated: Bool) {
    if width(s, fontSize: fontSize) <= maxWidth { return (s, false) }
    let budget = maxWidth - width("…", fontSize: fontSize)
    var used = 0.0
    var out = ""
    for ch in s {
      let w = width(String(ch), fontSize: fontSize)
      if used + w > budget { break }
      used += w
      out.append(ch)
    }
    while out.last == " " { out.removeLast() }
    return (out + "…", true)
  }
}
