// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPlots

/// What every plot of one cohort file's fitted model takes: the cohort file, its columns and
/// model flags (whose help `Scope` decides), and where the plot goes; the checks the plots of a
/// refitted model share (an inverse-variance model of all cohorts, no `--by`).
struct CohortPlotArguments<Scope: CommandScope>: ParsableArguments {
  @OptionGroup var input: CohortFileArguments<Scope>
  @OptionGroup var output: PlotOutputOptions
  @OptionGroup var fileFormat: PlotFileOptions

  /// Refuses a GLMM, simple pooling or `--by`.
  /// - Parameters:
  ///   - command: the command in the message about the method (`plot gosh`).
  ///   - plot: the plot in the message about subgroups (`GOSH plot`).
  func validate(command: String, plot: String) throws {
    try input.model.requireInverseVariance(command)
    try input.columns.rejectSubgroups(for: plot)
  }

  /// Reads the file, fits and draws (``PlotOutputOptions/draw(file:columns:model:format:_:)``).
  func draw(_ plot: (CohortFile, AnalysisSettings) throws -> SVGDocument) throws {
    try output.draw(input, format: fileFormat, plot)
  }
}

/// The arguments of the plots of a refitted inverse-variance model (`plot gosh`, `baujat`,
/// `cumulative`, `bubble`).
typealias RefitPlotArguments = CohortPlotArguments<RefitScope>
