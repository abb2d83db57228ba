// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO
import OrrmetaPlots

extension Orrmeta.Plot {
  /// `orrmeta plot multiverse`: the specification curve of `orrmeta multiverse`.
  struct Multiverse: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "multiverse",
      abstract: "Specification curve: the pooled proportion of every specification of 'orrmeta multiverse' with its CI, sorted, with the choices underneath (Docs/multiverse.md).")

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var clusterOptions: ClusterOptions
    @OptionGroup var multiverse: MultiverseOptions
    @OptionGroup var output: PlotOutputOptions
    @OptionGroup var fileFormat: PlotFileOptions

    func validate() throws { try multiverse.validate(cluster: clusterOptions.column) }

    func run() throws {
      try ErrorReporting.run {
        let (cohorts, report) = try multiverse.run(file: file, columns: columns, cluster: clusterOptions)
        try output.emit(SpecificationCurvePlot.render(report, title: output.title), filters: cohorts.filters, file: file, format: fileFormat)
      }
    }
  }
}
