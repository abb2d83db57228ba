// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta sensitivity FILE [analyses]`: leave-one-out, influence, cumulative, small-study
  /// tests, trim-and-fill, GOSH and bootstrap (metafor's `leave1out`, `influence`, `cumul`,
  /// `regtest`, `ranktest`, `trimfill`, `gosh`).
  struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sensitivity",
      abstract: "Sensitivity analyses of the pooled proportion: leave-one-out, influence, cumulative, small-study tests, trim-and-fill, GOSH, bootstrap.",
      discussion: """
        Every refit uses the model flags (as for 'pool'): the same measure, tau^2 method, test and level. Estimates are on the model's scale, as metafor reports them, with the back-transformed proportion next to them. Choose one or more analyses, or --all (all but GOSH and the bootstrap). See Docs/sensitivity.md.

        Examples:
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --all
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --leave-one-out \\
            --influence --format json
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --cumulative --order-by n
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --gosh --subsets 100000 \\
            --seed 7 --gosh-out gosh.csv
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --bootstrap 2000 \\
            --seed 1 --jobs 4
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --cluster trial --all
          orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --cluster trial \\
            --bootstrap 1000 --gosh --subsets 5000 --seed 3
        """)

    @OptionGroup var input: CohortFileArguments<SensitivityScope>
    @OptionGroup var clusterOptions: ClusterOptions

    @OptionGroup var analyses: SensitivityAnalysisOptions
    @Option(name: .customLong("gosh-out"), help: "Write every GOSH subset fit to this CSV file (atomically).")
    var goshOut: String?
    @OptionGroup var resampling: ResamplingOptions
    @OptionGroup var outputOptions: SummaryOutputOptions

    @Option(help: ArgumentHelp("Compute only part I of N of the random GOSH subsets and bootstrap resamples, into a part file (--output); 'orrmeta merge' combines the N parts into this command's output (see Docs/cluster.md).", valueName: "I/N"))
    var shard: ResamplingShard?

    func validate() throws {
      try analyses.requireMethodSupport(input.model.method)
      if input.columns.by != nil { throw ValidationError("--by does not apply to sensitivity analyses (they use all cohorts)") }
      if clusterOptions.column != nil {
        try analyses.requireClusterSupport(method: input.model.method)
        if goshOut != nil { throw ValidationError("--gosh-out writes the two-level GOSH subsets; with --cluster every subset fit is in the JSON output (gosh.fits)") }
        if shard != nil { throw ValidationError("--shard does not apply with --cluster: the cluster GOSH and bootstrap run in one process") }
      }
      if goshOut != nil, !analyses.funnel.gosh { throw ValidationError("--gosh-out applies to --gosh") }
      if shard != nil, !analyses.funnel.gosh, analyses.bootstrap == nil {
        throw ValidationError("--shard splits the random GOSH subsets and the bootstrap resamples; give --gosh or --bootstrap")
      }
    }

    /// The analyses asked for (without the cumulative order, which needs the file).
    var request: SensitivityRequest { analyses.request(seed: resampling.seed, threads: resampling.threads) }

    func run() throws {
      if let shard { return try ErrorReporting.run { try runPart(shard) } }
      try ErrorReporting.run { try run(parts: nil) }
    }

    /// The analyses, with the random GOSH and bootstrap taken from `parts` when given (`merge`).
    func run(parts: SensitivityPipeline.ResamplingParts?) throws {
      let settings = try input.model.settings(clustered: clusterOptions.column != nil)
      let output = try outputOptions.target(inputs: [input.file], others: [("--gosh-out", goshOut)])
      let cohorts = try input.read()
      if let clusters = try clusterOptions.read(cohorts) {
        let q = request
        let report: ClusterSensitivityReport
        do {
          report = try ClusterSensitivityReport.run(
            cohorts, settings: settings, clusters: clusters, leaveOneOut: q.leaveOneOut, influence: q.influence,
            cumulative: q.cumulative, bias: q.bias, bootstrap: analyses.bootstrap,
            goshSubsets: analyses.funnel.gosh ? analyses.funnel.subsets.maxSubsets : nil, seed: resampling.seed, threads: resampling.threads)
        } catch {
          throw FileContextError(file: input.file, underlying: error)
        }
        try output.write(try ClusterSensitivityReport.render(report, format: outputOptions.format))
        return
      }
      let r = try request.ordered(by: analyses.order.orderBy, in: cohorts)
      let outcome: SensitivityPipeline.Outcome
      do {
        outcome = try SensitivityPipeline.run(cohorts, settings: settings, request: r, parts: parts)
      } catch {
        throw FileContextError(file: input.file, underlying: error)
      }
      let text = try SensitivityPipeline.render(outcome.report, format: outputOptions.format)
      // Both files are written only when everything succeeded; each atomically.
      if let goshOut, let g = outcome.gosh, let analysis = outcome.analysis {
        try OutputTarget.resolve(goshOut).write(GoshCSV.render(g, analysis: analysis))
      }
      try output.write(text)
    }

    /// `--shard I/N`: this part of the random GOSH subsets and bootstrap resamples, as a
    /// ``ResamplingPartFile`` on the output, with what `merge` needs to finish the command: its
    /// arguments (without --shard, --output and --jobs, which never changes a result) and the
    /// SHA-256 of the cohort file.
    func runPart(_ shard: ResamplingShard) throws {
      let settings = try input.model.settings()
      let output = try outputOptions.target(inputs: [input.file])
      let bytes: Data
      do { bytes = try Data(contentsOf: URL(fileURLWithPath: input.file)) } catch {
        throw InputError.unreadable(file: input.file, reason: error.localizedDescription)
      }
      let cohorts = try input.read()
      let part: (gosh: GoshPart?, bootstrap: BootstrapPart?)
      do {
        part = try SensitivityPipeline.resamplingPart(cohorts, settings: settings, request: request, shard: shard)
      } catch {
        throw FileContextError(file: input.file, underlying: error)
      }
      let arguments = CommandLineArguments.after(
        "sensitivity", in: CommandLine.arguments, dropping: [("--shard", true), ("--output", true), ("-o", true), ("--jobs", true)])
      let partFile = ResamplingPartFile(
        shard: shard, arguments: arguments, inputSHA256: SHA256.hex(Array(bytes)), bootstrap: part.bootstrap, gosh: part.gosh)
      let data = try partFile.encoded()
      try output.write(data)
    }
  }
}
