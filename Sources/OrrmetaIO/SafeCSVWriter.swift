// SPDX-License-Identifier: GPL-3.0-or-later


/// orrmeta's CSV writer: RFC 4180 quoting where needed, LF line ends, and every cell neutralised
/// against CSV (formula) injection, as OWASP recommends: a cell that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return and is not a number gets a leading `'`, so that a spreadsheet
/// shows a label such as `=HYPERLINK("http://…")` or `@SUM(A1)` as text instead of running it.
/// Numbers (`-0.25`, `+3`, `1e-5`) are written unchanged.
///
/// The bytes are those of CSV.swift's `CSVWriter`, which wrote these files before (a cell is
/// quoted when it contains `"`, `,`, CR or LF, and its `"` doubled; rows joined by LF, none
/// after the last), written into one byte buffer: CSV.swift writes each byte with its own
/// `OutputStream.write` call and searches each cell four times with Foundation's `range(of:)`,
/// which was most of the cost of a batch's `summary.csv` (Docs/performance.md). Written by hand
/// for that reason. The one deliberate difference: quoting is decided on the UTF-8 bytes.
/// CSV.swift searched characters, so a `,` or `"` followed by a combining mark (one character
/// with it) was written unquoted and undoubled, and every byte-level reader (R, Python, a
/// spreadsheet) split the cell; such a cell is now quoted. `SafeCSVWriterTests` compares both
/// writers on every other cell and reads each cell back with ``CSVRecords``.
package struct SafeCSVWriter {
  /// The bytes written so far.
  package private(set) var bytes: [UInt8] = []
  private var isFirstRow = true

  /// An empty writer.
  package init() {}

  /// Writes one row, each cell neutralised except those at the indices in `verbatim`: cells
  /// that orrmeta writes itself and that must stay usable as they are (a `multiverse` row's
  /// `pool_arguments`, a command line starting with `--`). A row without cells writes nothing
  /// (as CSV.swift).
  package mutating func write(row: [String], verbatim: Set<Int> = []) {
    var isFirstField = true
    for (index, cell) in row.enumerated() {
      if isFirstRow {
        isFirstRow = false
      } else if isFirstField {
        bytes.append(UInt8(ascii: "\n"))
      }
      if !isFirstField { bytes.append(UInt8(ascii: ",")) }
      isFirstField = false
      append(field: verbatim.contains(index) ? cell : Self.neutralised(cell))
    }
  }

  /// The text: the rows, each ended by a line feed.
  package var text: String {
    var text = String(decoding: bytes, as: UTF8.self)
    if !text.hasSuffix("\n") { text += "\n" }
    return text
  }

  /// One field, quoted when its bytes contain `"`, `,`, CR or LF, with each `"` doubled.
  private mutating func append(field: String) {
    var quoted = false
    for b in field.utf8 where b == UInt8(ascii: "\"") || b == UInt8(ascii: ",") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n") {
      quoted = true
      break
    }
    guard quoted else {
      bytes += field.utf8
      return
    }
    bytes.append(UInt8(ascii: "\""))
    for b in field.utf8 {
      bytes.append(b)
      if b == UInt8(ascii: "\"") { bytes.append(b) }
    }
    bytes.append(UInt8(ascii: "\""))
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
