// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPlots
import OrrmetaReports

/// Builds the HTML report of a cohort file: the ``PoolReport`` (as `orrmeta pool`), the forest
/// plot (subgroup forest with a `by` column), the funnel plot when the model has an
/// inverse-variance fit, and whatever sensitivity results are given.
package enum ReportPipeline {
  /// What to include.
  package struct Options: Sendable, Hashable {
    /// Draw the funnel plot.
    package var funnel: Bool
    /// Contour levels of the funnel plot (percent; empty: plain funnel).
    package var contourLevels: [Double]
    /// The null proportion the contours are centred on.
    package var nullProportion: Double
    /// The report's title (default "orrmeta report: FILE").
    package var title: String?

    /// Creates options.
    package init(funnel: Bool = true, contourLevels: [Double] = [], nullProportion: Double = 0.5, title: String? = nil) {
      self.funnel = funnel; self.contourLevels = contourLevels; self.nullProportion = nullProportion; self.title = title
    }
  }

  /// The report as an HTML document.
  ///
  /// - Parameter trimAndFill: when given, the funnel plot shows the imputed cohorts and the
  ///   adjusted estimate.
  package static func render(
    _ cohorts: CohortFile, settings: AnalysisSettings, options: Options = .init(), sensitivity: ReportSensitivity? = nil,
    trimAndFill: TrimAndFillResult? = nil, multiverse: MultiverseReport? = nil
  ) throws(MetaAnalysisError) -> String {
    // One fit gives the pooled blocks and the plots.
    let fit = try PoolPipeline.fit(cohorts, settings: settings)
    let report = try PoolPipeline.report(cohorts, fit, settings: settings)
    let level = PlotFormat.tick(settings.level.percent)
    var figures: [HTMLReport.Figure] = []
    var notes: [String] = []
    let analyses = PlotPipeline.Analyses(
      overall: fit.overall, subgrouped: fit.subgrouped, commonEffect: try PlotPipeline.commonEffect(cohorts, settings: settings))
    let forest = ForestPlot.render(PlotPipeline.forestData(analyses, cohorts: cohorts))
    let forestCaption = cohorts.groups == nil
      ? "Forest plot: each cohort's proportion with its \(level)% CI (box area proportional to its weight), the pooled diamonds and the prediction interval."
      : "Subgroup forest plot: cohorts by \(cohorts.byColumn ?? "subgroup"), each subgroup's pooled diamond and heterogeneity, the overall diamonds, prediction interval and the test for subgroup differences."
    figures.append(HTMLReport.Figure(svg: forest, caption: forestCaption))
    if options.funnel {
      do {
        let svg: SVGDocument
        if let tf = trimAndFill {
          svg = try PlotPipeline.funnel(analyses.overall, trimAndFill: tf, contourLevels: options.contourLevels, nullProportion: options.nullProportion)
        } else {
          svg = try PlotPipeline.funnel(analyses.overall, contourLevels: options.contourLevels, nullProportion: options.nullProportion)
        }
        figures.append(HTMLReport.Figure(svg: svg, caption: "Funnel plot: outcomes on the \(settings.measure.rawValue) scale against their standard errors, with the pooled estimate and its \(level)% pseudo-confidence region" + (options.contourLevels.isEmpty ? "." : "; shading shows where a cohort would differ significantly from \(PlotFormat.percentTick(options.nullProportion)).") + (trimAndFill == nil ? "" : " Open circles: cohorts imputed by trim-and-fill; dashed line: the adjusted estimate.")))
      } catch {
        notes.append("No funnel plot: \(error.description).")
      }
    }
    var html = HTMLReport(report: report, figures: figures, sensitivity: sensitivity, figureNotes: notes, title: options.title)
    html.multiverse = multiverse
    return html.render()
  }
}
