// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPlots

extension Orrmeta {
  /// `orrmeta plot KIND FILE --out FILE.svg`: draw one plot as SVG.
  struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Draw a forest, funnel, GOSH, Baujat or cumulative plot as SVG.",
      discussion: """
        Every plot takes the same column and model flags as 'pool'. See Docs/plots.md.

        Examples:
          orrmeta plot forest Fixtures/alk-nsclc/cohorts.csv --out forest.svg
          orrmeta plot forest Fixtures/alk-nsclc/cohorts.csv --by line --test knha --out forest-by-line.svg
          orrmeta plot funnel Fixtures/alk-nsclc/cohorts.csv --contours --out funnel.svg
        """,
      subcommands: [Forest.self, Funnel.self, Gosh.self, Baujat.self, Cumulative.self])
  }
}

extension Orrmeta.Plot {
  /// `orrmeta plot forest`.
  struct Forest: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Forest plot: each cohort's proportion and CI, the common-effect and random-effects diamonds, the prediction interval and heterogeneity; with --by, one block per subgroup and the test for subgroup differences.")

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var output: PlotOutputOptions

    func run() throws {
      try ErrorReporting.run {
        let settings = try model.settings()
        let cohorts = try CohortFile.read(path: file, columns: columns.selection)
        let svg: SVGDocument
        do {
          svg = try PlotPipeline.forest(cohorts, settings: settings, title: output.title)
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        try output.emit(svg.standalone)
      }
    }
  }

  /// `orrmeta plot funnel`.
  struct Funnel: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Funnel plot: outcomes on the model scale against their standard errors, optionally contour-enhanced.")

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var output: PlotOutputOptions
    @OptionGroup var funnel: FunnelOptions

    func validate() throws {
      if columns.by != nil { throw ValidationError("--by applies to the forest plot and the report, not to the funnel plot") }
    }

    func run() throws {
      try ErrorReporting.run {
        if funnel.trimAndFill { throw UnavailableFeature.sensitivity("--trim-and-fill") }
        let settings = try model.settings()
        let cohorts = try CohortFile.read(path: file, columns: columns.selection)
        let svg: SVGDocument
        do {
          svg = try PlotPipeline.funnel(
            cohorts, settings: settings, contourLevels: funnel.levels, nullProportion: try funnel.nullProportion(), title: output.title)
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        try output.emit(svg.standalone)
      }
    }
  }

  /// `orrmeta plot gosh` (needs the sensitivity analyses).
  struct Gosh: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "GOSH plot: pooled estimate against I² over subsets of cohorts, drawn as a density (not available in this build).")

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var output: PlotOutputOptions

    func run() throws {
      // TODO: wire to SensitivityAnalysis's GOSH subsets (branch `sensitivity`) through
      // GoshPlotData; the renderer (GoshPlot) is ready.
      try ErrorReporting.run { throw UnavailableFeature.sensitivity("plot gosh") }
    }
  }

  /// `orrmeta plot baujat` (needs the sensitivity analyses).
  struct Baujat: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Baujat plot: each cohort's contribution to heterogeneity against its influence on the pooled result (not available in this build).")

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var output: PlotOutputOptions

    func run() throws {
      // TODO: wire to SensitivityAnalysis.baujat() (branch `sensitivity`) through
      // BaujatPlotData; the renderer (BaujatPlot) is ready.
      try ErrorReporting.run { throw UnavailableFeature.sensitivity("plot baujat") }
    }
  }

  /// `orrmeta plot cumulative` (needs the sensitivity analyses).
  struct Cumulative: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Cumulative forest plot: the pooled proportion as cohorts are added in file order (not available in this build).")

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var output: PlotOutputOptions

    func run() throws {
      // TODO: wire to SensitivityAnalysis.cumulative(order:) (branch `sensitivity`) through
      // CumulativePlotData; the renderer (CumulativePlot) is ready.
      try ErrorReporting.run { throw UnavailableFeature.sensitivity("plot cumulative") }
    }
  }
}
