// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO

/// The order in which a cumulative meta-analysis adds cohorts (`--order-by COLUMN`): ascending
/// by a column of the file, ties in file order (a stable sort, as R's `order`). The column is
/// compared as numbers when every cell is a decimal number, otherwise as text (by Unicode code
/// points).
package struct CohortOrder: Sendable, Hashable {
  /// The column's name as written in the header.
  package let column: String
  /// The cohort indices (0-based, file order) in the order they are added.
  package let indices: [Int]

  /// Sorts the cohorts by a column.
  ///
  /// - Throws: ``InputError`` when the column does not exist or a cell is missing (the error
  ///   names the file, line and column).
  package init(_ cohorts: CohortFile, ascendingBy name: String) throws(InputError) {
    let c = try TableColumn(cohorts, named: name, role: "--order-by")
    try c.requireComplete("a value to order the cohorts by")
    let all = Array(c.values.indices)
    column = c.name
    if let x = c.numbers {
      indices = all.sorted { (x[$0], $0) < (x[$1], $1) }
    } else {
      let v = c.values
      indices = all.sorted { a, b in
        if v[a] == v[b] { return a < b }
        return v[a].unicodeScalars.lexicographicallyPrecedes(v[b].unicodeScalars)
      }
    }
  }
}
