// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPlots

extension PlotOutputOptions {
  /// The body shared by every `orrmeta plot` subcommand: read and validate the cohort file, draw
  /// the plot, write it atomically. Input errors keep their own file/line/column message; an
  /// analysis error is tied to the file. Exit codes come from ``ErrorReporting``.
  func draw(
    file: String, columns: ColumnOptions, model: ModelOptions,
    _ plot: (CohortFile, AnalysisSettings) throws -> SVGDocument
  ) throws {
    try ErrorReporting.run {
      let settings = try model.settings()
      let cohorts = try CohortFile.read(path: file, columns: columns.selection)
      let svg: SVGDocument
      do {
        svg = try plot(cohorts, settings)
      } catch let e as InputError {
        throw e
      } catch {
        throw FileContextError(file: file, underlying: error)
      }
      try emit(svg.standalone, inputs: [file])
    }
  }
}

extension ColumnOptions {
  /// A usage error when `--by` is given to a plot that has no subgroups.
  func rejectSubgroups(for plot: String) throws {
    if by != nil { throw ValidationError("--by applies to the forest plot and the report, not to the \(plot)") }
  }
}
