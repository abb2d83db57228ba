// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// `--exclude LABEL…` and `--where COL=VALUE`: rows left out before the analysis (``RowFilter``),
/// for every command that reads a cohort file.
struct RowFilterOptions: ParsableArguments {
  @Option(name: .customLong("exclude"), parsing: .upToNextOption, help: "Leave out the cohorts with these labels (one or more; each must exist), e.g. for a prespecified sensitivity analysis. Echoed in the output's settings.")
  var exclude: [String] = []

  @Option(name: .customLong("where"), help: "Keep only the rows whose column has this value: 'COL=VALUE' ('COL!=VALUE' leaves them out); compared as text. Repeat for conditions that must all hold. Echoed in the output's settings.")
  var conditions: [String] = []

  func validate() throws { _ = try parsedConditions() }

  func parsedConditions() throws -> [RowFilter.Condition] {
    try conditions.map { text in
      guard let c = RowFilter.Condition(text) else {
        throw ValidationError("--where '\(text)' is invalid; expected COL=VALUE or COL!=VALUE, e.g. --where line=naive")
      }
      return c
    }
  }

  /// The filter (empty when neither flag is given).
  var filter: RowFilter { RowFilter(exclude: exclude, conditions: (try? parsedConditions()) ?? []) }
}
