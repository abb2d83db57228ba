// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Reads nothing and writes nothing: turns a cohort file, moderators and model settings into
/// the ``RegressionReport`` of `orrmeta regress` — the mixed-effects meta-regression of
/// `MetaProportion.MetaRegression` (metafor `rma(yi, vi, mods =)`) on the same yᵢ, vᵢ as
/// `orrmeta pool`, with an optional permutation test (metafor `permutest`).
package enum RegressionPipeline {
  /// Fits the meta-regression.
  ///
  /// - Parameters:
  ///   - cohorts: the cohort file.
  ///   - settings: the model settings (an inverse-variance method).
  ///   - moderators: the moderators and their descriptions (``ModeratorColumns/read(_:columns:categorical:)``).
  ///   - interactions: pairs of moderator columns whose interaction enters the model (`--interaction a:b`).
  ///   - permutations: permutation-test options, or nil for none.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` (exit 64) for simple
  ///   pooling and GLMM; ``SensitivityFailure`` when the regression or the permutation test
  ///   cannot be fitted (too few cohorts, singular design).
  package static func run(
    _ cohorts: CohortFile, settings: AnalysisSettings,
    moderators: (moderators: [Moderator], columns: [ModeratorColumns.Column]),
    interactions: [(String, String)] = [],
    permutations: PermutationTestOptions? = nil, clusters: ClusterColumn? = nil
  ) throws -> RegressionReport {
    if let clusters { return try runThreeLevel(cohorts, settings: settings, moderators: moderators, clusters: clusters) }
    guard let method = settings.method.tauSquaredMethod else {
      throw MetaAnalysisError.invalidSetting(
        name: "--method", value: settings.method.rawValue,
        expected: "an inverse-variance method (EE, DL, HE, HS, SJ, ML, REML, EB or PM): meta-regression weights the cohorts by 1/(vi + tau^2), which \(settings.method == .pooled ? "simple pooling" : "the GLMM") does not have")
    }
    let es = try EffectSizes(studies: cohorts.studies, settings: settings)
    let design = try DesignMatrix(k: es.yi.count, moderators: moderators.moderators, interactions: interactions)
    let fit = try SensitivityPipeline.step("meta-regression") { () throws(MetaAnalysisError) in
      try MetaRegression.fit(
        yi: es.yi, vi: es.vi, design: design, method: method, test: settings.test, level: settings.level,
        control: settings.control)
    }
    var permutation: RegressionReport.Permutation?
    if let options = permutations {
      let result = try SensitivityPipeline.step("permutation test") { () throws(MetaAnalysisError) in
        try MetaRegression.permutationTest(
          yi: es.yi, vi: es.vi, design: design, method: method, test: settings.test, level: settings.level,
          control: settings.control, options: options)
      }
      permutation = RegressionReport.Permutation(result: result, seed: options.seed)
    }
    var warnings = cohorts.warnings + ModeratorColumns.mixedColumnWarnings(cohorts, columns: moderators.columns) + fit.warnings.map(\.description)
    if let p = permutation?.result, p.failed > 0 {
      warnings.append("permutation test: \(p.failed) permutation fit(s) failed and were \(p.exact ? "left out" : "redrawn")")
    }
    if fit.k - fit.p < 5, method.isRandomEffects {
      warnings.append("only \(fit.k - fit.p) residual degrees of freedom (k = \(fit.k), \(fit.p) coefficients): the residual tau^2 and the tests are very imprecise")
    }
    let input = PoolReport.Input(
      file: cohorts.file, events_column: cohorts.eventsColumn, n_column: cohorts.totalColumn,
      label_column: cohorts.labelColumn, by_column: nil, filters: cohorts.filters)
    // The pool settings block, with the definitions that change for a model with moderators.
    var echoed = PoolReport.settings(settings, k: fit.k)
    echoed.pi_method = "none (not computed for a meta-regression)"
    echoed.tau2_ci_method = nil
    echoed.i2_definition = method == .EE
      ? "residual: max(0, 100 (QE - (k-p)) / QE) (metafor)"
      : "residual: 100 tau^2 / (tau^2 + vt), vt = (k-p) / tr(P), P the projection with weights 1/vi (metafor)"
    let predictions = try predictionRows(
      cohorts, settings: settings, moderators: moderators.moderators, design: design, fit: fit, warnings: &warnings)
    return RegressionReport(
      orrmeta_version: OrrmetaVersion.current, input: input, k: fit.k, settings: echoed,
      moderators: moderators.columns, interactions: interactions.map { "\($0.0):\($0.1)" },
      meta_regression: fit, predictions: predictions, permutation_test: permutation, warnings: warnings)
  }

  /// The predicted outcome and back-transformed proportion at every distinct moderator pattern
  /// of the cohorts, in order of first appearance (metafor
  /// `predict(res, newmods = unique(model.matrix(res)[, -1]), transf =)`); the back-transformation
  /// is the pooled result's (one code path: ``ProportionMetaAnalysis/backTransform(_:settings:harmonicMeanN:warnings:)``).
  static func predictionRows(
    _ cohorts: CohortFile, settings: AnalysisSettings, moderators: [Moderator], design: DesignMatrix,
    fit: MetaRegressionFit, warnings: inout [String]
  ) throws -> [RegressionReport.Prediction] {
    let harmonicMeanN = Double(cohorts.studies.count) / cohorts.studies.reduce(0) { $0 + 1 / Double($1.total) }
    var seen = Set<[Double]>()
    var rows: [RegressionReport.Prediction] = []
    var notes: [AnalysisWarning] = []
    for i in 0..<design.rows {
      let x = Array(design.values[(i * design.columns)..<((i + 1) * design.columns)])
      guard seen.insert(x).inserted else { continue }
      let p = try SensitivityPipeline.step("prediction") { () throws(MetaAnalysisError) in try fit.predict(x) }
      let summary = ModelSummary(
        estimate: p.estimate, standardError: p.standardError, statistic: .nan, pValue: .nan,
        ciLower: p.ciLower, ciUpper: p.ciUpper, piLower: p.piLower, piUpper: p.piUpper, degreesOfFreedom: fit.degreesOfFreedom)
      let back = ProportionMetaAnalysis.backTransform(summary, settings: settings, harmonicMeanN: harmonicMeanN, warnings: &notes)
      var at: [String: String] = [:]
      for m in moderators {
        switch m {
        case let .categorical(name, values, _): at[name] = values[i]
        case let .continuous(name, values): at[name] = values[i].rounded() == values[i] && abs(values[i]) < 1e15 ? String(Int(values[i])) : "\(values[i])"
        }
      }
      rows.append(RegressionReport.Prediction(
        RegressionReport.PredictionAt(
          at: at, se: p.standardError, proportion: back.proportion, proportion_ci_lower: back.ciLower,
          proportion_ci_upper: back.ciUpper, proportion_pi_lower: back.piLower, proportion_pi_upper: back.piUpper),
        interval: IntervalEstimate(
          estimate: p.estimate, ci_lower: p.ciLower, ci_upper: p.ciUpper, pi_lower: p.piLower, pi_upper: p.piUpper)))
    }
    // Each distinct note once (the Freeman-Tukey note would repeat per row).
    for n in notes.map(\.description) where !warnings.contains(n) { warnings.append("predictions: " + n) }
    return rows
  }

  /// `regress --cluster`: the meta-regression in the three-level model (metafor
  /// `rma.mv(yi, vi, mods =, random = ~ 1 | cluster/cohort)`).
  static func runThreeLevel(
    _ cohorts: CohortFile, settings: AnalysisSettings,
    moderators: (moderators: [Moderator], columns: [ModeratorColumns.Column]), clusters: ClusterColumn
  ) throws -> RegressionReport {
    guard let method = settings.method.tauSquaredMethod, method == .REML || method == .ML else {
      throw MetaAnalysisError.invalidSetting(
        name: "--method", value: settings.method.rawValue, expected: "REML or ML with --cluster (the three-level model)")
    }
    let es = try EffectSizes(studies: cohorts.studies, settings: settings)
    let design = try DesignMatrix(k: es.yi.count, moderators: moderators.moderators)
    let fit = try ThreeLevelModel.fit(
      yi: es.yi, vi: es.vi, clusters: ClusterStructure(clusters: clusters.values), clusterName: clusters.name,
      design: design, method: method, test: settings.test, level: settings.level, control: settings.control)
    let input = PoolReport.Input(
      file: cohorts.file, events_column: cohorts.eventsColumn, n_column: cohorts.totalColumn,
      label_column: cohorts.labelColumn, by_column: nil)
    var echoed = PoolReport.settings(settings, k: fit.k)
    PoolReport.describeThreeLevel(&echoed, fit)
    echoed.pi_method = "none (not computed for a meta-regression)"
    var report = RegressionReport(
      orrmeta_version: OrrmetaVersion.current, input: input, k: fit.k, settings: echoed,
      moderators: moderators.columns, interactions: [], meta_regression: fit.regressionSummary, predictions: [],
      permutation_test: nil,
      warnings: cohorts.warnings + fit.warnings.map(\.description))
    report.multilevel = PoolReport.Multilevel(fit)
    return report
  }

  /// Renders a report: `json` (non-finite values as null) or `text`.
  ///
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for csv and markdown.
  package static func render(_ report: RegressionReport, format: SummaryFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.encode(report)
    case .text: return TerminalText.safe(RegressionTextReport.render(report))
    }
  }
}
