// SPDX-License-Identifier: GPL-3.0-or-later

/// Splits CSV text into records: comma-separated fields, quoted fields with `""` escapes and
/// embedded line breaks, records ending at LF, CRLF or a lone CR; each record with the physical
/// line it starts on. The first record is the header.
///
/// Written by hand rather than with CSV.swift (still used for writing CSV), which reads text as
/// Unicode scalars through a type-erased iterator and appends every scalar to its field: that
/// was 1.4 ms for the 61-row ALK fixture, most of `orrmeta pool`'s work in process and a third
/// of a batch file's. This reader splits the UTF-8 bytes (every delimiter is ASCII, and
/// ``CSVTable/decode(_:file:)`` has checked the encoding) and makes one `String` per field.
///
/// It reads what CSV.swift read, byte for byte: `CSVRecordsTests` compares the two on the
/// fixtures and on generated inputs, and the fuzz oracle (`scripts/fuzz.sh`) on every fuzzed
/// input. Like CSV.swift it is lenient where ``CSVTable/checkQuotes(_:file:)`` has already
/// refused the input: an unterminated quoted field ends at the end of the file, and after a
/// closing quote any character but a comma or a line break keeps the quote and is dropped.
package struct CSVRecords: Sendable {
  /// The records in order, the header first.
  package private(set) var records: [[String]] = []
  /// The 1-based physical line on which each record starts.
  package private(set) var lines: [Int] = []
  /// The line after the last record (the start line of a record that would follow).
  package private(set) var nextLine = 1

  private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

  package init(_ text: String) {
    var text = text
    self = text.withUTF8 { CSVRecords(utf8: $0) }
  }

  package init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
    let (quote, comma, lf, cr) = (Self.quote, Self.comma, Self.lf, Self.cr)
    let n = bytes.count
    var i = 0
    func string(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
    var width = 0  // fields of the previous record: room reserved for the next
    while i < n {
      var row: [String] = []
      row.reserveCapacity(width)
      // Line breaks inside quoted fields: LF not after CR, CR (CRLF counts once).
      var embedded = 0
      fields: while true {
        if i >= n {
          row.append("")  // after a comma at the end of the file
          break
        }
        if bytes[i] != quote {
          let start = i
          while i < n, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr { i += 1 }
          row.append(string(start..<i))
          if i >= n { break }
          if bytes[i] == comma { i += 1; continue }
          i += bytes[i] == cr && i + 1 < n && bytes[i + 1] == lf ? 2 : 1
          break
        }
        // A quoted field: plain runs copied, `""` made one quote.
        i += 1
        // The field's bytes so far, once an escaped quote made it differ from the input; until
        // then the field is the run of input bytes from `first` (no copy).
        var field: [UInt8] = []
        var escaped = false
        let first = i
        var run = i
        func finish(_ end: Int) -> String {
          if !escaped { return string(first..<end) }
          field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<end]))
          return String(decoding: field, as: UTF8.self)
        }
        while true {
          if i >= n {
            row.append(finish(n))
            break fields
          }
          let b = bytes[i]
          if b == quote {
            let next = i + 1
            if next >= n || bytes[next] == lf || bytes[next] == cr {
              row.append(finish(i))
              i = next >= n ? n : next + (bytes[next] == cr && next + 1 < n && bytes[next + 1] == lf ? 2 : 1)
              break fields
            }
            if bytes[next] == comma {
              row.append(finish(i))
              i = next + 1
              continue fields
            }
            // `""` is a quote; any other character after a quote is dropped (as CSV.swift does),
            // the whole of a multi-byte one.
            if !escaped { field.reserveCapacity(i - first + 16); escaped = true }
            field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
            field.append(quote)
            i = next + 1
            if bytes[next] != quote { while i < n, bytes[i] & 0xC0 == 0x80 { i += 1 } }
            run = i
            continue
          }
          if b == cr || (b == lf && bytes[i - 1] != cr) { embedded += 1 }
          i += 1
        }
      }
      width = row.count
      records.append(row)
      lines.append(nextLine)
      nextLine += 1 + embedded
    }
  }
}
