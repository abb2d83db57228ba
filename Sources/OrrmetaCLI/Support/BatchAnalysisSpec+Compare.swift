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
  func resolveComparison(specFile file: String) throws(BatchSpecError) -> BatchAnalysis {
    var arguments = ["FILE.csv"]
    for e in entries {
      if e.key != "by" || !e.value.trimmingCharacters(in: .whitespaces).isEmpty {
        arguments.append("\(e.flag)=\(e.value)")
        continue
      }
      throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "expected a column name, not an empty string")
    }
    let comparison: BatchComparison
    let settings: AnalysisSettings
    do {
      let command = try Orrmeta.Compare.parse(arguments)
      comparison = BatchComparison(settings: try command.comparisonSettings(), columns: command.twoArmColumns)
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
