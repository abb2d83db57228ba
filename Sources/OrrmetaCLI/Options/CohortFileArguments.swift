// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO

/// A cohort file with the columns to read from it and the model to fit (`Scope` decides what
/// their help offers): what `orrmeta sensitivity` and the plots of one cohort file take first.
struct CohortFileArguments<Scope: CommandScope>: ParsableArguments {
  @Argument(help: "Cohort CSV file.")
  var file: String
  @OptionGroup var columns: ColumnFlags<Scope>
  @OptionGroup var model: ModelFlags<Scope>

  /// Reads the file with the selected columns and row filters.
  func read() throws(InputError) -> CohortFile { try CohortFile.read(path: file, columns: columns.selection) }
}
