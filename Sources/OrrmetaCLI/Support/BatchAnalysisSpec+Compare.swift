// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// A `compare` analysis of a spec is read with the flags of `orrmeta compare` (the command's
/// own parser and checks), so that `measure = "RR"`, `method = "MH"` mean exactly what
/// `--measure RR --method MH` mean, and the result is that command's JSON.
extension BatchAnalysisSpec {
  /// The names of `analyses` in a compare spec: each a flag of `orrmeta compare`.
  static let compareAnalysisNames = ["leave-one-out", "cumulative", "bias", "influence", "trimfill", "gosh"]

  func resolveComparison(specFile file: String) throws(BatchSpecError) -> BatchAnalysis {
    var arguments = ["FILE.csv"]
    for e in entries {
      switch e.key {
      case "analyses":
        // `analyses = ["leave-one-out", "bias"]` stands for `--leave-one-out --bias`.
        if e.values.isEmpty {
          throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "choose at least one analysis: \(Self.compareAnalysisNames.joined(separator: ", "))")
        }
        for (i, item) in e.values.enumerated() {
          guard Self.compareAnalysisNames.contains(item) else {
            throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "unknown analysis \"\(item)\"; expected \(Self.compareAnalysisNames.joined(separator: ", "))")
          }
          if e.values[..<i].contains(item) {
            throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "\"\(item)\" is listed twice")
          }
          arguments.append("--\(item)")
        }
      case "treat", "control":
        // Repeatable flags: one per arm name.
        for v in e.values { arguments.append("\(e.flag)=\(v)") }
      case "by" where e.value.trimmingCharacters(in: .whitespaces).isEmpty:
        throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "expected a column name, not an empty string")
      default:
        arguments.append("\(e.flag)=\(e.value)")
      }
    }
    let comparison: BatchComparison
    let settings: AnalysisSettings
    do {
      let command = try Orrmeta.Compare.parse(arguments)
      try command.checkAnalyses()
      var diagnostics = command.diagnostics
      // One thread per file, as batch sensitivity analyses (`batch --jobs N` runs N files at
      // once); the subsets and the summary do not depend on it.
      diagnostics.gosh?.threads = 1
      comparison = BatchComparison(
        settings: try command.comparisonSettings(), columns: command.twoArmColumns, leaveOneOut: command.leaveOneOut,
        cumulative: command.cumulative, bias: command.bias, diagnostics: diagnostics)
      // The single-arm settings are unused by a comparison; the defaults keep the
      // fingerprint's common lines fixed.
      settings = try ModelOptions.parse([]).settings()
    } catch {
      let reason = error is UsageError || error is MetaAnalysisError ? ErrorReporting.message(for: error) : Orrmeta.Compare.message(for: error)
      throw BatchSpecError(file: file, table: table, reason: reason)
    }
    return BatchAnalysis(name: name, kind: .compare, settings: settings, columns: ColumnSelection(), comparison: comparison)
  }
}
