// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaPlots

extension Orrmeta.Plot {
  /// `orrmeta plot compare-forest`.
  struct CompareForest: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "compare-forest",
      abstract: "Forest plot of a two-arm comparison: both arms' events/N per trial, each trial's OR, RR or RD with its CI and weight, the pooled diamond(s), the prediction interval and heterogeneity; with --by, one block per subgroup.",
      discussion: """
        Takes the input and model flags of 'orrmeta compare' (Docs/compare.md). OR and RR are drawn on a log axis.

        Example:
          orrmeta plot compare-forest Fixtures/compare/bcg.csv --measure RR \\
            --method MH --output forest-compare.svg
        """)

    @Argument(help: "Trial CSV file (wide: events_treat,n_treat,events_ctrl,n_ctrl; or the long cohort table with --arm, --trial, --treat, --control).")
    var file: String
    @OptionGroup var options: CompareOptions
    @OptionGroup var rowFilter: RowFilterOptions
    @Option(name: .customLong("treat-label"), help: "Header of the treatment arm's columns (default: the --treat arm when there is one, else 'Treatment').")
    var treatLabel: String?
    @Option(name: .customLong("control-label"), help: "Header of the control arm's columns (default: the --control arm when there is one, else 'Control').")
    var controlLabel: String?
    @OptionGroup var output: PlotOutputOptions
    @OptionGroup var fileFormat: PlotFileOptions

    func run() throws {
      try output.drawComparison(file: file, options: options, rowFilter: rowFilter, format: fileFormat) { data, settings in
        try PlotPipeline.compareForest(
          data, settings: settings,
          treatLabel: treatLabel ?? (options.treat.count == 1 ? options.treat[0] : "Treatment"),
          controlLabel: controlLabel ?? (options.control.count == 1 ? options.control[0] : "Control"), title: output.title)
      }
    }
  }

  /// `orrmeta plot compare-funnel`.
  struct CompareFunnel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "compare-funnel",
      abstract: "Funnel plot of a two-arm comparison: each trial's log OR, log RR or RD against its standard error (ratio axes labelled as ratios), optionally contour-enhanced around no difference, with trim-and-fill for inverse-variance methods.",
      discussion: """
        Takes the input and model flags of 'orrmeta compare' (Docs/compare.md).

        Example:
          orrmeta plot compare-funnel Fixtures/compare/bcg.csv --measure RR \\
            --method REML --contours --output funnel-compare.svg
        """)

    @Argument(help: "Trial CSV file (as for compare-forest).")
    var file: String
    @OptionGroup var options: CompareOptions
    @OptionGroup var rowFilter: RowFilterOptions
    @Flag(help: "Contour-enhanced funnel: shade where a trial differs from no difference at p < 0.10, 0.05, 0.01.")
    var contours = false
    @Option(name: .customLong("contour-levels"), parsing: .upToNextOption, help: "Contour levels in percent (1 to 3 values, e.g. 90 95 99); implies --contours.")
    var contourLevels: [Double] = []
    @Flag(name: .customLong("trim-and-fill"), help: "Add the trials imputed by trim-and-fill (metafor trimfill: L0, side estimated; inverse-variance methods only) and the adjusted estimate.")
    var trimAndFill = false
    @OptionGroup var output: PlotOutputOptions
    @OptionGroup var fileFormat: PlotFileOptions

    func validate() throws {
      if contourLevels.count > 3 { throw ValidationError("--contour-levels takes 1 to 3 values (given \(contourLevels.count))") }
      for l in contourLevels where !(l > 0 && l < 100) {
        throw ValidationError("--contour-levels \(l) is invalid; expected a percentage between 0 and 100")
      }
      if options.by != nil { throw ValidationError("--by applies to the forest plot, not to the funnel plot") }
      if trimAndFill, options.method.tauSquaredMethod == nil {
        throw ValidationError("--trim-and-fill needs an inverse-variance method (--method EE, DL, HE, HS, SJ, ML, REML, EB or PM): metafor's trimfill() is not defined for rma.mh, rma.peto or rma.glmm")
      }
    }

    func run() throws {
      let levels = contourLevels.isEmpty ? (contours ? [90.0, 95, 99] : []) : contourLevels
      try output.drawComparison(file: file, options: options, rowFilter: rowFilter, format: fileFormat) { data, settings in
        try PlotPipeline.compareFunnel(data, settings: settings, contourLevels: levels, trimAndFill: trimAndFill, title: output.title)
      }
    }
  }
}

extension PlotOutputOptions {
  /// The body of the comparison plots: read the two-arm file, draw, write atomically (as
  /// ``draw(file:columns:model:format:_:)`` for cohort files).
  func drawComparison(
    file: String, options: CompareOptions, rowFilter: RowFilterOptions, format: PlotFileOptions,
    _ plot: (TwoArmFile, ComparisonSettings) throws -> SVGDocument
  ) throws {
    try ErrorReporting.run {
      let settings = try options.comparisonSettings()
      let data = try TwoArmFile.read(path: file, columns: options.twoArmColumns(filter: rowFilter.filter))
      let svg: SVGDocument
      do {
        svg = try plot(data, settings)
      } catch let e as InputError {
        throw e
      } catch {
        throw FileContextError(file: file, underlying: error, line: Orrmeta.Compare.line(of: error, in: data))
      }
      try emit(svg, filters: rowFilter.filter.descriptions, file: file, format: format)
    }
  }
}
