// SPDX-License-Identifier: GPL-3.0-or-later

import CSV
import Foundation

/// CSV.swift's writer with every cell neutralised against CSV (formula) injection, as OWASP
/// recommends: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return and is not
/// a number gets a leading `'`, so that a spreadsheet shows a label such as
/// `=HYPERLINK("http://…")` or `@SUM(A1)` as text instead of running it. Numbers (`-0.25`,
/// `+3`, `1e-5`) are written unchanged. Every CSV that orrmeta writes goes through it.
package final class SafeCSVWriter {
  let writer: CSVWriter

  /// A writer on `stream`.
  package init(stream: OutputStream) throws {
    writer = try CSVWriter(stream: stream)
  }

  /// The underlying stream.
  package var stream: OutputStream { writer.stream }

  /// Writes one row, each cell neutralised.
  package func write(row: [String]) throws {
    try writer.write(row: row.map(Self.neutralised))
  }

  /// `cell`, or `'` + `cell` when a spreadsheet would read it as a formula.
  package static func neutralised(_ cell: String) -> String {
    guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
    return isNumber(cell) ? cell : "'" + cell
  }

  /// A decimal number: optional sign, digits with an optional fraction, an optional exponent.
  static func isNumber(_ s: String) -> Bool {
    var bytes = Array(s.utf8)[...]
    if let c = bytes.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
    func digits() -> Int {
      var n = 0
      while let c = bytes.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { bytes = bytes.dropFirst(); n += 1 }
      return n
    }
    var count = digits()
    if bytes.first == UInt8(ascii: ".") {
      bytes = bytes.dropFirst()
      count += digits()
    }
    guard count > 0 else { return false }
    if let c = bytes.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
      bytes = bytes.dropFirst()
      if let c = bytes.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
      guard digits() > 0 else { return false }
    }
    return bytes.isEmpty
  }
}
