// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// `--cluster COLUMN`: cohorts nested in clusters (trials), fitted with the three-level model.
struct ClusterOptions: ParsableArguments {
  @Option(
    name: .customLong("cluster"),
    help: "Cluster (trial) column: fit the three-level model with cohorts nested in its levels (metafor rma.mv, random = ~ 1 | cluster/cohort; REML or ML).")
  var column: String?

  /// The cluster column of the file, or nil without `--cluster`.
  func read(_ cohorts: CohortFile) throws -> ClusterColumn? { try Self.read(cohorts, column: column) }

  /// ``read(_:)`` of a `--cluster` value held apart from the flag (``PoolRequest``).
  static func read(_ cohorts: CohortFile, column: String?) throws -> ClusterColumn? {
    guard let column else { return nil }
    return try ClusterColumn(cohorts, named: column)
  }
}
