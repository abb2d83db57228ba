// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// One extra column of a cohort file (`--order-by`, `--mods`), read cell by cell with the file,
/// line and column of every value, so that a bad or missing cell is reported where it is.
package struct TableColumn: Sendable {
  /// The column's name as written in the header.
  package let name: String
  /// The trimmed cells, one per cohort (file order).
  package let values: [String]
  /// The line of each cell.
  package let lines: [Int]
  /// The file.
  package let file: String

  /// Cells that mean "missing" (compared case-insensitively after trimming): empty, `NA`,
  /// `N/A`, `NaN`, `null` and `.`. Such a cell is an error, never silently dropped.
  package static let missingMarkers: Set<String> = ["", "na", "n/a", "nan", "null", "."]

  /// Finds a column by name (case-insensitive, surrounding spaces ignored).
  ///
  /// - Parameter role: what the column is for, for the message (e.g. "--order-by").
  /// - Throws: ``InputError/header(file:reason:)`` when there is no such column.
  package init(_ cohorts: CohortFile, named wanted: String, role: String) throws(InputError) {
    try self.init(cohorts.table, named: wanted, role: role)
  }

  /// Finds a column of a table by name, keeping the given rows only (all rows when nil; file
  /// order), e.g. the cohorts an analysis used.
  /// - Throws: ``InputError/header(file:reason:)`` when there is no such column.
  package init(_ table: CSVTable, named wanted: String, role: String, rows: [Int]? = nil) throws(InputError) {
    let header = try HeaderColumns(table)
    let index = try header.index(wanted, " for \(role)")
    name = header.names[index]
    let kept = rows ?? Array(table.records.indices)
    values = kept.map { r in index < table.records[r].count ? table.records[r][index].trimmingCharacters(in: .whitespaces) : "" }
    lines = kept.map { table.lines[$0] }
    file = table.file
  }

  /// Throws for the first missing cell (see ``missingMarkers``).
  package func requireComplete(_ what: String) throws(InputError) {
    for (i, v) in values.enumerated() where Self.missingMarkers.contains(v.lowercased()) {
      throw .cell(
        file: file, line: lines[i], column: name, value: v,
        expected: "\(what) (missing values are not allowed: fill the cell in or remove the row)")
    }
  }

  /// The cells as numbers when every cell is a finite decimal number (digits, sign, point,
  /// exponent), else nil.
  package var numbers: [Double]? {
    var out = [Double]()
    out.reserveCapacity(values.count)
    for v in values {
      guard let x = Self.decimal(v) else { return nil }
      out.append(x)
    }
    return out
  }

  /// A finite number written in decimal notation (no hexadecimal, NaN or infinity), else nil.
  package static func decimal(_ text: String) -> Double? {
    guard !text.isEmpty, text.allSatisfy({ "0123456789+-.eE".contains($0) }), let x = Double(text), x.isFinite else {
      return nil
    }
    return x
  }
}
