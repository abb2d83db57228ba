// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPlots

extension Orrmeta {
  /// `orrmeta report FILE --out report.html`: a self-contained HTML report.
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a self-contained HTML report: settings, cohorts, pooled results, heterogeneity, subgroups, sensitivity analyses and plots (inline SVG).",
      discussion: """
        The HTML file has no scripts and loads nothing: it can be opened offline or mailed.
        Analyses: forest (always), funnel (default), and the sensitivity analyses
        leave-one-out, cumulative, baujat, gosh, trim-and-fill (not available in this build).

        Examples:
          orrmeta report Fixtures/alk-nsclc/cohorts.csv --out report.html
          orrmeta report Fixtures/alk-nsclc/cohorts.csv --by line --test knha --contours --out report.html
        """)

    /// An analysis the report can include.
    enum Analysis: String, CaseIterable, ExpressibleByArgument {
      case forest, funnel
      case leaveOneOut = "leave-one-out"
      case cumulative, baujat, gosh
      case trimAndFill = "trim-and-fill"
    }

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var output: PlotOutputOptions
    @OptionGroup var funnel: FunnelOptions

    @Option(name: .customLong("analyses"), parsing: .upToNextOption, help: "Analyses to include: \(Analysis.allCases.map(\.rawValue).joined(separator: ", ")) (default: forest funnel).")
    var analyses: [Analysis] = [.forest, .funnel]

    func run() throws {
      try ErrorReporting.run {
        let wanted = Set(analyses)
        if let missing = Analysis.allCases.first(where: { wanted.contains($0) && ![.forest, .funnel].contains($0) }) {
          // TODO: wire to SensitivityAnalysis (branch `sensitivity`) through ReportSensitivity.
          throw UnavailableFeature.sensitivity("--analyses \(missing.rawValue)")
        }
        if funnel.trimAndFill { throw UnavailableFeature.sensitivity("--trim-and-fill") }
        let settings = try model.settings()
        let cohorts = try CohortFile.read(path: file, columns: columns.selection)
        let options = ReportPipeline.Options(
          funnel: wanted.contains(.funnel), contourLevels: funnel.levels, nullProportion: try funnel.nullProportion(), title: output.title)
        let sensitivity = ReportSensitivity(notes: ["Sensitivity analyses (leave-one-out, cumulative, Baujat, GOSH, trim-and-fill) are not available in this build."])
        let html: String
        do {
          html = try ReportPipeline.render(cohorts, settings: settings, options: options, sensitivity: sensitivity)
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        try output.emit(html)
      }
    }
  }
}
