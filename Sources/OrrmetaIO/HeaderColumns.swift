// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The checked header of a CSV table and the one column lookup of the readers: unique,
/// non-empty column names without a stray byte-order mark, looked up case-insensitively with
/// surrounding spaces ignored; a column chosen by one of several aliases; the messages for a
/// missing or ambiguous column (the file, line 1, the name and the columns there are).
/// Used by ``CohortFile``, ``PFSFile``, ``PFSIntervalFile``, ``TwoArmFile``, ``TableColumn``
/// (`--order-by`, `--mods`, `--cluster`) and `orrmeta reproduce`.
package struct HeaderColumns: Sendable {
  package let file: String
  /// The names as written (trimmed).
  package let names: [String]
  private let byLowercased: [String: Int]

  /// - Throws: ``InputError/header(file:reason:)`` for an unnamed or duplicate column.
  package init(_ table: CSVTable) throws(InputError) {
    file = table.file
    names = table.header.map(CellWhitespace.trim)
    var seen: [String: Int] = [:]
    for (i, name) in names.enumerated() {
      if name.isEmpty {
        throw .header(file: file, reason: "column \(i + 1) of the header has no name; expected a name for every column")
      }
      if name.unicodeScalars.contains("\u{FEFF}") {  // a second BOM would rename the column
        throw .header(
          file: file,
          reason: "column \(i + 1) of the header ('\(InputError.shorten(name))') contains a byte-order mark (U+FEFF), e.g. a second one at the start of the file; expected plain column names (save the file once as UTF-8)")
      }
      if let j = seen[name.lowercased()] {
        throw .header(file: file, reason: "duplicate column name '\(InputError.shorten(name))' (columns \(j + 1) and \(i + 1)); expected unique names")
      }
      seen[name.lowercased()] = i
    }
    byLowercased = seen
  }

  /// The index of a column, or nil.
  package func optionalIndex(_ name: String) -> Int? { byLowercased[name.trimmingCharacters(in: .whitespaces).lowercased()] }

  /// The index of a required column.
  /// - Parameter purpose: what follows the name in the message, with its leading space or comma, e.g. ` for the medians
  ///   (--value-column)`.
  package func index(_ name: String, _ purpose: String) throws(InputError) -> Int {
    guard let i = optionalIndex(name) else { throw missing(name, purpose) }
    return i
  }

  /// The index of a required column chosen with a flag (`for ROLE (FLAG)` in the message).
  func index(_ name: String, role: String, flag: String) throws(InputError) -> Int {
    try index(name, " for \(role) (\(flag))")
  }

  /// The error for a column that is not there: its name, what it was for, the columns there are.
  package func missing(_ name: String, _ purpose: String) -> InputError {
    .header(file: file, reason: "no column named '\(InputError.shorten(name))'\(purpose); the columns are: \(Self.list(names))")
  }

  /// The one column named by one of `aliases` (lowercase), or nil when none is and it is not
  /// required.
  /// - Parameters:
  ///   - role: the column's role in the messages (`n (patients)`, `weight`).
  ///   - described: how a fitting column is described (`one`, `a cohort-size column`).
  ///   - flag: the flag that chooses a column by name.
  /// - Throws: ``InputError/header(file:reason:)`` when two aliases are present, or none and
  ///   the column is required.
  package func alias(_ aliases: [String], role: String, described: String = "one", flag: String, required: Bool) throws(InputError) -> Int? {
    let found = aliases.compactMap { byLowercased[$0] }
    if found.count > 1 {
      let both = found.map { "'\(InputError.shorten(names[$0]))'" }.joined(separator: " and ")
      throw .header(file: file, reason: "ambiguous \(role) column: both \(both) are present; choose one with \(flag)")
    }
    if found.isEmpty, required {
      throw .header(file: file, reason: "no \(role) column; expected \(described) named \(aliases.joined(separator: ", ")) or one chosen with \(flag); the columns are: \(Self.list(names))\(Self.separatorHint(names))")
    }
    return found.first
  }

  /// The one column named by one of `aliases` (lowercase) in a layout whose columns no flag
  /// chooses (the wide two-arm file).
  /// - Parameter alternative: what else the user can do, in the message for a missing column
  ///   (`or a long cohort table with …`).
  /// - Throws: ``InputError/header(file:reason:)`` when none or several aliases are present.
  package func alias(_ aliases: [String], role: String, or alternative: String) throws(InputError) -> Int {
    let found = aliases.compactMap { byLowercased[$0] }
    guard found.count == 1 else {
      let reason = found.isEmpty
        ? "no \(role) column; expected one named \(aliases.joined(separator: ", ")) (\(alternative)); the columns are: \(Self.list(names))\(Self.separatorHint(names))"
        : "ambiguous \(role) column: \(found.map { "'\(InputError.shorten(names[$0]))'" }.joined(separator: " and ")) are both present; expected one"
      throw .header(file: file, reason: reason)
    }
    return found[0]
  }

  /// The label column: the one named, else the first of ``ColumnSelection/labelAliases``.
  func labelIndex(_ label: String?) throws(InputError) -> Int? {
    if let label { return try index(label, role: "the labels", flag: "--label-column") }
    return ColumnSelection.labelAliases.lazy.compactMap { byLowercased[$0] }.first
  }

  /// The header for a message: at most 20 names, each shortened.
  package static func list(_ header: [String]) -> String {
    let shown = header.prefix(20).map { InputError.shorten($0) }.joined(separator: ", ")
    return header.count > 20 ? "\(shown), ... (\(header.count) columns)" : shown
  }

  /// A hint when a one-column header looks like a file separated by semicolons or tabs.
  static func separatorHint(_ header: [String]) -> String {
    guard header.count == 1, let only = header.first else { return "" }
    if only.contains(";") { return " (the header looks separated by semicolons: orrmeta reads comma-separated files; export the sheet as CSV with commas)" }
    if only.contains("\t") { return " (the header looks separated by tabs: orrmeta reads comma-separated files; export the sheet as CSV with commas)" }
    return ""
  }
}
