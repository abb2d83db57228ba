// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The whitespace around a CSV cell: what `trimmingCharacters(in: .whitespaces)` removes (tab
/// and the Unicode space separators, category Zs), with the same result.
///
/// Written by hand because Foundation's `trimmingCharacters` builds a new string through its
/// character-set machinery for every call, also when there is nothing to trim; the cohort
/// reader trims three or four cells per row, and that was the largest part of reading a small
/// file. Cells whose first and last bytes are ASCII (nearly all) are decided here from their
/// bytes, and returned as they are when nothing is trimmed; any other cell is passed to
/// Foundation, so the answer is Foundation's in every case.
package enum CellWhitespace {
  /// `text` without leading and trailing whitespace.
  package static func trim(_ text: String) -> String {
    let utf8 = text.utf8
    guard let first = utf8.first, let last = utf8.last else { return text }
    if first >= 0x80 || last >= 0x80 { return text.trimmingCharacters(in: .whitespaces) }
    if !isSpace(first) && !isSpace(last) { return text }
    // Leading and trailing ASCII blanks; a non-ASCII byte where trimming stops goes to Foundation.
    var start = utf8.startIndex
    while start != utf8.endIndex, isSpace(utf8[start]) { start = utf8.index(after: start) }
    if start == utf8.endIndex { return "" }
    var end = utf8.index(before: utf8.endIndex)
    while isSpace(utf8[end]) { end = utf8.index(before: end) }
    if utf8[start] >= 0x80 || utf8[end] >= 0x80 { return text.trimmingCharacters(in: .whitespaces) }
    return String(text[start...end])
  }

  /// Whether `text` is empty after ``trim(_:)``.
  package static func isBlank(_ text: String) -> Bool {
    for u in text.utf8 {
      if u >= 0x80 { return text.trimmingCharacters(in: .whitespaces).isEmpty }
      if !isSpace(u) { return false }
    }
    return true
  }

  @inline(__always) static func isSpace(_ u: UInt8) -> Bool { u == 0x20 || u == 0x09 }
}
