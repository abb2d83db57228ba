// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta reproduce`: rebuild the reference meta-analysis from the bundled fixtures.
  struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "reproduce",
      abstract: "Reproduce the ALK reference meta-analysis (or any publication) side by side from a fixture directory.",
      discussion: """
        Reads cohorts.csv (the sourced cohort table) and published.toml (the published figures) from the fixture directory: --fixtures DIR, else Fixtures/alk-nsclc under the current directory, else next to the executable. For each figure it prints the published value, the value rebuilt from integer totals consistent with the publication, the value on the sourced table with the paper's method (sum of responders / sum of patients; weighted median of cohort median PFS) and with a random-effects model (logit, REML, Hartung-Knapp) with I^2 and the prediction interval.

        Examples:
          orrmeta reproduce
          orrmeta reproduce --format json --output reproduction.json
          orrmeta reproduce --fixtures my-review/  # holds cohorts.csv, published.toml
        """)

    @Option(help: "Fixture directory holding cohorts.csv and published.toml (default: the bundled Fixtures/alk-nsclc).")
    var fixtures: String?

    @Option(help: "Cohort CSV file (default: cohorts.csv in the fixture directory).")
    var cohorts: String?

    @Option(help: "Published-figures TOML file (default: published.toml in the fixture directory).")
    var published: String?

    @OptionGroup var rows: RowFilterOptions
    @OptionGroup var median: MedianOptions
    @OptionGroup var outputOptions: SummaryOutputOptions

    func run() throws {
      try ErrorReporting.run {
        let settings = try median.settings()
        var directory: String? = nil
        if cohorts == nil || published == nil {
          directory = try FixtureLocator.locate(
            explicit: fixtures, currentDirectory: FileManager.default.currentDirectoryPath,
            executablePath: Bundle.main.executablePath ?? CommandLine.arguments.first)
        }
        func inDirectory(_ name: String) -> String { ((directory ?? ".") as NSString).appendingPathComponent(name) }
        let cohortPath = cohorts ?? inDirectory(FixtureLocator.cohortsFileName)
        let publishedPath = published ?? inDirectory(FixtureLocator.publishedFileName)
        let figures = try PublishedFigures.read(path: publishedPath)
        let table = try CohortFile.read(path: cohortPath, columns: ColumnSelection(filter: rows.filter))
        let report: ReproduceReport
        do {
          report = try ReproducePipeline.run(cohorts: table, published: figures, fixtures: directory, medianSettings: settings)
        } catch let e as InputError {
          throw e
        } catch {
          throw FileContextError(file: cohortPath, underlying: error)
        }
        try outputOptions.emit(try ReproducePipeline.render(report, format: outputOptions.format), inputs: [cohortPath, publishedPath])
      }
    }
  }
}
