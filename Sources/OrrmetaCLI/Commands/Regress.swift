// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta regress FILE --mods COLUMN…`: mixed-effects meta-regression (metafor
  /// `rma(yi, vi, mods =)`) with an optional permutation test (metafor `permutest`).
  struct Regress: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "regress",
      abstract: "Mixed-effects meta-regression of the cohorts' proportions on moderator columns, with an optional permutation test.",
      discussion: """
        A moderator column is categorical when any value is not a number (or with --categorical; a column mixing numbers and text is reported in a warning naming the cell): one dummy per level but the first (the reference; levels sorted by code point). Missing values (empty, NA, N/A, NaN, null, .) are an error: no cohort is dropped silently. The model flags are those of 'pool'; --test knha gives Hartung-Knapp t and F tests. See Docs/sensitivity.md.

        Examples:
          orrmeta regress Fixtures/alk-nsclc/cohorts.csv --mods line
          orrmeta regress Fixtures/alk-nsclc/cohorts.csv --mods generation line \\
            --test knha
          orrmeta regress cohorts.csv --mods dose --categorical dose
          orrmeta regress cohorts.csv --mods year line --permutations 5000 --seed 3 \\
            --format json
          orrmeta regress Fixtures/alk-nsclc/cohorts.csv --mods line --cluster trial
        """)

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnFlags<RefitScope>
    @OptionGroup var model: ModelFlags<RefitScope>
    @OptionGroup var clusterOptions: ClusterOptions

    @Option(name: .customLong("mods"), parsing: .upToNextOption, help: "Moderator columns (one or more).")
    var mods: [String] = []
    @Option(name: .customLong("categorical"), parsing: .upToNextOption, help: "Moderator columns to treat as categorical even when their values are numbers.")
    var categorical: [String] = []
    @Option(name: .customLong("reference"), parsing: .upToNextOption, help: "Reference level of a categorical moderator: COLUMN=LEVEL, or LEVEL alone when one moderator has it (default: the first level by code point).")
    var references: [String] = []
    @Option(name: .customLong("interaction"), parsing: .upToNextOption, help: "Interactions of --mods columns, as A:B (one or more), added after the main effects (R's ~ A + B + A:B).")
    var interactions: [String] = []
    @Option(help: "Permutation test with this many random permutations (exact when there are no more distinct permutations than that; metafor permutest).")
    var permutations: Int?
    @OptionGroup var resampling: ResamplingOptions
    @OptionGroup var outputOptions: SummaryOutputOptions

    func validate() throws {
      try model.requireInverseVariance("meta-regression")
      if columns.by != nil { throw ValidationError("--by does not apply to meta-regression; use the column as a moderator: --mods COLUMN") }
      if mods.isEmpty { throw ValidationError("give at least one moderator column with --mods COLUMN") }
      var seen = Set<String>()
      for m in mods where !seen.insert(m.lowercased()).inserted {
        throw ValidationError("--mods names column '\(m)' twice")
      }
      for c in categorical where !seen.contains(c.lowercased()) {
        throw ValidationError("--categorical \(c) is not one of the --mods columns")
      }
      _ = try interactionPairs()
      if clusterOptions.column != nil, permutations != nil {
        throw ValidationError("--permutations is not available with --cluster yet")
      }
      if clusterOptions.column != nil, !interactions.isEmpty {
        throw ValidationError("--interaction is not available with --cluster yet")
      }
      if let p = permutations, p < 1 { throw ValidationError("--permutations \(p) is invalid; expected a whole number >= 1") }
      try ResamplingLimits.check("--permutations", permutations, ResamplingLimits.permutations)
    }

    /// `--interaction A:B` as pairs of --mods columns.
    func interactionPairs() throws -> [(String, String)] {
      let known = Set(mods.map { $0.lowercased() })
      return try interactions.map { text in
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].lowercased() != parts[1].lowercased() else {
          throw ValidationError("--interaction \(text) is invalid; expected A:B, two different --mods columns")
        }
        for p in parts where !known.contains(p.lowercased()) {
          throw ValidationError("--interaction \(text): '\(p)' is not one of the --mods columns")
        }
        return (parts[0], parts[1])
      }
    }

    func run() throws {
      try ErrorReporting.run {
        let settings = try model.settings(clustered: clusterOptions.column != nil)
        let cohorts = try CohortFile.read(path: file, columns: columns.selection)
        let moderators = try ModeratorColumns.read(cohorts, columns: mods, categorical: categorical, references: references)
        let pairs = try interactionPairs()
        let options = permutations.map {
          PermutationTestOptions(iterations: $0, seed: resampling.seed, threads: resampling.threads)
        }
        let report: RegressionReport
        do {
          report = try RegressionPipeline.run(
            cohorts, settings: settings, moderators: moderators, interactions: pairs, permutations: options,
            clusters: try clusterOptions.read(cohorts))
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        try outputOptions.emit(try RegressionPipeline.render(report, format: outputOptions.format), inputs: [file])
      }
    }
  }
}
