// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPlots
import OrrmetaReports

extension PlotPipeline {
  /// The bubble plot of the meta-regression on one continuous moderator (metafor
  /// `regplot(rma(yi, vi, mods = ~ x), transf =)`): the cohorts' proportions, their weights
  /// 1/(vᵢ + τ̂²) and the predicted proportion with its CI on 101 points over the moderator's
  /// range, back-transformed as the pooled result.
  ///
  /// - Throws: ``InputError`` for a missing or non-numeric moderator column; the regression's
  ///   errors as `orrmeta regress`.
  package static func bubble(
    _ cohorts: CohortFile, settings: AnalysisSettings, moderator: String, title: String? = nil
  ) throws -> SVGDocument {
    let read = try ModeratorColumns.read(cohorts, columns: [moderator])
    guard case let .continuous(name, values) = read.moderators[0] else {
      throw InputError.header(
        file: cohorts.file,
        reason: "moderator column '\(read.columns[0].name)' is categorical (levels \(read.columns[0].levels?.joined(separator: ", ") ?? "")); the bubble plot needs a numeric moderator (for subgroups draw plot forest --by \(read.columns[0].name))")
    }
    let report = try RegressionPipeline.run(cohorts, settings: settings, moderators: read)
    let fit = report.meta_regression
    let es = try EffectSizes(studies: cohorts.studies, settings: settings)
    let w = es.vi.map { 1 / ($0 + fit.tau2.tau2) }
    let sw = w.reduce(0, +)
    let points = cohorts.studies.indices.map {
      BubblePlotData.Point(label: cohorts.studies[$0].label, x: values[$0], proportion: cohorts.studies[$0].proportion, weight: 100 * w[$0] / sw)
    }
    let lo = values.min() ?? 0, hi = values.max() ?? 1
    let harmonicMeanN = Double(cohorts.studies.count) / cohorts.studies.reduce(0) { $0 + 1 / Double($1.total) }
    var notes: [AnalysisWarning] = []
    var curve: [BubblePlotData.Prediction] = []
    for i in 0...100 {
      let x = lo + (hi - lo) * Double(i) / 100
      let p = try SensitivityPipeline.step("prediction") { () throws(MetaAnalysisError) in try fit.predict([1, x]) }
      let back = ProportionMetaAnalysis.backTransform(
        ModelSummary(
          estimate: p.estimate, standardError: p.standardError, statistic: .nan, pValue: .nan, ciLower: p.ciLower,
          ciUpper: p.ciUpper, piLower: p.piLower, piUpper: p.piUpper, degreesOfFreedom: fit.degreesOfFreedom),
        settings: settings, harmonicMeanN: harmonicMeanN, warnings: &notes)
      curve.append(.init(x: x, proportion: back.proportion, ciLower: back.ciLower, ciUpper: back.ciUpper))
    }
    let slope = fit.coefficients.count > 1 ? fit.coefficients[1] : nil
    let slopeNote = slope.map { "slope \(PlotFormat.significant($0.estimate)) (\(PlotFormat.pClause($0.pValue)))" } ?? ""
    return BubblePlot.render(BubblePlotData(
      title: title, points: points, curve: curve, moderator: name, levelPercent: settings.level.percent,
      footnote: "\(modelNote(settings)); meta-regression on \(name): \(slopeNote), tau² \(PlotFormat.significant(fit.tau2.tau2)); band: \(PlotFormat.fixed(settings.level.percent, 0))% CI; bubble area ∝ weight (metafor regplot)"))
  }
}
