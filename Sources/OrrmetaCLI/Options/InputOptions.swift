// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// Which columns of a cohort CSV to use (`pool`'s set, also read by batch specs).
typealias ColumnOptions = ColumnFlags<PoolScope>

/// Which columns of a cohort CSV to use; `Scope` decides whether the help offers `--by`.
struct ColumnFlags<Scope: CommandScope>: ParsableArguments {
  @Option(name: .customLong("events-column"), help: "Responders column (default: events, responders, x, xi, event, responses or r).")
  var events: String?

  @Option(name: .customLong("n-column"), help: "Patients column (default: n, total, patients, ni, size or sample_size).")
  var total: String?

  @OptionGroup var labelColumn: LabelColumnOption

  @Option(name: .customLong("orr-column"), help: "Derive events from this ORR-percentage column (rounded half up; the rounding is reported as a warning). Used where the events cell is empty, or everywhere when no events column is given.")
  var orr: String?

  @Option(
    name: .customLong("by"),
    help: ArgumentHelp(
      "Subgroup column: fit the model within each level and test the differences.",
      visibility: Scope.offersSubgroups ? .default : .private))
  var by: String?

  @OptionGroup var rows: RowFilterOptions

  /// `--label-column` (settable, as the other columns are).
  var label: String? {
    get { labelColumn.label }
    set { labelColumn.label = newValue }
  }

  /// The flags' values as plain data.
  var choices: ColumnChoices {
    ColumnChoices(
      events: events, total: total, label: label, orr: orr, by: by, exclude: rows.exclude, conditions: rows.conditions)
  }

  var selection: ColumnSelection { choices.selection }
}
