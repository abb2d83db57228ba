// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// What `orrmeta pool` was asked to do, as plain data, and the one place that does it.
///
/// Both parsers produce this value: argument-parser through ``Orrmeta/Pool`` (its
/// ``Orrmeta/Pool/request``), and `pool`'s table (``argumentTable``) directly, so that the usual
/// `orrmeta pool FILE …` never makes a `Pool` and never pays the first-use cost of
/// argument-parser's property-wrapper types (Docs/performance.md, "Start-up"). Whichever parser
/// produced it, ``run()`` runs the command.
struct PoolRequest: Equatable, Sendable, ReportOutputOptions {
  /// The cohort CSV file.
  var file = ""
  var columns = ColumnChoices()
  var model = ModelChoices()
  /// `--cluster`, the cluster (trial) column.
  var cluster: String?
  /// `--format`.
  var format: ReportFormat = .text
  /// `--output`: a file, or `-`/nil for standard output.
  var output: String?

  /// The checks argument-parser runs on `pool`'s options (``RowFilterOptions``,
  /// ``ModelFlags``, ``Orrmeta/Pool/validate()``), for the table's value.
  func validate() throws {
    try columns.validate()
    try model.validate(in: PoolScope.self)
    try model.requireSubgroupsForTauCommon(by: columns.by)
  }

  /// Reads the file, pools its cohorts and writes the report.
  func run() throws {
    try ErrorReporting.run {
      let settings = try model.settings(clustered: cluster != nil, in: PoolScope.self)
      let cohorts = try CohortFile.read(path: file, columns: columns.selection)
      let clusters = try ClusterOptions.read(cohorts, column: cluster)
      let report: PoolReport
      do {
        report = try PoolPipeline.run(cohorts, settings: settings, clusters: clusters)
      } catch {
        throw FileContextError(file: file, underlying: error, cohorts: cohorts)
      }
      try emit(try PoolPipeline.render(report, format: format), inputs: [file])
    }
  }
}
