// SPDX-License-Identifier: GPL-3.0-or-later

/// Text reports go to terminals: a label holding an escape sequence (ESC [ 2 J clears the
/// screen, OSC 52 writes the clipboard) must be shown, not obeyed. Every text and Markdown report
/// passes through ``safe(_:)`` once, after rendering.
package enum TerminalText {
  /// `text` with every control character but line feed and tab (C0, DEL, C1 — including the
  /// carriage return, which would overwrite a line) replaced by `?`, as error messages show them.
  package static func safe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = String.UnicodeScalarView()
    for u in text.unicodeScalars { out.append(isControl(u) ? "?" : u) }
    return String(out)
  }

  static func isControl(_ u: Unicode.Scalar) -> Bool {
    let v = u.value
    return (v < 32 && v != 10 && v != 9) || (127...159).contains(v)
  }
}
