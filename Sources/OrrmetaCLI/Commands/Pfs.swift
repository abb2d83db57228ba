// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaPlots
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta pfs FILE`: the sample-size-weighted median of cohort median PFS.
  struct Pfs: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "pfs",
      abstract: "Weighted median of cohort medians (e.g. median PFS weighted by cohort size), with sign-test and bootstrap CIs; or inverse-variance pooling of medians or hazard ratios from their CIs.",
      discussion: """
        Each row is a cohort. A median cell holds a number (months), or is empty, NR (not reached) or NA (not reported); cohorts without a median are left out and counted in the output. Weights default to the cohort-size column (n, total, patients, ...).

        --pool iv pools the medians by inverse variance, each SE from the median's CI (columns <median column without _months>_ci_lower, _ci_upper, optional _ci_level; NR for an upper bound not reached); --estimand difference or log-ratio compares median_treat with median_ctrl. --hr pools log hazard ratios from hr, hr_ci_lower, hr_ci_upper.

        Examples:
          orrmeta pfs Fixtures/alk-nsclc/cohorts.csv --by line
          orrmeta pfs cohorts.csv --value-column median_os --weights patients \\
            --format json
          orrmeta pfs cohorts.csv --median-method interpolated \\
            --bootstrap-replicates 5000 --seed 7
          orrmeta pfs cohorts.csv --ci sign-exact
          orrmeta pfs Fixtures/pfs/dat_lung.csv --pool iv --arm treat --format json
          orrmeta pfs Fixtures/pfs/dat_lung.csv --pool iv --estimand log-ratio \\
            --test knha
          orrmeta pfs trials.csv --hr --method DL
        """)

    @Argument(help: "Cohort CSV file.")
    var file: String

    @Option(name: .customLong("value-column"), help: "Column of the cohort medians (default: median_pfs_months).")
    var valueColumn: String = PFSColumnSelection.defaultValueColumn

    @Option(name: .customLong("weights"), help: "Column of the weights (default: the cohort-size column: n, total, patients, ni, size or sample_size).")
    var weights: String?

    @OptionGroup var labelColumn: LabelColumnOption

    @Option(name: .customLong("by"), help: "Subgroup column: a weighted median per level as well as overall.")
    var by: String?

    @OptionGroup var confidence: ConfidenceLevelOption

    @OptionGroup var rows: RowFilterOptions
    @OptionGroup var median: MedianOptions
    @OptionGroup var pooling: PFSPoolingOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
      _ = try settings()
      if !pooling.inverseVariance, outputOptions.format == .csv || outputOptions.format == .markdown {
        throw ValidationError("--format \(outputOptions.format.rawValue) is available with --pool iv or --hr; the weighted median writes text or json")
      }
    }

    func settings() throws -> WeightedMedianSettings {
      var s = try median.settings(level: try confidence.confidenceLevel())
      s.exactSignTest = pooling.extraIntervals.contains(.signExact)
      return s
    }

    func run() throws {
      try ErrorReporting.run {
        let settings = try settings()
        if let measure = pooling.measure(valueColumn: valueColumn) {
          let output = try outputOptions.target(inputs: [self.file], others: [("--forest", pooling.forest)])
          let file = try PFSIntervalFile.read(path: self.file, measure: measure, label: labelColumn.label, by: by)
          let report: PFSPooledReport
          do {
            report = try PFSPooledPipeline.run(
              file, settings: try pooling.settings(level: settings.level), moderators: pooling.moderators,
              categorical: pooling.categorical)
          } catch let e as InputError {
            throw e
          } catch {
            throw FileContextError(file: self.file, underlying: error)
          }
          let text = try PFSPooledPipeline.render(report, format: outputOptions.format)
          // Both files only when everything succeeded; each through the one output rule.
          if let forest = pooling.forest {
            try OutputTarget.resolve(forest).write(MedianForestPlot.render(report).standalone)
          }
          try output.write(text)
          return
        }
        var columns = PFSColumnSelection(value: valueColumn, weights: weights, label: labelColumn.label, by: by)
        columns.filter = rows.filter
        let pfs = try PFSFile.read(path: file, columns: columns)
        let report: PFSReport
        do {
          report = try PFSPipeline.run(pfs, settings: settings)
        } catch let e as InputError {
          throw e
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        try outputOptions.emit(try PFSPipeline.render(report, format: outputOptions.format == .json ? .json : .text), inputs: [file])
      }
    }
  }
}
