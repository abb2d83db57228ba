// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser

/// `--label-column`, the column naming each cohort: the one owner of the flag and its help,
/// shared by the cohort columns (``ColumnFlags``) and `orrmeta pfs`.
struct LabelColumnOption: ParsableArguments {
  @Option(name: .customLong("label-column"), help: "Label column (default: the first of label, study, study_id, cohort, name, trial, id).")
  var label: String?
}
