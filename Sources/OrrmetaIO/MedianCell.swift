// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The content of a cohort's median cell (e.g. median PFS in months): a number, or the reason
/// there is none.
package enum MedianCell: Sendable, Hashable {
  /// A median.
  case value(Double)
  /// An empty cell: not reached or not reported, the file does not say which.
  case empty
  /// Written as not reached: `NR`, `not reached`, `NE`, `not estimable`.
  case notReached
  /// Written as not reported: `NA`, `N/A`, `not reported`, `-`.
  case notReported

  /// Tokens read as "not reached" (case-insensitive).
  package static let notReachedTokens = ["nr", "n.r.", "not reached", "ne", "n.e.", "not estimable", "not estimated"]
  /// Tokens read as "not reported" (case-insensitive).
  package static let notReportedTokens = ["na", "n/a", "n.a.", "not reported", "nd", "-", "\u{2013}", "\u{2014}"]

  /// The missing-value kind as written in reports: `empty`, `not_reached`, `not_reported`
  /// (nil for a value).
  package var missingKind: String? {
    switch self {
    case .value: return nil
    case .empty: return "empty"
    case .notReached: return "not_reached"
    case .notReported: return "not_reported"
    }
  }

  /// Parses a cell.
  /// - Throws: ``InputError/cell(file:line:column:value:expected:)`` for anything else than a
  ///   finite number ≥ 0 written in decimal digits or one of the tokens.
  package static func parse(_ raw: String, file: String, line: Int, column: String) throws(InputError) -> MedianCell {
    let text = raw.trimmingCharacters(in: .whitespaces)
    if text.isEmpty { return .empty }
    let lower = text.lowercased()
    if notReachedTokens.contains(lower) { return .notReached }
    if notReportedTokens.contains(lower) { return .notReported }
    let expected = "a median \u{2265} 0 written in decimal digits, or empty, NR (not reached) or NA (not reported)"
    var body = Substring(text)
    if body.first == "+" { body = body.dropFirst() }
    let decimalDigits = !body.isEmpty && body.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." }
      && body.filter({ $0 == "." }).count <= 1 && body != "."
    guard decimalDigits, let v = Double(body), v.isFinite, v >= 0 else {
      var hint = ""
      if text.hasPrefix(">") || text.hasPrefix("<") || text.hasPrefix("\u{2265}") {
        hint = " (a bound is not a median: write NR when the median was not reached)"
      } else if text.hasPrefix("-") {
        hint = " (a negative time is impossible)"
      } else if text.contains(",") {
        hint = " (use a dot as the decimal separator)"
      } else if lower.contains("e"), Double(text) != nil {
        hint = " (exponent notation is not accepted)"
      } else if ["nan", "inf", "infinity", "null"].contains(lower) {
        hint = " (write NA for a median that was not reported)"
      }
      throw .cell(file: file, line: line, column: column, value: raw, expected: expected + hint)
    }
    return .value(v)
  }
}
