// SPDX-License-Identifier: GPL-3.0-or-later

/// A check run on TOML text before TOMLKit parses it. TOMLKit bundles toml++ 3, whose parser
/// asserts (the process aborts) on a table header whose key starts with neither a bare-key
/// character nor a quote, such as `[= "a]` (found by the fuzz target on batch specs); release
/// builds without NDEBUG would abort the same way. Such a header is reported here as the syntax
/// error it is.
package enum TOMLHeaderCheck {
  /// The 1-based line and column of the first table header without a valid first key
  /// character, or nil.
  package static func firstInvalidHeader(in text: String) -> (line: Int, column: Int)? {
    var line = 0
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      line += 1
      let bytes = Array(raw.utf8)
      var i = 0
      while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
      guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { continue }
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "[") { i += 1 }
      while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
      guard i < bytes.count else { return (line, i + 1) }
      let c = bytes[i]
      let bare = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
      if !(bare || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")) { return (line, i + 1) }
    }
    return nil
  }
}
