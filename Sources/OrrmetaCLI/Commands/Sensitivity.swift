// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
import OrrmetaIO

extension Orrmeta {
  /// `orrmeta sensitivity FILE [analyses]`: leave-one-out, influence, cumulative, small-study
  /// tests, trim-and-fill, GOSH and bootstrap (metafor's `leave1out`, `influence`, `cumul`,
  /// `regtest`, `ranktest`, `trimfill`, `gosh`).
  struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Sensitivity analyses of the pooled proportion: leave-one-out, influence, cumulative, small-study tests, trim-and-fill, GOSH, bootstrap.",
      discussion: """
        Every refit uses the model flags (as for 'pool'): the same measure,
        tau^2 method, test and level. Estimates are on the model's scale, as
        metafor reports them, with the back-transformed proportion next to
        them. Choose one or more analyses, or --all (all but GOSH and the
        bootstrap). See Docs/sensitivity.md.

        Examples:
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --all
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --leave-one-out --influence --format json
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --cumulative --order-by n
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --gosh --subsets 100000 --seed 7 --gosh-out gosh.csv
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --bootstrap 2000 --seed 1 --jobs 4
        """)

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions

    @Flag(name: .customLong("leave-one-out"), help: "Leave-one-out: the model without each cohort (metafor leave1out).")
    var leaveOneOut = false
    @Flag(help: "Influence diagnostics (rstudent, DFFITS, Cook's distance, covariance ratio, hat, weight, DFBETAS, influential flag) and Baujat coordinates (metafor influence, baujat).")
    var influence = false
    @Flag(help: "Cumulative meta-analysis (metafor cumul), in file order or by --order-by.")
    var cumulative = false
    @OptionGroup var order: CumulativeOrderOptions
    @Flag(help: "Small-study effects: Egger's regression test, Peters' test (metafor regtest) and Begg's rank correlation test (ranktest).")
    var bias = false
    @Flag(help: "Trim-and-fill (metafor trimfill).")
    var trimfill = false
    @Option(help: "Trim-and-fill estimator: L0 (default), R0 or Q0.")
    var estimator: TrimAndFillEstimator?
    @Option(help: "Trim-and-fill: the side of the funnel where cohorts are missing, left or right (default: estimated from Egger's slope).")
    var side: FunnelSide?
    @Flag(help: "GOSH: the model fitted to subsets of the cohorts (metafor gosh); summary in the output, every subset with --gosh-out.")
    var gosh = false
    @OptionGroup var subsets: GoshSubsetOptions
    @Option(name: .customLong("gosh-out"), help: "Write every GOSH subset fit to this CSV file (atomically).")
    var goshOut: String?
    @Option(help: "Bootstrap with this many resamples of the cohorts: percentile CIs of the estimate and tau^2.")
    var bootstrap: Int?
    @Flag(help: "All analyses but GOSH and the bootstrap.")
    var all = false
    @OptionGroup var resampling: ResamplingOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
      if model.method == .GLMM {
        let r = request
        if r.influence || r.bias || r.trimFill || r.gosh || r.bootstrapResamples != nil {
          throw ValidationError("--method GLMM supports only --leave-one-out and --cumulative (the other analyses refit an inverse-variance model)")
        }
      } else {
        try model.requireInverseVariance("sensitivity analyses")
      }
      if columns.by != nil { throw ValidationError("--by does not apply to sensitivity analyses (they use all cohorts)") }
      if ![.text, .json].contains(outputOptions.format) {
        throw ValidationError("--format \(outputOptions.format.rawValue) is not available for sensitivity analyses; use text or json")
      }
      if request.isEmpty {
        throw ValidationError("choose at least one analysis: --leave-one-out, --influence, --cumulative, --bias, --trimfill, --gosh, --bootstrap B, or --all")
      }
      if let b = bootstrap, b < 2 { throw ValidationError("--bootstrap \(b) is invalid; expected at least 2 resamples") }
      let r = request
      if order.orderBy != nil, !r.cumulative { throw ValidationError("--order-by applies to --cumulative") }
      if estimator != nil || side != nil, !r.trimFill { throw ValidationError("--estimator and --side apply to --trimfill") }
      if goshOut != nil, !gosh { throw ValidationError("--gosh-out applies to --gosh") }
      if subsets.subsets != nil, !gosh { throw ValidationError("--subsets applies to --gosh") }
    }

    /// The analyses asked for (without the cumulative order, which needs the file).
    var request: SensitivityRequest {
      var r = SensitivityRequest()
      if all { r.selectAll() }
      r.leaveOneOut = r.leaveOneOut || leaveOneOut
      r.influence = r.influence || influence
      r.cumulative = r.cumulative || cumulative
      r.bias = r.bias || bias
      r.trimFill = r.trimFill || trimfill
      r.trimFillEstimator = estimator ?? .L0
      r.trimFillSide = side
      r.gosh = gosh
      r.goshSubsets = subsets.maxSubsets
      r.bootstrapResamples = bootstrap
      r.seed = resampling.seed
      r.threads = resampling.threads
      return r
    }

    func run() throws {
      try ErrorReporting.run {
        let settings = try model.settings()
        let cohorts = try CohortFile.read(path: file, columns: columns.selection)
        var r = request
        if r.cumulative, let column = order.orderBy {
          r.cumulativeOrder = try CohortOrder(cohorts, ascendingBy: column)
        }
        let outcome: SensitivityPipeline.Outcome
        do {
          outcome = try SensitivityPipeline.run(cohorts, settings: settings, request: r)
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        let text = try SensitivityPipeline.render(outcome.report, format: outputOptions.format)
        // Both files are written only when everything succeeded; each atomically.
        if let goshOut, let g = outcome.gosh, let analysis = outcome.analysis {
          try AtomicFile.write(GoshCSV.render(g, analysis: analysis), to: goshOut)
        }
        try outputOptions.emit(text)
      }
    }
  }
}
