// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPlots

/// The plots of the sensitivity analyses: the numbers come from `MetaProportion`'s
/// ``SensitivityAnalysis`` (built by ``SensitivityPipeline/analysis(_:settings:)``, so the same
/// yᵢ, vᵢ and model as `orrmeta pool` and `orrmeta sensitivity`) and are copied field for field
/// into the renderers' plain input structs.
extension PlotPipeline {
  // MARK: Plot data from results

  /// Baujat plot data: each cohort's (x, y) as `SensitivityAnalysis.baujat()` reports them.
  package static func baujatData(_ points: [BaujatPoint], settings: AnalysisSettings, title: String? = nil) -> BaujatPlotData {
    BaujatPlotData(
      title: title, points: points,
      footnote: "\(modelNote(settings)); x = (yᵢ − μ̂)² / (vᵢ + τ̂²), y = (μ̂₍₋ᵢ₎ − μ̂)² / Var(μ̂₍₋ᵢ₎) (metafor baujat)")
  }

  /// Cumulative plot data: step j's back-transformed estimate and CI, τ² and I² (from
  /// `SensitivityAnalysis.cumulative(order:)`).
  package static func cumulativeData(
    _ rows: [LeaveOneOutRow], settings: AnalysisSettings, orderColumn: String? = nil, title: String? = nil
  ) -> CumulativePlotData {
    let order = orderColumn.map { "cohorts added in ascending order of \($0) (ties in file order)" } ?? "cohorts added in file order"
    return CumulativePlotData(
      title: title,
      steps: rows.map {
        CumulativePlotData.Step(
          label: $0.label, proportion: $0.proportion, ciLower: $0.proportionCILower, ciUpper: $0.proportionCIUpper,
          tau2: $0.tau2, i2: $0.i2)
      },
      levelPercent: settings.level.percent, axisTitle: "Pooled proportion (%)",
      footnote: "\(order); \(modelNote(settings))")
  }

  /// GOSH plot data: every subset's estimate (model scale, ticks in percent) and I², and the
  /// model with all cohorts.
  package static func goshData(
    _ g: GoshResult, analysis a: SensitivityAnalysis, settings: AnalysisSettings, title: String? = nil
  ) -> GoshPlotData {
    let scale = ProportionScale(backTransformation: a.backTransformation, harmonicMeanN: a.harmonicMeanN)
    var lo = a.fit.estimate, hi = a.fit.estimate
    for x in g.estimate where x.isFinite {
      lo = min(lo, x)
      hi = max(hi, x)
    }
    let pad = max(hi - lo, 1e-9) * 0.03
    let ticks = scale.ticks(in: lo - pad, hi + pad, maxCount: 7)
    let m = settings.measure
    let how = g.exhaustive ? "all subsets" : "random subsets (seed \(g.seed.map(String.init) ?? "?"))"
    return GoshPlotData(
      title: title, estimates: g.estimate, i2: g.i2, fullModel: .init(estimate: a.fit.estimate, i2: a.fit.i2),
      xTitle: ticks.count >= 2
        ? "Pooled proportion (%) on the \(m.name) scale (\(m.rawValue))" : "Pooled estimate (\(m.rawValue) scale)",
      xTicks: ticks.count >= 2 ? ticks : nil, footnote: "\(how) of \(g.k) cohorts; \(modelNote(settings))")
  }

  static func modelNote(_ s: AnalysisSettings) -> String {
    "\(s.measure.rawValue), \(s.method.name), test \(s.test.rawValue)"
  }

  // MARK: Plots of a cohort file

  /// The GOSH plot.
  package static func gosh(
    _ cohorts: CohortFile, settings: AnalysisSettings, options: GoshOptions, title: String? = nil
  ) throws -> SVGDocument {
    let a = try SensitivityPipeline.analysis(cohorts, settings: settings)
    let g = try SensitivityPipeline.step("GOSH") { () throws(MetaAnalysisError) in try a.gosh(options) }
    return GoshPlot.render(goshData(g, analysis: a, settings: settings, title: title))
  }

  /// The Baujat plot.
  package static func baujat(_ cohorts: CohortFile, settings: AnalysisSettings, title: String? = nil) throws -> SVGDocument {
    let a = try SensitivityPipeline.analysis(cohorts, settings: settings)
    let points = try SensitivityPipeline.step("Baujat") { () throws(MetaAnalysisError) in try a.baujat() }
    return BaujatPlot.render(baujatData(points, settings: settings, title: title))
  }

  /// The cumulative forest plot, in file order or in a ``CohortOrder``.
  package static func cumulative(
    _ cohorts: CohortFile, settings: AnalysisSettings, order: CohortOrder? = nil, title: String? = nil,
    options: ForestPlot.Options = .init()
  ) throws -> SVGDocument {
    let a = try SensitivityPipeline.analysis(cohorts, settings: settings)
    let rows = try SensitivityPipeline.step("cumulative meta-analysis") { () throws(MetaAnalysisError) in
      try a.cumulative(order: order?.indices)
    }
    return CumulativePlot.render(cumulativeData(rows, settings: settings, orderColumn: order?.column, title: title), options: options)
  }

  /// The trim-and-fill of a cohort file (L0, side estimated, as metafor's defaults).
  package static func trimAndFill(_ cohorts: CohortFile, settings: AnalysisSettings) throws -> TrimAndFillResult {
    let a = try SensitivityPipeline.analysis(cohorts, settings: settings)
    return try SensitivityPipeline.step("trim-and-fill") { () throws(MetaAnalysisError) in try a.trimAndFill() }
  }

  /// `plot funnel --trim-and-fill`: the funnel plot of all cohorts with the trim-and-fill
  /// cohorts and the adjusted estimate.
  package static func funnelWithTrimAndFill(
    _ cohorts: CohortFile, settings: AnalysisSettings, contourLevels: [Double] = [], nullProportion: Double = 0.5,
    title: String? = nil
  ) throws -> SVGDocument {
    let analysis = try ProportionMetaAnalysis.analyze(studies: cohorts.studies, settings: settings)
    let tf = try trimAndFill(cohorts, settings: settings)
    return try funnel(analysis, trimAndFill: tf, contourLevels: contourLevels, nullProportion: nullProportion, title: title)
  }

  /// The funnel plot of an analysis with the trim-and-fill cohorts (open circles, labelled
  /// "filled 1", "filled 2", …) and the adjusted estimate (dashed line; none when k₀ = 0).
  package static func funnel(
    _ a: ProportionAnalysis, trimAndFill tf: TrimAndFillResult, contourLevels: [Double] = [], nullProportion: Double = 0.5,
    title: String? = nil
  ) throws(PlotError) -> SVGDocument {
    let imputed = FunnelPlotData.Point.filled(tf)
    guard var data = FunnelPlotData(
      analysis: a, contourLevels: contourLevels, nullProportion: nullProportion, imputed: imputed,
      adjustedEstimate: tf.k0 > 0 ? tf.estimate : nil, title: title)
    else {
      throw PlotError(description: "a funnel plot needs an inverse-variance model (method EE, DL, HE, HS, SJ, ML, REML, EB or PM); method \(a.settings.method.rawValue) has no yi/vi fit")
    }
    let note = "trim-and-fill (\(tf.estimator.rawValue), \(tf.side.rawValue) side): \(tf.k0) cohort(s) imputed"
    data.footnote = data.footnote.map { "\($0); \(note)" } ?? note
    return FunnelPlot.render(data)
  }
}
