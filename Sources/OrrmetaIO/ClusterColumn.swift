// SPDX-License-Identifier: GPL-3.0-or-later

/// The cluster (trial) column of a three-level analysis (`--cluster`): one label per cohort.
package struct ClusterColumn: Sendable {
  /// The column's name as written in the header (the name of the cluster level).
  package let name: String
  /// The cluster label of each cohort, in file order.
  package let values: [String]

  /// Reads the column.
  /// - Throws: ``InputError`` when the column is missing or a cell is empty/NA (named by file,
  ///   line and column).
  package init(_ cohorts: CohortFile, named column: String) throws(InputError) {
    let c = try TableColumn(cohorts, named: column, role: "clusters (--cluster)")
    try c.requireComplete("a cluster label")
    name = c.name
    values = c.values
  }
}
