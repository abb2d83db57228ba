// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import OrrmetaPlots

extension Orrmeta {
  /// `orrmeta multiverse FILE`: fit every specification (measure × τ² estimator × test, simple
  /// pooling with each binomial CI, GLMM, three-level) and flag what the choices hide.
  struct Multiverse: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "multiverse",
      abstract: "Fit every analysis specification (multiverse) and show how the pooled proportion depends on the choices.",
      discussion: """
        Default: 5 measures x 9 tau^2 estimators x {z, knha} (two-level), simple pooling with each binomial CI, the GLMM, and the three-level model (REML, ML) with --cluster. Every row equals 'orrmeta pool' with the row's pool_arguments. Lists take spaces, commas or repeated flags. See Docs/multiverse.md.

        Examples:
          orrmeta multiverse Fixtures/alk-nsclc/cohorts.csv --reference 0.585
          orrmeta multiverse Fixtures/alk-nsclc/cohorts.csv --cluster trial \\
            --format json --output multiverse.json
          orrmeta multiverse Fixtures/alk-nsclc/cohorts.csv --measures PLO,PFT \\
            --methods DL,REML --tests z,knha,t --plot curve.svg
        """)

    @Argument(help: "Cohort CSV file.")
    var file: String

    @OptionGroup var columns: ColumnOptions
    @OptionGroup var clusterOptions: ClusterOptions

    @OptionGroup var multiverse: MultiverseOptions
    @Option(help: "Also write the specification curve as SVG to this file.")
    var plot: String?
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws { try multiverse.validate(cluster: clusterOptions.column) }

    func run() throws {
      try ErrorReporting.run {
        let targets = try OutputTarget.resolve([("--output", outputOptions.output), ("--plot", plot)], inputs: [file])
        let (cohorts, report) = try multiverse.run(file: file, columns: columns, cluster: clusterOptions)
        if let svgTarget = targets[1] {
          try svgTarget.write(SpecificationCurvePlot.render(report).notingRowFilters(cohorts.filters).standalone)
        }
        try (targets[0] ?? .standardOutput).write(try MultiverseTextReport.render(report, format: outputOptions.format))
      }
    }
  }
}
