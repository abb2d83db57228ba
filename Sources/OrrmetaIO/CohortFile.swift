// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// A validated cohort file: the cohorts, their subgroup levels, and any warnings from reading.
package struct CohortFile: Sendable {
  /// The file as given.
  package let file: String
  /// The cohorts, in file order.
  package let studies: [ProportionStudy]
  /// Each cohort's subgroup level, when a `by` column was selected.
  package let groups: [String]?
  /// Each cohort's line in the file.
  package let lines: [Int]
  /// The columns used.
  package let eventsColumn: String
  package let totalColumn: String
  package let labelColumn: String?
  /// The subgroup column, when one was selected.
  package let byColumn: String?
  /// The row filters applied (`--exclude`, `--where`), as flags; empty when none.
  package var filters: [String] = []
  /// Warnings (duplicate labels, skipped blank lines, ORR rounding).
  package let warnings: [String]
  /// All columns of each row by header name (for `--order-by`, moderators, PFS columns, …).
  package let table: CSVTable

  /// Reads, parses and validates a cohort CSV with the usual column aliases
  /// (``CSVTableFile/read(path:columns:)`` with other columns).
  package static func read(path: String) throws(InputError) -> CohortFile { try read(path: path, columns: .init()) }

  /// Validates a parsed table.
  ///
  /// Rules: unique non-empty column names (case-insensitive); the events (or, with an explicit
  /// ORR column, the percentage) and n columns present and unambiguous; every row with as many
  /// fields as the header; events and n whole numbers written in decimal (no sign other than +,
  /// no exponent, hexadecimal, NaN or infinity; a trailing ".0" is accepted); 0 ≤ events ≤ n;
  /// 0 < n ≤ 10¹² (``maximumCount``) and Σn ≤ 2⁵³ − 1 (``maximumTotal``); no missing value;
  /// labels and subgroup values of at most 1000 characters; duplicate labels warn.
  package static func load(table unfiltered: CSVTable, columns: ColumnSelection) throws(InputError) -> CohortFile {
    let file = unfiltered.file
    let checked = try HeaderColumns(unfiltered)
    let header = checked.names
    func index(of name: String, role: String) throws(InputError) -> Int { try checked.index(name, " for \(role)") }
    func alias(_ aliases: [String], role: String, flag: String, required: Bool) throws(InputError) -> Int? {
      try checked.alias(aliases, role: role, flag: flag, required: required)
    }

    let totalIndex: Int
    if let t = columns.total { totalIndex = try index(of: t, role: "n") }
    else { totalIndex = try alias(ColumnSelection.totalAliases, role: "n (patients)", flag: "--n-column", required: true)! }
    var eventsIndex: Int? = nil
    var orrIndex: Int? = nil
    if let orr = columns.orrPercent {
      orrIndex = try index(of: orr, role: "the ORR percentage")
      // An events column found by its name is used too: the ORR fills only its empty cells, and
      // a cell where both are given must agree with it.
      if let e = columns.events { eventsIndex = try index(of: e, role: "events") }
      else { eventsIndex = try alias(ColumnSelection.eventAliases, role: "events (responders)", flag: "--events-column", required: false) }
    } else {
      if let e = columns.events { eventsIndex = try index(of: e, role: "events") }
      else { eventsIndex = try alias(ColumnSelection.eventAliases, role: "events (responders)", flag: "--events-column", required: true)! }
    }
    let roles = [("events", eventsIndex), ("n", totalIndex), ("ORR percentage", orrIndex)].compactMap { r in r.1.map { (r.0, $0) } }
    for (a, role) in roles.enumerated() {
      if let other = roles[..<a].first(where: { $0.1 == role.1 }) {
        throw .header(file: file, reason: "column '\(InputError.shorten(header[role.1]))' is chosen both for \(other.0) and for \(role.0); expected a different column for each")
      }
    }
    let labelIndex: Int?
    if let l = columns.label { labelIndex = try index(of: l, role: "labels") } else { labelIndex = try checked.labelIndex(nil) }
    var byIndex: Int? = nil
    if let b = columns.by { byIndex = try index(of: b, role: "subgroups (--by)") }
    // --exclude and --where: the rows left out are gone before anything is read from them.
    let table = try columns.filter.apply(to: unfiltered) { r in
      let record = unfiltered.records[r]
      let l = labelIndex.flatMap { record.indices.contains($0) ? CellWhitespace.trim(record[$0]) : nil } ?? ""
      return l.isEmpty ? "row \(r + 1)" : l
    }

    if table.records.isEmpty {
      throw .malformed(file: file, line: nil, reason: "the file has a header but no cohort rows; expected at least one row")
    }

    var studies: [ProportionStudy] = []
    var groups: [String] = []
    var warnings: [String] = []
    var rounding: [String] = []
    var derived = 0
    var labelsSeen: [String: Int] = [:]
    var totalPatients = 0
    studies.reserveCapacity(table.records.count)
    labelsSeen.reserveCapacity(table.records.count)
    for (r, record) in table.records.enumerated() {
      let line = table.lines[r]
      guard record.count == header.count else {
        throw .ragged(file: file, line: line, fields: record.count, expected: header.count)
      }
      let n = try parseCount(record[totalIndex], file: file, line: line, column: header[totalIndex])
      guard n > 0 else {
        throw .cell(file: file, line: line, column: header[totalIndex], value: record[totalIndex], expected: "a whole number of patients > 0")
      }
      let (sum, overflow) = totalPatients.addingReportingOverflow(n)
      guard !overflow, sum <= maximumTotal else {
        throw .row(file: file, line: line, reason: "the number of patients summed over the cohorts up to this row exceeds \(maximumTotal) (2^53 - 1), the largest total orrmeta counts exactly")
      }
      totalPatients = sum
      var x: Int
      if let e = eventsIndex, orrIndex == nil || !CellWhitespace.trim(record[e]).isEmpty {
        x = try parseCount(record[e], file: file, line: line, column: header[e])
        if let o = orrIndex, !CellWhitespace.trim(record[o]).isEmpty {
          // Both given: the ORR as written (to its last decimal) must round from events / n.
          let text = CellWhitespace.trim(record[o])
          let pct = try parsePercent(record[o], file: file, line: line, column: header[o])
          let decimals = text.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
          let halfUnit = 0.5 * Double.pow(10, -Double(decimals)) + 1e-9
          if abs(100 * Double(x) / Double(n) - pct) > halfUnit {
            throw .row(
              file: file, line: line,
              reason: "column '\(InputError.shorten(header[e]))' = \(x) and column '\(InputError.shorten(header[o]))' = \(InputError.shorten(text))% disagree (\(x) of \(n) is \(String(format: "%.2f", 100 * Double(x) / Double(n)))%); expected the same response count in both, or one of the two cells empty")
          }
        }
      } else {
        let o = orrIndex!
        let text = CellWhitespace.trim(record[o])
        let pct = try parsePercent(record[o], file: file, line: line, column: header[o])
        derived += 1
        let exact = pct / 100 * Double(n)
        x = Int((exact + 0.5).rounded(.down))
        if abs(exact - Double(x)) > 1e-9 {
          rounding.append("line \(line): \(text)% of \(n) = \(String(format: "%.3f", exact)) -> \(x)")
        }
      }
      guard x <= n else {
        throw .row(file: file, line: line, reason: "events = \(x) is larger than n = \(n) (column '\(eventsIndex.map { header[$0] } ?? header[orrIndex!])'); expected events ≤ n")
      }
      var label = labelIndex.map { CellWhitespace.trim(record[$0]) } ?? ""
      if label.isEmpty { label = "row \(r + 1)" }
      if !fitsTextLimit(label) {
        throw .cell(file: file, line: line, column: labelIndex.map { header[$0] } ?? "label", value: label, expected: "a label of at most \(maximumTextCharacters) characters (and \(maximumTextScalars) Unicode scalars)")
      }
      if let first = labelsSeen[label] {
        warnings.append("duplicate label '\(InputError.shorten(label))' on lines \(first) and \(line)")
      } else {
        labelsSeen[label] = line
      }
      if let b = byIndex {
        let g = CellWhitespace.trim(record[b])
        if g.isEmpty {
          throw .cell(file: file, line: line, column: header[b], value: record[b], expected: "a subgroup value (the --by column may not be empty)")
        }
        if !fitsTextLimit(g) {
          throw .cell(file: file, line: line, column: header[b], value: g, expected: "a subgroup value of at most \(maximumTextCharacters) characters (and \(maximumTextScalars) Unicode scalars)")
        }
        groups.append(g)
      }
      do {
        studies.append(try ProportionStudy(label: label, events: x, total: n))
      } catch {
        throw .row(file: file, line: line, reason: error.description)
      }
    }
    if !table.skippedBlankLines.isEmpty {
      warnings.append("skipped \(table.skippedBlankLines.count) blank line(s): \(table.skippedBlankLines.prefix(10).map(String.init).joined(separator: ", "))")
    }
    if let o = orrIndex {
      warnings.append("events derived from the ORR percentage column '\(InputError.shorten(header[o]))' for \(derived) cohort(s)\(eventsIndex.map { " whose '\(InputError.shorten(header[$0]))' cell is empty" } ?? ""), rounded half up for \(rounding.count) whose percentage of n is not a whole number" + (rounding.isEmpty ? "" : ": " + rounding.prefix(5).joined(separator: "; ") + (rounding.count > 5 ? "; ..." : "")))
    }
    return CohortFile(
      file: file, studies: studies, groups: byIndex == nil ? nil : groups, lines: table.lines,
      eventsColumn: eventsIndex.map { header[$0] } ?? header[orrIndex!], totalColumn: header[totalIndex],
      labelColumn: labelIndex.map { header[$0] }, byColumn: byIndex.map { header[$0] }, filters: columns.filter.descriptions,
      warnings: warnings, table: table)
  }

  /// The most characters (grapheme clusters, what a reader counts: an emoji made of several
  /// scalars joined by ZWJ is one) in a label or subgroup value.
  package static let maximumTextCharacters = 1000
  /// The most Unicode scalars in a label or subgroup value, so that one character made of a
  /// million combining marks is refused too.
  package static let maximumTextScalars = 16_000

  /// Whether a label or subgroup value is within both limits (the scalar count first: it is
  /// cheap and bounds the grapheme count's work).
  static func fitsTextLimit(_ s: String) -> Bool {
    // Every character and every scalar has at least one byte.
    if s.utf8.count <= maximumTextCharacters { return true }
    return s.unicodeScalars.count <= maximumTextScalars && s.count <= maximumTextCharacters
  }

  /// An ORR percentage cell: a number from 0 to 100 in decimal digits.
  static func parsePercent(_ cell: String, file: String, line: Int, column: String) throws(InputError) -> Double {
    let text = CellWhitespace.trim(cell)
    guard let pct = Double(text), pct.isFinite, pct >= 0, pct <= 100, text.allSatisfy({ $0.isNumber || $0 == "." }) else {
      throw .cell(file: file, line: line, column: column, value: cell, expected: "a percentage from 0 to 100")
    }
    return pct
  }

  /// The largest count accepted in a cell (10¹²): every count and every sum of a few thousand of
  /// them is exact in a Double, and exact binomial intervals stay fast (`Docs/robustness.md`).
  package static let maximumCount = 1_000_000_000_000
  /// The largest number of patients summed over all cohorts (2⁵³ − 1, exact in a Double).
  package static let maximumTotal = 9_007_199_254_740_991

  /// The header for a message (``HeaderColumns/list(_:)``).
  static func columnList(_ header: [String]) -> String { HeaderColumns.list(header) }

  /// A hint when a one-column header looks separated by semicolons or tabs (``HeaderColumns``).
  static func separatorHint(_ header: [String]) -> String { HeaderColumns.separatorHint(header) }

  /// Parses a whole, non-negative count written in decimal digits.
  package static func parseCount(_ raw: String, file: String, line: Int, column: String) throws(InputError) -> Int {
    // The common cell, 1 to 12 ASCII digits and nothing else, read from its bytes; any other
    // cell takes the checks below (the same value either way).
    let utf8 = raw.utf8
    if utf8.count <= 12, !utf8.isEmpty {
      var value = 0
      var digits = true
      for u in utf8 {
        guard u >= 0x30 && u <= 0x39 else { digits = false; break }
        value = value * 10 + Int(u - 0x30)
      }
      if digits { return value }
    }
    let text = CellWhitespace.trim(raw)
    let expected = "a whole number ≥ 0 written in decimal digits"
    guard !text.isEmpty else {
      throw .cell(file: file, line: line, column: column, value: raw, expected: "\(expected) (the cell is empty: missing values are not allowed)")
    }
    var digits = Substring(text)
    if digits.first == "+" { digits = digits.dropFirst() }
    if let dot = digits.firstIndex(of: ".") {
      let fraction = digits[digits.index(after: dot)...]
      guard !fraction.isEmpty, fraction.allSatisfy({ $0 == "0" }) else {
        throw .cell(file: file, line: line, column: column, value: raw, expected: "\(expected) (fractional values are not counts)")
      }
      digits = digits[..<dot]
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      var hint = ""
      if text.hasPrefix("-") { hint = " (negative counts are impossible)" }
      else if text.lowercased().hasPrefix("0x") { hint = " (hexadecimal is not accepted)" }
      else if ["nan", "inf", "-inf", "infinity", "na", "null"].contains(text.lowercased()) { hint = " (missing or non-finite values are not allowed)" }
      else if text.contains(",") { hint = " (remove thousands separators)" }
      else if text.lowercased().contains("e") { hint = " (exponent notation is not accepted)" }
      throw .cell(file: file, line: line, column: column, value: raw, expected: expected + hint)
    }
    guard let value = Int(digits), value <= maximumCount else {
      throw .cell(file: file, line: line, column: column, value: raw, expected: "\(expected) no larger than 10^12 (\(maximumCount))")
    }
    return value
  }
}
