// SPDX-License-Identifier: GPL-3.0-or-later

/// A file read from one CSV table with a selection of its columns (``CohortFile``,
/// ``PFSFile``, ``TwoArmFile``): ``read(path:columns:)`` reads the table and validates it with
/// ``load(table:columns:)``, which also validates a table read once for several analyses
/// (`orrmeta batch`).
package protocol CSVTableFile {
  /// The columns to use and the rows to leave out.
  associatedtype Columns
  /// Validates a parsed table.
  static func load(table: CSVTable, columns: Columns) throws(InputError) -> Self
}

extension CSVTableFile {
  /// Reads, parses and validates a CSV file.
  package static func read(path: String, columns: Columns) throws(InputError) -> Self {
    try load(table: try CSVTable.read(path: path), columns: columns)
  }
}

extension CohortFile: CSVTableFile {}
extension PFSFile: CSVTableFile {}
extension TwoArmFile: CSVTableFile {}
