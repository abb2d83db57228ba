// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPlots

/// What every plot of a refitted inverse-variance model takes (`plot gosh`, `baujat`,
/// `cumulative`, `bubble`): the cohort file, its columns and model flags, and where the plot
/// goes; the checks they share (an inverse-variance model of all cohorts, no `--by`).
struct RefitPlotArguments: ParsableArguments {
  @Argument(help: "Cohort CSV file.")
  var file: String
  @OptionGroup var columns: ColumnFlags<RefitScope>
  @OptionGroup var model: ModelFlags<RefitScope>
  @OptionGroup var output: PlotOutputOptions
  @OptionGroup var fileFormat: PlotFileOptions

  /// Refuses a GLMM, simple pooling or `--by`.
  /// - Parameters:
  ///   - command: the command in the message about the method (`plot gosh`).
  ///   - plot: the plot in the message about subgroups (`GOSH plot`).
  func validate(command: String, plot: String) throws {
    try model.requireInverseVariance(command)
    try columns.rejectSubgroups(for: plot)
  }

  /// Reads the file, fits and draws (``PlotOutputOptions/draw(file:columns:model:format:_:)``).
  func draw(_ plot: (CohortFile, AnalysisSettings) throws -> SVGDocument) throws {
    try output.draw(file: file, columns: columns, model: model, format: fileFormat, plot)
  }
}
