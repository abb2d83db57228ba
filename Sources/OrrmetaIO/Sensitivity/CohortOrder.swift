// SPDX-License-Identifier: GPL-3.0-or-later

/// The order in which a cumulative meta-analysis adds cohorts (`--order-by COLUMN`).
public enum CohortOrder {
  /// The cohort indices (0-based, file order) sorted ascending by a column of the file; ties
  /// keep file order (a stable sort, as R's `order`). The column is compared as numbers when
  /// every cell is a decimal number, otherwise as text (by Unicode code points).
  ///
  /// - Throws: ``InputError`` when the column does not exist or a cell is missing.
  public static func ascending(_ cohorts: CohortFile, by column: String) throws(InputError) -> [Int] {
    let c = try TableColumn(cohorts, named: column, role: "--order-by")
    try c.requireComplete("a value to order the cohorts by")
    let indices = Array(c.values.indices)
    if let x = c.numbers {
      return indices.sorted { (x[$0], $0) < (x[$1], $1) }
    }
    let v = c.values
    return indices.sorted { a, b in
      if v[a] == v[b] { return a < b }
      return v[a].unicodeScalars.lexicographicallyPrecedes(v[b].unicodeScalars)
    }
  }
}
