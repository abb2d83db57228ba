// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The checked header of a cohort or PFS file: unique, non-empty column names without a stray
/// byte-order mark, looked up case-insensitively. The one header check of the CSV readers
/// (``CohortFile``, ``PFSFile``, ``PFSIntervalFile``).
struct HeaderColumns {
  let file: String
  /// The names as written (trimmed).
  let names: [String]
  private let byLowercased: [String: Int]

  /// - Throws: ``InputError/header(file:reason:)`` for an unnamed or duplicate column.
  init(_ table: CSVTable) throws(InputError) {
    file = table.file
    names = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
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
  func optionalIndex(_ name: String) -> Int? { byLowercased[name.trimmingCharacters(in: .whitespaces).lowercased()] }

  /// The index of a required column.
  func index(_ name: String, role: String, flag: String) throws(InputError) -> Int {
    guard let i = optionalIndex(name) else {
      throw .header(file: file, reason: "no column named '\(name)' for \(role) (\(flag)); the columns are: \(names.joined(separator: ", "))")
    }
    return i
  }

  /// The label column: the one named, else the first of ``ColumnSelection/labelAliases``.
  func labelIndex(_ label: String?) throws(InputError) -> Int? {
    if let label { return try index(label, role: "the labels", flag: "--label-column") }
    return ColumnSelection.labelAliases.lazy.compactMap { byLowercased[$0] }.first
  }

  /// Every name keyed by its lowercased form.
  var lookup: [String: Int] { byLowercased }
}
