// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta batch INPUT... --out DIR`: run analyses over many cohort files.
  struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "batch",
      abstract: "Run the same analyses over many cohort files, in parallel, resumably, shardably.",
      discussion: """
        INPUT may be files, directories (searched recursively for *.csv) and glob patterns. Every file × analysis runs in parallel; a file that fails affects only its own rows. DIR receives summary.csv, summary.jsonl, errors.csv, manifest.jsonl, batch.json and results/<input path>/<analysis>.json (the JSON of pool or sensitivity --format json). See Docs/batch.md.

        Without --spec, one analysis named 'default' uses the model and column flags below. With --spec, the analyses come from the TOML file (type = "pool", "sensitivity", "regress" or "compare") and those flags may not be given.

        Exit codes: 0 every pair succeeded; 3 the run finished but some pairs failed (see errors.csv); 64 invalid flags or spec; 66 an input or the spec does not exist; 73 DIR not writable; 130 stopped by SIGINT or SIGTERM (the summary lists what finished; rerun with --resume).

        Examples:
          orrmeta batch data/ --out out
          orrmeta batch 'trials/*.csv' --out out --spec analyses.toml --jobs 8
          orrmeta batch data/ --out out-2 --shard 2/4
          orrmeta merge out-1 out-2 out-3 out-4 --out out
          orrmeta batch data/ --out out --resume
        """)

    @Argument(help: "Cohort CSV files, directories (searched recursively for .csv) or glob patterns.")
    var inputs: [String] = []

    @Option(name: [.customLong("out"), .customLong("output"), .short], help: "Output directory (created when missing).")
    var out: String

    @Option(help: "TOML spec of named analyses (see Docs/batch.md). Default: one analysis, 'default', from the flags.")
    var spec: String?

    @Option(help: "Files analysed at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Process only part I of N of the sorted work list (for cluster array jobs), e.g. 2/4.")
    var shard: BatchShard = .whole

    @Option(name: .customLong("exclude-path"), help: ArgumentHelp("A directory not to search for inputs (repeatable); the --out directory never is.", valueName: "dir"))
    var excludePath: [String] = []

    @Flag(help: "Keep results whose input file and analysis settings are unchanged; recompute the rest.")
    var resume = false

    @Option(help: "Result files: 'nested' (results/<path>/<analysis>.json) or 'flat' (results/<path>.<analysis>.json: no directory per input file).")
    var layout: BatchLayout.Style = .nested

    @Flag(help: "No progress and no final summary line on standard error.")
    var quiet = false

    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup(title: "Slurm") var slurm: SlurmOptions

    func validate() throws {
      if inputs.isEmpty { throw ValidationError("give at least one INPUT: a cohort CSV file, a directory or a glob pattern") }
      try model.requireSubgroupsForTauCommon(columns)
      if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs) is invalid; expected a whole number >= 1") }
      if spec != nil, let flag = modelOrColumnFlagGiven {
        throw ValidationError("--spec and \(flag) cannot be combined: put the setting in the spec ([defaults] or [analyses.NAME])")
      }
      if slurm.slurm, shard != .whole { throw ValidationError("--slurm and --shard cannot be combined: each task of the array computes its own shard") }
    }

    /// The first model or column flag that differs from its default (nil when none does). The
    /// defaults are those of the flags themselves (the flags parsed from no arguments), so they
    /// have one owner, ``ModelFlags``.
    var modelOrColumnFlagGiven: String? {
      let c = columns
      if c.events != nil { return "--events-column" }
      if c.total != nil { return "--n-column" }
      if c.label != nil { return "--label-column" }
      if c.orr != nil { return "--orr-column" }
      if c.by != nil { return "--by" }
      let m = model
      guard let d = try? ModelOptions.parse([]) else { return nil }
      if m.measure != d.measure { return "--measure" }
      if m.method != d.method { return "--method" }
      if m.test != d.test { return "--test" }
      if m.level != d.level { return "--level" }
      if m.ciMethod != d.ciMethod { return "--ci-method" }
      if m.add != d.add { return "--add" }
      if m.to != d.to { return "--to" }
      if m.nagq != d.nagq { return "--nagq" }
      if m.tauCommon != d.tauCommon { return "--tau-common" }
      return nil
    }

    /// The analyses: from the spec, or `default` from the flags.
    func analyses() throws -> [BatchAnalysis] {
      guard let spec else {
        return [BatchAnalysis(name: "default", kind: .pool, settings: try model.settings(), columns: columns.selection)]
      }
      // --exclude and --where apply to every analysis of the spec.
      return try BatchSpecFile.read(path: spec).map { s throws(BatchSpecError) in
        let a = try s.resolve(specFile: spec)
        var columns = a.columns
        columns.filter = self.columns.rows.filter
        var comparison = a.comparison
        comparison?.columns.cohort.filter = self.columns.rows.filter
        return BatchAnalysis(
          name: a.name, kind: a.kind, settings: a.settings, columns: columns, sensitivity: a.sensitivity, regression: a.regression,
          comparison: comparison, cohortIntervals: a.cohortIntervals)
      }
    }

    func run() throws {
      if slurm.slurm { return try ErrorReporting.run { try runSlurm() } }
      try ErrorReporting.run {
        let analyses = try analyses()
        let files = try BatchInputs.expand(inputs, excluding: [out] + excludePath)
        if files.isEmpty {
          throw InputError.unreadable(file: inputs.joined(separator: " "), reason: "no .csv files found")
        }
        let progress = BatchProgress.standardError(quiet: quiet)
        let cancellation = BatchCancellation()
        let trap = SignalTrap { name in
          cancellation.cancel(reason: name)
          progress.message("orrmeta: \(name): stopping after the files being analysed; the summary will list what finished (press again to quit at once)")
        }
        defer { trap.restore() }
        if let (a, b) = BatchLayout.collision(files: files, analyses: analyses.map(\.name), root: BatchLayout.InputRoot(files: files), style: layout) {
          throw ValidationError("--layout flat: \(a) and \(b) would have the same result file; rename the analysis or use the default --layout nested")
        }
        let runner = BatchRunner(
          files: files, analyses: analyses, outputDirectory: out, jobs: jobs ?? availableProcessorCount(), shard: shard, resume: resume,
          layout: layout)
        let outcome = try runner.run(cancellation: cancellation, progress: progress)
        for w in outcome.warnings { ErrorReporting.printWarning(w) }
        if !quiet { ErrorReporting.printNote(Self.summary(outcome, shard: shard, out: out)) }
        if outcome.interruption != nil { throw ExitStatus.interrupted.exitCode }
        if outcome.failed > 0 { throw ExitStatus.partialFailure.exitCode }
      }
    }

    /// The final line on standard error.
    static func summary(_ o: BatchOutcome, shard: BatchShard, out: String) -> String {
      var text = "batch"
      if shard.count > 1 { text += " shard \(shard)" }
      text += ": \(o.completed) of \(o.shardItems) file × analysis pairs done"
      if o.reused > 0 { text += " (\(o.computed) computed, \(o.reused) unchanged and kept)" }
      if o.failed > 0 { text += ", \(o.failed) failed (see \(out)/\(BatchLayout.errorsCSV))" }
      if let reason = o.interruption { text += "; stopped by \(reason): rerun with --resume to finish" }
      return text + "; summary in \(out)/\(BatchLayout.summaryCSV)"
    }
  }
}
