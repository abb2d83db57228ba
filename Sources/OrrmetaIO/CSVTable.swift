// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// A CSV file read into a header and records, each record with the physical line it starts on.
///
/// Parsing is done by ``CSVRecords`` (RFC 4180 quoting, embedded commas and newlines, CRLF), which
/// reads what CSV.swift read, faster. Before it runs, the bytes are checked for what a lenient
/// parser would otherwise accept silently: NUL bytes, invalid UTF-8 and an unterminated quote. A
/// UTF-8 byte-order mark is removed.
package struct CSVTable: Sendable {
  /// The file's name as given (for messages).
  package let file: String
  /// Header fields.
  package let header: [String]
  /// Data records (fields as strings).
  package let records: [[String]]
  /// The 1-based line on which each record starts.
  package let lines: [Int]
  /// Lines that were empty (every field blank) and were skipped; reported as a warning.
  package let skippedBlankLines: [Int]

  /// Reads and parses a file.
  package static func read(path: String) throws(InputError) -> CSVTable {
    // open/fstat/read into one buffer (``FileBytes``), parsed in place; Foundation's
    // attributesOfItem + Data(contentsOf:) were a fifth of reading a 26 kB file.
    guard let bytes = FileBytes.read(path) else {
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        throw .unreadable(file: path, reason: isDir.boolValue ? "it is a directory" : "permission denied or I/O error")
      }
      throw .unreadable(file: path, reason: "no such file")
    }
    return try parse(bytes, file: path)
  }

  /// Parses bytes.
  package static func parse(data: Data, file: String) throws(InputError) -> CSVTable {
    try parse(data, file: file)
  }

  /// ``parse(bytes:file:)`` over the storage of `bytes`, keeping the error's type: the
  /// closure-taking `withUnsafeBytes` rethrows untyped errors, and carrying it out in a
  /// `Result<CSVTable, InputError>` made that type's metadata on every run, a scan of the
  /// binary's conformance records for `InputError: Error` (Docs/performance.md, "Start-up").
  static func parse(_ bytes: some ContiguousBytes, file: String) throws(InputError) -> CSVTable {
    var table: CSVTable?
    var failure: InputError?
    bytes.withUnsafeBytes { raw in
      do throws(InputError) { table = try parse(bytes: raw, file: file) } catch { failure = error }
    }
    if let failure { throw failure }
    return table!
  }

  /// Parses bytes in place (a batch reads each input into one buffer and hashes and parses
  /// it there): one pass checks the encoding, one the quotes, one splits the records; the
  /// whole file is never copied into a `String`.
  package static func parse(bytes raw: UnsafeRawBufferPointer, file: String) throws(InputError) -> CSVTable {
    if raw.isEmpty { throw .malformed(file: file, line: nil, reason: "the file is empty; expected a header line and at least one cohort") }
    let bytes = try validate(raw.assumingMemoryBound(to: UInt8.self), file: file)
    try checkQuotes(bytes, file: file)
    let parsed = CSVRecords(utf8: bytes)
    guard let header = parsed.records.first else {
      throw .malformed(file: file, line: 1, reason: "cannot read the header line")
    }
    if header.count == 1 && isBlank(header[0]) {
      throw .malformed(file: file, line: 1, reason: "the header line is empty; expected column names such as events,n,label")
    }
    var records: [[String]] = []
    var lines: [Int] = []
    var skipped: [Int] = []
    records.reserveCapacity(parsed.records.count - 1)
    lines.reserveCapacity(parsed.records.count - 1)
    for (row, start) in zip(parsed.records.dropFirst(), parsed.lines.dropFirst()) {
      if row.allSatisfy(isBlank) {
        skipped.append(start)
        continue
      }
      records.append(row)
      lines.append(start)
    }
    let line = parsed.nextLine
    // A final newline ends the last record; it is not a blank line. (The text ends with the
    // character "\n" when its last byte is LF not after CR, and with "\n\n" when also the byte
    // before is LF not after CR: CR LF is one character.)
    let n = bytes.count
    func byte(_ back: Int) -> UInt8? { n >= back ? bytes[n - back] : nil }
    let endsWithLF = byte(1) == 10 && byte(2) != 13
    let endsWithTwoLF = endsWithLF && byte(2) == 10 && byte(3) != 13
    if let last = skipped.last, last == line - 1, !endsWithTwoLF, endsWithLF || byte(1) == 13 {
      skipped.removeLast()
    }
    return CSVTable(file: file, header: header, records: records, lines: lines, skippedBlankLines: skipped)
  }

  /// Whether a field is empty or whitespace only (Foundation's `.whitespaces`: tab and the
  /// Unicode space separators; ``CellWhitespace``).
  static func isBlank(_ field: String) -> Bool { CellWhitespace.isBlank(field) }

  /// Strict UTF-8 decoding with the position of the first bad byte; rejects NUL bytes.
  static func decode(_ data: Data, file: String) throws(InputError) -> String {
    var result: Result<String, InputError>?
    data.withUnsafeBytes { raw in
      result = Result { () throws(InputError) in
        String(decoding: try validate(raw.assumingMemoryBound(to: UInt8.self), file: file), as: UTF8.self)
      }
    }
    return try result!.get()
  }

  /// Checks that `all` is UTF-8 without NUL bytes (naming the line and byte offset of the first
  /// bad byte) and returns it without a leading UTF-8 byte-order mark.
  static func validate(_ all: UnsafeBufferPointer<UInt8>, file: String) throws(InputError) -> UnsafeBufferPointer<UInt8> {
    func starts(_ prefix: [UInt8]) -> Bool { all.count >= prefix.count && all.prefix(prefix.count).elementsEqual(prefix) }
    let bytes = starts([0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: all[3...]) : all
    if starts([0xFF, 0xFE, 0x00, 0x00]) || starts([0x00, 0x00, 0xFE, 0xFF]) {
      throw .malformed(file: file, line: 1, reason: "the file looks like UTF-32 (it starts with a UTF-32 byte-order mark); save it as UTF-8 (in Excel: CSV UTF-8)")
    }
    if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) {
      throw .malformed(file: file, line: 1, reason: "the file looks like UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 (in Excel: CSV UTF-8)")
    }
    var i = 0
    let n = bytes.count
    // The line of the byte at `i` (counted only for a message: LF, CRLF and a lone CR end a line).
    func line(at i: Int) -> Int {
      var line = 1
      for j in 0..<i where bytes[j] == 10 || (bytes[j] == 13 && (j + 1 == n || bytes[j + 1] != 10)) { line += 1 }
      return line
    }
    while i < n {
      let b = bytes[i]
      if b == 0 {
        throw .malformed(file: file, line: line(at: i), reason: "NUL byte at byte offset \(i): this looks like a binary file, not a CSV text file")
      }
      if b < 0x80 { i += 1; continue }
      let len: Int
      if b & 0xE0 == 0xC0, b >= 0xC2 { len = 2 }
      else if b & 0xF0 == 0xE0 { len = 3 }
      else if b & 0xF8 == 0xF0, b <= 0xF4 { len = 4 }
      else { len = 0 }
      var ok = len > 0 && i + len <= n
      if ok { for j in 1..<len where bytes[i + j] & 0xC0 != 0x80 { ok = false } }
      if ok, len == 3 {
        let cp = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6)
        if cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) { ok = false }
      }
      if ok, len == 4 {
        let cp = (UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
        if cp < 0x10000 || cp > 0x10FFFF { ok = false }
      }
      if !ok {
        throw .malformed(file: file, line: line(at: i), reason: "invalid UTF-8 at byte offset \(i) (byte 0x\(String(b, radix: 16, uppercase: true))); save the file as UTF-8")
      }
      i += len
    }
    return bytes
  }

  /// Finds what CSV.swift would misread silently: an unterminated quoted field (it swallows the
  /// rest of the file), a quote inside an unquoted field, and anything but a comma or a line
  /// break after a closing quote (CSV.swift drops that character and keeps reading the field).
  ///
  /// Lines end with LF, CRLF or a lone CR, as CSV.swift reads them; fields are numbered from 1.
  static func checkQuotes(_ text: String, file: String) throws(InputError) {
    var text = text
    var result: Result<Void, InputError> = .success(())
    text.withUTF8 { bytes in result = Result { () throws(InputError) in try checkQuotes(bytes, file: file) } }
    try result.get()
  }

  /// ``checkQuotes(_:file:)`` on the UTF-8 bytes.
  static func checkQuotes(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(InputError) {
    var inQuotes = false
    var fieldStart = true
    var afterClosingQuote = false
    var line = 1
    var field = 1
    var openLine = 1
    var openField = 1
    var pendingQuote = false  // saw a quote inside a quoted field: closing or escaped
    var previousCR = false
    for u in bytes {
      let crlf = previousCR && u == 10
      previousCR = u == 13
      if inQuotes {
        if pendingQuote {
          pendingQuote = false
          if u == 34 { continue }  // "" escape
          inQuotes = false
          afterClosingQuote = true
          // fall through to process u outside quotes
        } else {
          if u == 34 { pendingQuote = true }
          if (u == 10 && !crlf) || u == 13 { line += 1 }
          continue
        }
      }
      if afterClosingQuote {
        afterClosingQuote = false
        if u != 44 && u != 10 && u != 13 {
          let shown = u >= 32 && u < 127 ? "'\(Character(Unicode.Scalar(u)))'" : "byte 0x\(String(u, radix: 16, uppercase: true))"
          throw .malformed(
            file: file, line: line,
            reason: "field \(field): unexpected \(shown) after the closing double quote; a quoted field must end at its closing quote (write a quote inside a quoted field as \"\")")
        }
      }
      switch u {
      case 34:
        if fieldStart { inQuotes = true; openLine = line; openField = field }
        else {
          throw .malformed(file: file, line: line, reason: "field \(field): a double quote inside an unquoted field; quote the whole field and double the inner quote (\"\")")
        }
        fieldStart = false
      case 44: fieldStart = true; field += 1
      case 10:
        fieldStart = true; field = 1
        if !crlf { line += 1 }
      case 13: fieldStart = true; field = 1; line += 1
      default: fieldStart = false
      }
    }
    if inQuotes && !pendingQuote {
      throw .malformed(file: file, line: openLine, reason: "field \(openField): unterminated quoted field starting on this line; expected a closing double quote")
    }
  }
}
