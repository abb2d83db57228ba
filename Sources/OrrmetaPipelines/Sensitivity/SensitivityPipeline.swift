// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// A sensitivity analysis that failed on valid data (the model could not be refitted, too few
/// cohorts, …): exit code 70, with the analysis named in the message.
package struct SensitivityFailure: Error, CustomStringConvertible, Sendable {
  /// The analysis ("leave-one-out", "Egger's test", …).
  package let analysis: String
  /// What went wrong.
  package let underlying: MetaAnalysisError
  package var description: String { "\(analysis): \(underlying)" }
}

/// Reads nothing and writes nothing: turns a validated cohort file, the model settings and a
/// ``SensitivityRequest`` into the ``SensitivityReport`` (and the GOSH subsets for the CSV).
/// Shared by `orrmeta sensitivity`, `orrmeta plot` and `orrmeta report`, so that every output
/// shows the same numbers. The statistics are `MetaProportion.SensitivityAnalysis`'s.
package enum SensitivityPipeline {
  /// The report and, with GOSH, every subset fit.
  package struct Outcome: Sendable {
    /// The JSON/text report.
    package var report: SensitivityReport
    /// The GOSH subsets (for `--gosh-out`), when GOSH was run.
    package var gosh: GoshResult?
    /// The inverse-variance analysis the results come from (nil for GLMM).
    package var analysis: SensitivityAnalysis?
    /// The pool report whose blocks the report repeats (it also has Σn and Σevents, for the
    /// summary row of `orrmeta batch`).
    package var pool: PoolReport
  }

  /// The sensitivity analysis of a cohort file with the model settings (the same yᵢ, vᵢ,
  /// τ² method, test, level and iteration control as `orrmeta pool`).
  ///
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` (exit 64) for simple
  ///   pooling and GLMM, which have no inverse-variance fit to refit; other
  ///   ``MetaAnalysisError``s when the measure is undefined or the full model cannot be fitted.
  package static func analysis(_ cohorts: CohortFile, settings: AnalysisSettings) throws(MetaAnalysisError) -> SensitivityAnalysis {
    guard let method = settings.method.tauSquaredMethod else {
      throw .invalidSetting(
        name: "--method", value: settings.method.rawValue,
        expected: "an inverse-variance method (EE, DL, HE, HS, SJ, ML, REML, EB or PM): the sensitivity analyses refit the inverse-variance model, which \(settings.method == .pooled ? "simple pooling" : "the GLMM") does not have")
    }
    return try SensitivityAnalysis(
      studies: cohorts.studies, measure: settings.measure, add: settings.add, to: settings.to, method: method,
      test: settings.test, level: settings.level, control: settings.control)
  }

  /// Runs the requested analyses.
  ///
  /// - Throws: ``MetaAnalysisError`` for invalid settings or a model that cannot be fitted at
  ///   all; ``SensitivityFailure`` when one analysis fails.
  /// The parts of a sharded GOSH and bootstrap, computed elsewhere (`orrmeta merge`): `run`
  /// combines them instead of computing the analyses.
  package struct ResamplingParts: Sendable {
    package var gosh: [GoshPart]
    package var bootstrap: [BootstrapPart]
    package init(gosh: [GoshPart], bootstrap: [BootstrapPart]) {
      self.gosh = gosh; self.bootstrap = bootstrap
    }
  }

  /// Part `shard` of the request's random GOSH and bootstrap (`sensitivity --shard I/N`).
  package static func resamplingPart(
    _ cohorts: CohortFile, settings: AnalysisSettings, request: SensitivityRequest, shard: ResamplingShard
  ) throws -> (gosh: GoshPart?, bootstrap: BootstrapPart?) {
    let a = try analysis(cohorts, settings: settings)
    let g = try request.gosh
      ? step("GOSH") { () throws(MetaAnalysisError) in
        try a.goshPart(GoshOptions(maxSubsets: request.goshSubsets, seed: request.seed, threads: request.threads), shard: shard)
      } : nil
    let b = try request.bootstrapResamples.map { b in
      try step("bootstrap") { () throws(MetaAnalysisError) in
        try a.bootstrapPart(BootstrapOptions(resamples: b, seed: request.seed, threads: request.threads), shard: shard)
      }
    }
    return (g, b)
  }

  package static func run(
    _ cohorts: CohortFile, settings: AnalysisSettings, request: SensitivityRequest, parts: ResamplingParts? = nil
  ) throws -> Outcome {
    if settings.method == .GLMM { return try runGLMM(cohorts, settings: settings, request: request) }
    let a = try analysis(cohorts, settings: settings)
    let pool = try poolReport(cohorts, settings: settings)
    var warnings = pool.warnings
    var report = emptyReport(pool, request: request, settings: settings)

    if request.leaveOneOut || request.influence {
      let cd = try step("case deletion (leave-one-out, influence)") { () throws(MetaAnalysisError) in try a.caseDeletion() }
      if request.leaveOneOut { report.leave_one_out = cd.leaveOneOut }
      if request.influence {
        report.influence = cd.influence
        report.baujat = cd.baujat
      }
      let failed = cd.leaveOneOut.filter { $0.estimate.isNaN }.count
      if failed > 0 { warnings.append("case deletion: \(failed) of \(a.k) leave-one-out refits failed; their values are null") }
    }
    if request.cumulative {
      report.cumulative = try step("cumulative meta-analysis") { () throws(MetaAnalysisError) in
        try a.cumulative(order: request.cumulativeOrder?.indices)
      }
      let failed = report.cumulative!.filter { $0.estimate.isNaN }.count
      if failed > 0 { warnings.append("cumulative meta-analysis: \(failed) step(s) could not be fitted; their values are null") }
    }
    if request.bias { report.bias = try bias(a, warnings: &warnings) }
    if request.trimFill {
      report.trimfill = try step("trim-and-fill") { () throws(MetaAnalysisError) in
        try a.trimAndFill(side: request.trimFillSide, estimator: request.trimFillEstimator)
      }
    }
    var goshResult: GoshResult?
    if request.gosh {
      let g = try step("GOSH") { () throws(MetaAnalysisError) in
        if let parts { return try a.combineGosh(parts.gosh) }
        return try a.gosh(GoshOptions(maxSubsets: request.goshSubsets, seed: request.seed, threads: request.threads))
      }
      let summary = g.summary(threads: request.threads)
      if summary.failed > 0 { warnings.append("GOSH: \(summary.failed) of \(g.subsets) subset fits failed and are left out of the summary") }
      report.gosh = SensitivityReport.Gosh(k: g.k, subsets: g.subsets, exhaustive: g.exhaustive, seed: g.seed, summary: summary)
      goshResult = g
    }
    if let b = request.bootstrapResamples {
      report.bootstrap = try bootstrap(a, resamples: b, seed: request.seed, threads: request.threads, parts: parts, warnings: &warnings)
    }
    report.warnings = warnings
    return Outcome(report: report, gosh: goshResult, analysis: a, pool: pool)
  }

  /// The small-study tests of the fitted model `a` (Egger's, Peters' and Begg's); their
  /// warnings are appended to `warnings`. Shared with the report command, which passes its one fit.
  package static func bias(_ a: SensitivityAnalysis, warnings: inout [String]) throws -> SensitivityReport.Bias {
    let egger = try step("Egger's test") { () throws(MetaAnalysisError) in try a.eggerTest() }
    let peters = try step("Peters' test") { () throws(MetaAnalysisError) in try a.petersTest() }
    let begg = try step("Begg's test") { () throws(MetaAnalysisError) in try a.beggTest() }
    warnings += egger.fit.warnings.map { "Egger's test: \($0.description)" }
    warnings += peters.fit.warnings.map { "Peters' test: \($0.description)" }
    if !begg.exact { warnings.append("Begg's test: ties or k > 170, so the p-value is the normal approximation (as R's cor.test)") }
    return SensitivityReport.Bias(egger: egger, peters: peters, begg: begg, proportion: a.proportion)
  }

  /// The bootstrap of the fitted model `a` with `resamples` resamples (combined from `parts`
  /// when given); a warning counting failed resample fits is appended to `warnings`. Shared
  /// with the report command, which passes its one fit.
  package static func bootstrap(
    _ a: SensitivityAnalysis, resamples b: Int, seed: UInt64, threads: Int, parts: ResamplingParts? = nil,
    warnings: inout [String]
  ) throws -> BootstrapResult {
    let r = try step("bootstrap") { () throws(MetaAnalysisError) in
      if let parts { return try a.combineBootstrap(parts.bootstrap) }
      return try a.bootstrap(BootstrapOptions(resamples: b, seed: seed, threads: threads))
    }
    if r.failed > 0 { warnings.append("bootstrap: \(r.failed) of \(b) resample fits failed and are left out") }
    return r
  }

  /// GLMM: leave-one-out and cumulative refits of the binomial-normal model
  /// (``GLMMSensitivity``); the other analyses need an inverse-variance model and are refused.
  static func runGLMM(_ cohorts: CohortFile, settings: AnalysisSettings, request: SensitivityRequest) throws -> Outcome {
    if request.analyses.contains(where: { !$0.supports(method: .GLMM) }) {  // the one rule: SensitivityAnalysisKind
      throw MetaAnalysisError.invalidSetting(
        name: "--method", value: "GLMM",
        expected: "only --leave-one-out and --cumulative with GLMM (influence, bias tests, trim-and-fill, GOSH and the bootstrap refit the inverse-variance model)")
    }
    let pool = try poolReport(cohorts, settings: settings)
    var warnings = pool.warnings
    var report = emptyReport(pool, request: request, settings: settings)
    let studies = cohorts.studies
    if request.leaveOneOut {
      report.leave_one_out = try step("leave-one-out (GLMM)") { () throws(MetaAnalysisError) in
        try GLMMSensitivity.leaveOneOut(studies: studies, nAGQ: settings.quadraturePoints, test: settings.test, level: settings.level)
      }
    }
    if request.cumulative {
      report.cumulative = try step("cumulative meta-analysis (GLMM)") { () throws(MetaAnalysisError) in
        try GLMMSensitivity.cumulative(
          studies: studies, order: request.cumulativeOrder?.indices, nAGQ: settings.quadraturePoints,
          test: settings.test, level: settings.level)
      }
    }
    for (name, rows) in [("leave-one-out", report.leave_one_out), ("cumulative", report.cumulative)] {
      let failed = rows?.filter { $0.estimate.isNaN }.count ?? 0
      if failed > 0 { warnings.append("\(name) (GLMM): \(failed) refit(s) could not be fitted (e.g. k = 1 or no responders); their values are null") }
    }
    warnings.append("GLMM sensitivity: q and q_p_value in each row are the Wald-type test QE.Wld")
    report.warnings = warnings
    return Outcome(report: report, gosh: nil, analysis: nil, pool: pool)
  }

  /// Renders a report: `json` (non-finite values as null) or `text`.
  ///
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for csv and markdown.
  package static func render(_ report: SensitivityReport, format: SummaryFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.encode(report)
    case .text: return TerminalText.safe(SensitivityTextReport.render(report))
    }
  }

  /// The pool blocks: all cohorts (subgroups, if the file was read with one, are ignored).
  static func poolReport(_ cohorts: CohortFile, settings: AnalysisSettings) throws(MetaAnalysisError) -> PoolReport {
    let input = PoolReport.Input(
      file: cohorts.file, events_column: cohorts.eventsColumn, n_column: cohorts.totalColumn,
      label_column: cohorts.labelColumn, by_column: nil, filters: cohorts.filters)
    let analysis = try ProportionMetaAnalysis.analyze(studies: cohorts.studies, settings: settings)
    return PoolReport(analysis: analysis, input: input, extraWarnings: cohorts.warnings)
  }

  /// The report's pool blocks and settings, before any analysis has run.
  static func emptyReport(_ pool: PoolReport, request: SensitivityRequest, settings: AnalysisSettings) -> SensitivityReport {
    SensitivityReport(
      orrmeta_version: pool.orrmeta_version, input: pool.input, k: pool.k, settings: pool.settings, model: pool.model,
      pooled: pool.pooled, heterogeneity: pool.heterogeneity,
      sensitivity_settings: sensitivitySettings(request, settings: settings), warnings: [])
  }

  static func sensitivitySettings(_ r: SensitivityRequest, settings: AnalysisSettings) -> SensitivityReport.SensitivitySettings {
    let c = settings.control
    return SensitivityReport.SensitivitySettings(
      analyses: r.analysisKeys, order_by: r.cumulative ? r.cumulativeOrder?.column : nil,
      trimfill_estimator: r.trimFill ? r.trimFillEstimator.rawValue : nil,
      trimfill_side: r.trimFill ? r.trimFillSide?.rawValue : nil, gosh_max_subsets: r.gosh ? r.goshSubsets : nil,
      bootstrap_resamples: r.bootstrapResamples,
      seed: r.gosh || r.bootstrapResamples != nil ? r.seed : nil,
      control: .init(c))
  }

  /// Runs one analysis: a failure becomes a ``SensitivityFailure`` naming it (exit code 70);
  /// invalid settings stay ``MetaAnalysisError/invalidSetting(name:value:expected:)`` (64).
  package static func step<T>(_ name: String, _ body: () throws(MetaAnalysisError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      if case .invalidSetting = error { throw error }
      throw SensitivityFailure(analysis: name, underlying: error)
    }
  }
}
