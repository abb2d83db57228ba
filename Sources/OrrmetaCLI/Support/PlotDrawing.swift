// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaPlots
import OrrmetaReports

extension PlotOutputOptions {
  /// The body shared by every `orrmeta plot` subcommand: read and validate the cohort file, draw
  /// the plot, write it atomically. Input errors keep their own file/line/column message; an
  /// analysis error is tied to the file. Exit codes come from ``ErrorReporting``.
  func draw<Scope: CommandScope>(
    _ input: CohortFileArguments<Scope>, format: PlotFileOptions, _ plot: (CohortFile, AnalysisSettings) throws -> SVGDocument
  ) throws {
    try ErrorReporting.run {
      let file = input.file
      let settings = try input.model.settings()
      let cohorts = try input.read()
      let svg: SVGDocument
      do {
        svg = try plot(cohorts, settings)
      } catch let e as InputError {
        throw e
      } catch {
        throw FileContextError(file: file, underlying: error)
      }
      try emit(svg, filters: cohorts.filters, file: file, format: format)
    }
  }

  /// Writes a drawn plot, noting the row filters, as SVG, PNG or PDF (by `--out` and `format`).
  func emit(_ svg: SVGDocument, filters: [String], file: String, format: PlotFileOptions) throws {
    let noted = svg.notingRowFilters(filters)
    let kind = format.format(for: out)
    if kind == .svg {
      try emit(noted.standalone, inputs: [file])
    } else {
      let data = try kind.render(noted, dpi: format.dpi)
      try emit(data, inputs: [file])
    }
  }
}

extension ColumnFlags {
  /// A usage error when `--by` is given to a plot that has no subgroups.
  func rejectSubgroups(for plot: String) throws {
    if by != nil { throw ValidationError("--by applies to the forest plot and the report, not to the \(plot)") }
  }
}
