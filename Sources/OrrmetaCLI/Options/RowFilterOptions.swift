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

  func parsedConditions() throws -> [RowFilter.Condition] { try Self.parsedConditions(conditions) }

  /// The filter (empty when neither flag is given).
  var filter: RowFilter { Self.filter(exclude: exclude, conditions: conditions) }

  /// ``parsedConditions()`` of `--where` values held apart from the flags (``ColumnChoices``).
  static func parsedConditions(_ conditions: [String]) throws -> [RowFilter.Condition] {
    try conditions.map { text in
      guard let c = RowFilter.Condition(text) else {
        throw ValidationError("--where '\(text)' is invalid; expected COL=VALUE or COL!=VALUE, e.g. --where line=naive")
      }
      return c
    }
  }

  /// ``filter`` of values held apart from the flags (``ColumnChoices``).
  static func filter(exclude: [String], conditions: [String]) -> RowFilter {
    RowFilter(exclude: exclude, conditions: (try? parsedConditions(conditions)) ?? [])
  }
}
