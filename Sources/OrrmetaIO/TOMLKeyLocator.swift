// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Finds the line of a key in a TOML text, so that errors about a value (rather than about the
/// syntax, which the parser locates itself) can name a line. Handles the layout orrmeta's files
/// use: `[table]` and `[[array]]` headers with `key = value` lines under them.
struct TOMLKeyLocator {
  let lines: [Substring]

  init(text: String) {
    lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  }

  /// The 1-based line of `key` in the `occurrence`-th (0-based) section with `header` (e.g.
  /// "[[proportion]]", "[counts]"; nil for the top level before any header), or of the section
  /// header itself when `key` is nil or not found.
  func line(header: String?, occurrence: Int = 0, key: String? = nil) -> Int? {
    var seen = -1
    var inSection = header == nil
    var sectionLine: Int? = nil
    for (i, raw) in lines.enumerated() {
      let text = raw.trimmingCharacters(in: .whitespaces)
      if text.hasPrefix("[") {
        if let header, text.replacingOccurrences(of: " ", with: "").hasPrefix(header) {
          seen += 1
          inSection = seen == occurrence
          if inSection { sectionLine = i + 1 }
        } else {
          if inSection, sectionLine != nil || header == nil { break }
          inSection = false
        }
        continue
      }
      guard inSection, let key else { continue }
      if let eq = text.firstIndex(of: "=") {
        let name = text[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        if name == key { return i + 1 }
      }
    }
    return sectionLine
  }

  /// The value of `key` as written (after `=`, without a trailing comment), with its 1-based
  /// line, when the key stands on its own `key = value` line in that section; nil otherwise
  /// (e.g. inside an inline table).
  func rawValue(header: String?, occurrence: Int = 0, key: String) -> (line: Int, text: String)? {
    guard let l = line(header: header, occurrence: occurrence, key: key), l >= 1, l <= lines.count else { return nil }
    let text = lines[l - 1]
    guard let eq = text.firstIndex(of: "=") else { return nil }
    let name = text[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    guard name == key else { return nil }
    var value = text[text.index(after: eq)...]
    if let hash = value.firstIndex(of: "#") { value = value[..<hash] }
    return (l, value.trimmingCharacters(in: .whitespaces))
  }
}
