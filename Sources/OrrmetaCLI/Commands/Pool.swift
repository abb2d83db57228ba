// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser

extension Orrmeta {
  /// `orrmeta pool FILE`: pool the cohorts of one CSV file.
  struct Pool: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "pool",
      abstract: "Pool the proportions of the cohorts in a CSV file.",
      discussion: """
        The file needs a header line with an events column and an n column (see --events-column, --n-column); other columns are kept and may be used with --by.

        Examples:
          orrmeta pool Fixtures/alk-nsclc/cohorts.csv
          orrmeta pool Fixtures/alk-nsclc/cohorts.csv --method DL --test knha --by line
          orrmeta pool cohorts.csv --method pooled --ci-method wilson --format json \\
            --output result.json
          orrmeta pool Fixtures/alk-nsclc/cohorts.csv --cluster trial
        """)

    @Argument(help: "Cohort CSV file.")
    var file: String

    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var clusterOptions: ClusterOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws { try model.requireSubgroupsForTauCommon(columns) }

    /// The command line's values, as `pool`'s table-driven parser also produces them.
    var request: PoolRequest {
      PoolRequest(
        file: file, columns: columns.choices, model: model.choices, cluster: clusterOptions.column,
        format: outputOptions.format, output: outputOptions.output)
    }

    func run() throws { try request.run() }
  }
}
