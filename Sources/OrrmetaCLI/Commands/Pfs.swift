// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO

extension Orrmeta {
  /// `orrmeta pfs FILE`: the sample-size-weighted median of cohort median PFS.
  struct Pfs: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "pfs",
      abstract: "Weighted median of cohort medians (e.g. median PFS weighted by cohort size), with sign-test and bootstrap CIs.",
      discussion: """
        Each row is a cohort. A median cell holds a number (months), or is empty, NR (not reached)
        or NA (not reported); cohorts without a median are left out and counted in the output.
        Weights default to the cohort-size column (n, total, patients, ...).

        Examples:
          orrmeta pfs Fixtures/alk-nsclc/cohorts.csv --by line
          orrmeta pfs cohorts.csv --value-column median_os --weights patients --format json
          orrmeta pfs cohorts.csv --median-method interpolated --bootstrap-replicates 5000 --seed 7
        """)

    @Argument(help: "Cohort CSV file.")
    var file: String

    @Option(name: .customLong("value-column"), help: "Column of the cohort medians (default: median_pfs_months).")
    var valueColumn: String = PFSColumnSelection.defaultValueColumn

    @Option(name: .customLong("weights"), help: "Column of the weights (default: the cohort-size column: n, total, patients, ni, size or sample_size).")
    var weights: String?

    @Option(name: .customLong("label-column"), help: "Label column (default: the first of label, study, study_id, cohort, name, trial, id).")
    var label: String?

    @Option(name: .customLong("by"), help: "Subgroup column: a weighted median per level as well as overall.")
    var by: String?

    @Option(help: "Confidence level, as a percentage (95) or a fraction (0.95).")
    var level: Double = 95

    @OptionGroup var median: MedianOptions
    @OptionGroup var outputOptions: SummaryOutputOptions

    func validate() throws { _ = try settings() }

    func settings() throws -> WeightedMedianSettings {
      let lv: ConfidenceLevel
      do { lv = try ConfidenceLevel(level) } catch { throw ValidationError(error.description) }
      return try median.settings(level: lv)
    }

    func run() throws {
      try ErrorReporting.run {
        let settings = try settings()
        let pfs = try PFSFile.read(path: file, columns: PFSColumnSelection(value: valueColumn, weights: weights, label: label, by: by))
        let report: PFSReport
        do {
          report = try PFSPipeline.run(pfs, settings: settings)
        } catch let e as InputError {
          throw e
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        try outputOptions.emit(try PFSPipeline.render(report, format: outputOptions.format), inputs: [file])
      }
    }
  }
}
