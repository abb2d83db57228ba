// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Rows with CIs → inverse-variance pooling of each subset → a ``PFSPooledReport``. Shared by
/// `pfs --pool iv`, `pfs --hr` and `reproduce`.
package enum PFSPooledPipeline {
  /// The model settings of a pooled PFS analysis.
  package struct Settings: Sendable, Hashable {
    package var method: TauSquaredMethod
    package var test: TestMethod
    package var level: ConfidenceLevel
    /// For the median: the arm asked for (nil = the value column).
    package var arm: PFSArm?

    package init(method: TauSquaredMethod = .REML, test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive, arm: PFSArm? = nil) {
      self.method = method; self.test = test; self.level = level; self.arm = arm
    }
  }

  /// One subset's block (iv nil when no row of the subset is usable).
  static func block(name: String, rows: [PFSIntervalRow], measure: PFSIntervalMeasure, settings: Settings) throws(MetaAnalysisError) -> PFSPooledReport.Block {
    let used = rows.filter { $0.leftOut == nil }
    var reasons: [String: Int] = [:]
    for r in rows { if let why = r.leftOut { reasons[why, default: 0] += 1 } }
    let leftOut = PFSPooledReport.LeftOut(count: rows.count - used.count, reasons: reasons, labels: rows.filter { $0.leftOut != nil }.map(\.label))
    var warnings: [String] = []
    if used.isEmpty {
      warnings.append("no row in this subset has an estimate with a usable CI: nothing pooled")
      return .init(name: name, iv: nil, left_out: leftOut, warnings: warnings)
    }
    if (reasons["median_not_reached"] ?? 0) + (reasons["median_empty"] ?? 0) > 0 {
      warnings.append("\(leftOut.count) row(s) without a usable median or CI were left out; if their medians were not reached (long PFS), the pooled median is biased downwards")
    }
    let fit: ModelFit, yi: [Double], sei: [Double], ratio: RatioScaleSummary?, analysisWarnings: [AnalysisWarning]
    switch measure {
    case let .median(estimand, _):
      let r = try MedianSurvivalMetaAnalysis.analyze(
        cohorts: used.map { $0.cohort! }, estimand: estimand, method: settings.method, test: settings.test, level: settings.level)
      (fit, yi, sei, ratio, analysisWarnings) = (r.fit, r.yi, r.sei, r.ratio, r.warnings)
    case .hazardRatio:
      let r = try RatioMetaAnalysis.analyze(
        ratios: used.map { $0.ratio! }, labels: used.map(\.label), method: settings.method, test: settings.test, level: settings.level)
      (fit, yi, sei, ratio, analysisWarnings) = (r.fit, r.yi, r.sei, r.ratio, r.warnings)
    }
    let weights = fit.weights(vi: sei.map { $0 * $0 })
    let cohorts = used.indices.map { i in
      PFSPooledReport.Cohort(label: used[i].label, line: used[i].line, yi: finite(yi[i]), se: finite(sei[i]), weight: finite(weights[i]), upper_not_reached: used[i].upperNotReached)
    }
    let iv = PFSPooledReport.InverseVariance(
      k: fit.k,
      model: PoolReport.model(ModelSummary(
        estimate: fit.estimate, standardError: fit.standardError, statistic: fit.statistic, pValue: fit.pValue,
        ciLower: fit.ciLower, ciUpper: fit.ciUpper, piLower: fit.piLower, piUpper: fit.piUpper, degreesOfFreedom: fit.degreesOfFreedom)),
      ratio: ratio.map { .init(estimate: finite($0.estimate), ci_lower: finite($0.ciLower), ci_upper: finite($0.ciUpper), pi_lower: finite($0.piLower), pi_upper: finite($0.piUpper)) },
      heterogeneity: .init(
        tau2: finite(fit.tau2.tau2), tau: finite(fit.tau), q: finite(fit.q), q_df: fit.qDegreesOfFreedom, q_p_value: finite(fit.qPValue),
        i2: finite(fit.i2), h2: finite(fit.h2)),
      converged: fit.tau2.converged, cohorts: cohorts)
    return .init(name: name, iv: iv, left_out: leftOut, warnings: warnings + analysisWarnings.map(\.description))
  }

  /// yᵢ and vᵢ of the rows used, by the same functions as the pooling.
  static func outcomes(_ rows: [PFSIntervalRow], measure: PFSIntervalMeasure) throws(MetaAnalysisError) -> (yi: [Double], vi: [Double]) {
    var yi: [Double] = [], vi: [Double] = []
    for r in rows where r.leftOut == nil {
      switch measure {
      case let .median(estimand, _):
        let o = try MedianSurvivalMetaAnalysis.outcome(r.cohort!, estimand: estimand)
        yi.append(o.yi)
        vi.append(o.vi)
      case .hazardRatio:
        let o = try r.ratio!.logScale()
        yi.append(o.yi)
        vi.append(o.vi)
      }
    }
    return (yi, vi)
  }

  /// Runs the analysis overall and, with a `by` column, per subgroup (in order of first appearance);
  /// with moderators, also a meta-regression on every cohort used.
  /// - Throws: ``InputError`` when no row of the file is usable or a moderator cell is bad;
  ///   ``MetaAnalysisError`` from the analysis.
  package static func run(
    _ file: PFSIntervalFile, settings: Settings, moderators: [String] = [], categorical: [String] = []
  ) throws -> PFSPooledReport {
    guard file.rows.contains(where: { $0.leftOut == nil }) else {
      let cols = file.columns.map { "\($0.estimate) [\($0.lower), \($0.upper)]" }.joined(separator: " and ")
      throw InputError.malformed(
        file: file.file, line: nil,
        reason: "no row has an estimate with a usable CI in \(cols) (\(file.rows.count) row(s)); expected at least one")
    }
    let overall = try block(name: "all", rows: file.rows, measure: file.measure, settings: settings)
    var subgroups: [PFSPooledReport.Block]? = nil
    if file.byColumn != nil {
      subgroups = try SubgroupOrder.split(file.rows) { $0.group ?? "" }.map { g throws(MetaAnalysisError) in
        try block(name: g.name, rows: g.members, measure: file.measure, settings: settings)
      }
    }
    var regression: (columns: [ModeratorColumns.Column], fit: MetaRegressionFit)? = nil
    if !moderators.isEmpty {
      let used = file.rows.filter { $0.leftOut == nil }
      let mods = try ModeratorColumns.read(file.table, rows: used.map(\.record), columns: moderators, categorical: categorical)
      let o = try outcomes(used, measure: file.measure)
      let fit = try MetaRegression.fit(
        yi: o.yi, vi: o.vi, moderators: mods.moderators, method: settings.method, test: settings.test, level: settings.level)
      regression = (mods.columns, fit)
    }
    return PFSPooledReport(
      orrmeta_version: OrrmetaVersion.current,
      input: .init(file),
      settings: reportSettings(file.measure, settings), overall: overall, subgroups: subgroups,
      moderators: regression?.columns, meta_regression: regression?.fit, warnings: file.warnings)
  }

  /// The settings block.
  static func reportSettings(_ measure: PFSIntervalMeasure, _ s: Settings) -> PFSPooledReport.Settings {
    let estimand: String, estimandName: String, seRule: String, back: String
    switch measure {
    case let .median(e, _):
      estimand = e.rawValue
      estimandName = e.name
      seRule = "from each median's CI as a Wald interval: SE = (upper - lower) / (2 z) at the CI's level, or (median - lower) / z when the upper bound is not reached (McGrath et al. 2025; metamedian metamedian_survival)"
        + (e == .logRatio ? "; log ratio: v = SE1^2/m1^2 + SE2^2/m2^2 (delta method)" : e == .difference ? "; difference: v = SE1^2 + SE2^2" : "")
      back = e == .logRatio ? "exp (ratio of medians)" : "none (months)"
    case .hazardRatio:
      estimand = "log-hazard-ratio"
      estimandName = "log hazard ratio, back-transformed by exp"
      seRule = "from each HR's CI as a Wald interval on the log scale: SE = (ln upper - ln lower) / (2 z) at the CI's level (metafor conv.wald, transf = log); an estimate off the midpoint of its log CI by more than 10% of the CI width is warned about"
      back = "exp (hazard ratio)"
    }
    let pi = s.method == .EE
      ? "equals the CI (tau^2 = 0)"
      : s.test == .z ? "mu +/- z * sqrt(SE^2 + tau^2) (metafor predict, test = z)" : "mu +/- t(k-1) * sqrt(SE^2 + tau^2) (metafor predict, test = \(s.test.rawValue))"
    return .init(
      pool: "iv", estimand: estimand, estimand_name: estimandName, arm: s.arm?.rawValue, method: s.method.rawValue, method_name: s.method.name,
      test: s.test.rawValue, level: s.level.percent, standard_error: seRule,
      pooling: "inverse-variance random-effects model, weights 1/(SE^2 + tau^2) (metafor rma.uni(yi, vi, method, test))",
      prediction_interval: pi, back_transformation: back)
  }

  /// Renders a report.
  package static func render(_ report: PFSPooledReport, format: ReportFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.encode(report)
    case .text: return PFSPooledTextReport.render(report)
    case .markdown: return PFSPooledTextReport.markdown(report)
    case .csv: return try PFSPooledTextReport.csv(report)
    }
  }
}
