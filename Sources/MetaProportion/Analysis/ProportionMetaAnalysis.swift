// SPDX-License-Identifier: GPL-3.0-or-later

/// Pools single proportions: escalc → model → back-transformation → heterogeneity and its CIs,
/// with every choice and every degraded step reported.
public enum ProportionMetaAnalysis {
  /// Analyses one set of cohorts.
  ///
  /// - Parameters:
  ///   - studies: validated cohorts (at least one).
  ///   - settings: the methods.
  ///   - presetTau2: τ² estimated elsewhere (a subgroup's common τ²), used instead of one
  ///     estimated from these cohorts; inverse-variance methods only. The τ² CI is then not computed.
  ///   - cohortIntervals: the per-cohort CIs computed beforehand (used when their method, level
  ///     and count match `settings`; see ``CohortIntervals``).
  /// - Throws: ``MetaAnalysisError`` when the measure is undefined for a cohort (e.g. PLO with
  ///   0 responders and `to = none`) or the model cannot be fitted.
  public static func analyze(
    studies: [ProportionStudy], settings: AnalysisSettings, presetTau2: TauSquaredEstimate? = nil,
    cohortIntervals: CohortIntervals? = nil
  ) throws(MetaAnalysisError) -> ProportionAnalysis {
    guard !studies.isEmpty else { throw .noStudies }
    // Stata metaprop without cc() (untransformed proportions): 0 %/100 % cohorts leave the pooling, with a warning.
    let (studies, dropWarning) = StataConventions.dropExtremeCohorts(studies, settings: settings)
    guard !studies.isEmpty else {
      throw .fitFailed(reason: "profile stata: every cohort has 0% or 100% response and is dropped as Stata metaprop does for untransformed proportions without cc(); give --add to pool them with a continuity correction")
    }
    let k = studies.count
    var warnings: [AnalysisWarning] = dropWarning.map { [$0] } ?? []
    var totalEvents = 0, totalN = 0, sumInvN = 0.0
    for s in studies {
      let (events, o1) = totalEvents.addingReportingOverflow(s.events)
      let (patients, o2) = totalN.addingReportingOverflow(s.total)
      guard !o1, !o2 else {
        throw .invalidStudy(label: s.label, reason: "the total number of patients up to this cohort exceeds \(Int.max)")
      }
      totalEvents = events
      totalN = patients
      sumInvN += 1 / Double(s.total)
    }
    let harmonicMeanN = Double(k) / sumInvN
    let es = try EffectSizes(studies: studies, settings: settings)
    let level = settings.level

    // Per-cohort intervals.
    var rows: [StudyResult] = []
    rows.reserveCapacity(k)
    let shared = cohortIntervals.flatMap { $0.matches(settings, count: k) ? $0 : nil }
    for (i, s) in studies.enumerated() {
      let ci: (lower: Double, upper: Double)
      if let shared {
        ci = shared.interval(i)
      } else {
        ci = try settings.studyInterval.interval(events: s.events, total: s.total, level: level)
      }
      rows.append(StudyResult(
        label: s.label, events: s.events, total: s.total, yi: es.yi[i], vi: es.vi[i],
        corrected: es.corrected[i], proportion: s.proportion, ciLower: ci.lower, ciUpper: ci.upper,
        weight: .nan))
    }

    if settings.method == .pooled || settings.method == .GLMM {
      // The two fits without an inverse-variance τ² (simple pooling, the binomial-normal GLMM).
      let fit = settings.method == .pooled ? simplePooling : binomialNormal
      var r = try fit(studies, rows, es, settings, totalEvents, totalN, harmonicMeanN)
      r.warnings.insert(contentsOf: warnings, at: 0)
      return r
    }

    let method = settings.method.tauSquaredMethod!
    var settings = settings
    let fit = try RandomEffectsModel.fit(
      yi: es.yi, vi: es.vi, method: method, test: settings.test, level: level, control: settings.control,
      presetTau2: presetTau2)
    warnings += fit.warnings
    settings.test = fit.test  // z when k = 1 (see RandomEffectsModel.fit)
    if method.isRandomEffects, k >= 2, k < 5, presetTau2 == nil {
      warnings.append(.fewStudies(k: k, detail: "tau^2 is estimated very imprecisely from fewer than 5 cohorts"))
    }
    let w = fit.weights(vi: es.vi)
    for i in rows.indices { rows[i].weight = w[i] }

    var summary = ModelSummary(
      estimate: fit.estimate, standardError: fit.standardError, statistic: fit.statistic,
      pValue: fit.pValue, ciLower: fit.ciLower, ciUpper: fit.ciUpper, piLower: fit.piLower,
      piUpper: fit.piUpper, degreesOfFreedom: fit.degreesOfFreedom)
    if MetaConventions.usesTPrediction(settings, k: k) {
      summary = try MetaConventions.tPrediction(
        summary, classicStandardError: (1 / fit.sumOfWeights).squareRoot(), tau2: fit.tau2.tau2, k: k, level: level)
    }
    let pooled = backTransform(summary, settings: settings, harmonicMeanN: harmonicMeanN, warnings: &warnings)
    if totalEvents == 0 || totalEvents == totalN, es.corrected.allSatisfy({ $0 }) {
      let exact = try BinomialIntervalMethod.clopperPearson.interval(events: totalEvents, total: totalN, level: level)
      warnings.append(.continuityCorrectionOnly(
        allResponded: totalEvents == totalN, events: totalEvents, total: totalN, estimate: pooled.proportion,
        exactLower: exact.lower, exactUpper: exact.upper, levelPercent: level.percent))
    }

    var het = HeterogeneitySummary(
      tau2: fit.tau2.tau2, tau: fit.tau, tau2StandardError: fit.tau2.standardError,
      tau2CILower: .nan, tau2CIUpper: .nan, i2: fit.i2, i2CILower: .nan, i2CIUpper: .nan,
      h2: fit.h2, h2CILower: .nan, h2CIUpper: .nan, q: fit.q, qDegreesOfFreedom: fit.qDegreesOfFreedom,
      qPValue: k > 1 ? fit.qPValue : .nan)
    if method.isRandomEffects, k >= 2, presetTau2 == nil {
      let jackson = MetaConventions.usesJacksonInterval(settings)
      let qp = jackson
        ? try GeneralisedQInterval.compute(
          yi: es.yi, vi: es.vi, typicalVariance: fit.typicalVariance, level: level, control: settings.control)
        : try QProfileInterval.compute(
          yi: es.yi, vi: es.vi, tau2: fit.tau2.tau2, typicalVariance: fit.typicalVariance,
          level: level, control: settings.control)
      het.tau2CILower = qp.tau2Lower; het.tau2CIUpper = qp.tau2Upper
      het.i2CILower = qp.i2Lower; het.i2CIUpper = qp.i2Upper
      het.h2CILower = qp.h2Lower; het.h2CIUpper = qp.h2Upper
      if qp.isNullSet {
        warnings.append(.tau2IntervalIssue(jackson
          ? "the generalised Q (Jackson) CI for tau^2 is the empty set (P(Q_a > q_a) at tau^2 = 0 is above 1 - alpha/2); both bounds reported as 0"
          : "the Q-profile CI for tau^2 is the empty set (Q at tau^2 = 0 lies below the lower critical value); both bounds reported as 0"))
      }
      if qp.upperBeyondSearchRange {
        warnings.append(.tau2IntervalIssue("a bound lies beyond the search range [0, \(qp.searchMaximum)] and is reported as \(qp.searchMaximum) (as metafor does)"))
      }
    }

    MetaConventions.applyI2(&het, settings: settings)
    return ProportionAnalysis(
      settings: settings, k: k, totalEvents: totalEvents, totalPatients: totalN,
      harmonicMeanN: harmonicMeanN, studies: rows, model: summary, pooled: pooled,
      heterogeneity: het, fit: fit, simple: nil, converged: fit.tau2.converged,
      iterations: fit.tau2.iterations, warnings: warnings)
  }

  /// Back-transforms an estimate, CI and PI to the proportion scale, clamping identity/exp
  /// results to [0, 1] with a warning.
  public static func backTransform(
    _ s: ModelSummary, settings: AnalysisSettings, harmonicMeanN: Double,
    warnings: inout [AnalysisWarning]
  ) -> PooledProportion {
    let bt = settings.backTransformation
    if bt == .inverseFreemanTukeyHarmonicMean {
      warnings.append(.freemanTukeyBackTransform(harmonicMeanN: harmonicMeanN))
    }
    func map(_ t: Double, _ what: String) -> Double {
      let p = bt.apply(t, harmonicMeanN: harmonicMeanN)
      if bt.canLeaveUnitInterval, p.isFinite, p < 0 || p > 1 {
        warnings.append(.clamped(what: what, value: p))
        return min(1, max(0, p))
      }
      return p
    }
    return PooledProportion(
      proportion: map(s.estimate, "pooled proportion"), ciLower: map(s.ciLower, "CI lower bound"),
      ciUpper: map(s.ciUpper, "CI upper bound"), piLower: map(s.piLower, "PI lower bound"),
      piUpper: map(s.piUpper, "PI upper bound"))
  }

  /// The binomial-normal GLMM (metafor `rma.glmm(measure = "PLO")`): the fit uses the raw
  /// counts (no continuity correction); Cochran's Q is still reported from the escalc yᵢ/vᵢ, as
  /// are metafor's Wald and likelihood-ratio heterogeneity tests. GLMMs have no inverse-variance
  /// weights and no Q-profile CI for τ² (metafor offers neither).
  static func binomialNormal(
    studies: [ProportionStudy], rows: [StudyResult], es: EffectSizes, settings: AnalysisSettings,
    totalEvents: Int, totalN: Int, harmonicMeanN: Double
  ) throws(MetaAnalysisError) -> ProportionAnalysis {
    guard settings.measure == .PLO else {
      throw .invalidSetting(name: "measure", value: settings.measure.rawValue, expected: "PLO with method GLMM (the model is on the logit scale)")
    }
    if MetaConventions.glmmFallsBackToCommonEffect(settings, k: studies.count) {
      return try MetaConventions.singleCohortGLMM(
        studies: studies, rows: rows, settings: settings, totalEvents: totalEvents, totalN: totalN,
        harmonicMeanN: harmonicMeanN)
    }
    let fit = try BinomialNormalModel.fit(
      studies: studies, nAGQ: settings.quadraturePoints, test: settings.test, level: settings.level)
    var warnings = fit.warnings
    warnings.append(.note("GLMM: cohort weights are not defined (reported as null); the fit uses the raw counts without continuity correction"))
    let fe = try RandomEffectsModel.fit(yi: es.yi, vi: es.vi, method: .EE, test: .z, level: settings.level)
    var summary = ModelSummary(
      estimate: fit.estimate, standardError: fit.standardError, statistic: fit.statistic,
      pValue: fit.pValue, ciLower: fit.ciLower, ciUpper: fit.ciUpper, piLower: fit.piLower,
      piUpper: fit.piUpper, degreesOfFreedom: fit.degreesOfFreedom)
    if MetaConventions.usesTPrediction(settings, k: studies.count) {
      summary = try MetaConventions.tPrediction(
        summary, classicStandardError: fit.standardError, tau2: fit.tau2, k: studies.count, level: settings.level)
    }
    let pooled = backTransform(summary, settings: settings, harmonicMeanN: harmonicMeanN, warnings: &warnings)
    var het = HeterogeneitySummary(
      tau2: fit.tau2, tau: fit.tau, tau2StandardError: .nan, tau2CILower: .nan, tau2CIUpper: .nan,
      i2: fit.i2, i2CILower: .nan, i2CIUpper: .nan, h2: fit.h2, h2CILower: .nan, h2CIUpper: .nan,
      q: fe.q, qDegreesOfFreedom: fe.qDegreesOfFreedom, qPValue: studies.count > 1 ? fe.qPValue : .nan,
      qWald: fit.qWald, qWaldPValue: fit.qWaldP, qLRT: fit.qLRT, qLRTPValue: fit.qLRTP)
    MetaConventions.applyI2(&het, settings: settings)
    return ProportionAnalysis(
      settings: settings, k: studies.count, totalEvents: totalEvents, totalPatients: totalN,
      harmonicMeanN: harmonicMeanN, studies: rows, model: summary, pooled: pooled, heterogeneity: het,
      fit: nil, simple: nil, converged: fit.converged, iterations: fit.iterations, warnings: warnings)
  }

  static func simplePooling(
    studies: [ProportionStudy], rows: [StudyResult], es: EffectSizes, settings: AnalysisSettings,
    totalEvents: Int, totalN: Int, harmonicMeanN: Double
  ) throws(MetaAnalysisError) -> ProportionAnalysis {
    let k = studies.count
    var rows = rows
    let simple = try SimplePooling(studies: studies, method: settings.studyInterval, level: settings.level)
    for i in rows.indices { rows[i].weight = 100 * Double(rows[i].total) / Double(simple.total) }
    var warnings: [AnalysisWarning] = [.simplePoolingIgnoresHeterogeneity]
    // Heterogeneity is still reported: Q, I² = max(0, (Q − df)/Q) and H² = Q/df of the
    // common-effect model on the chosen measure.
    let fe = try RandomEffectsModel.fit(yi: es.yi, vi: es.vi, method: .EE, test: .z, level: settings.level, control: settings.control)
    warnings += fe.warnings
    let summary = ModelSummary(
      estimate: simple.proportion, standardError: (simple.proportion * (1 - simple.proportion) / Double(simple.total)).squareRoot(),
      statistic: .nan, pValue: .nan, ciLower: simple.ciLower, ciUpper: simple.ciUpper,
      piLower: .nan, piUpper: .nan, degreesOfFreedom: nil)
    let pooled = PooledProportion(
      proportion: simple.proportion, ciLower: simple.ciLower, ciUpper: simple.ciUpper, piLower: .nan, piUpper: .nan)
    let het = HeterogeneitySummary(
      tau2: .nan, tau: .nan, tau2StandardError: .nan, tau2CILower: .nan, tau2CIUpper: .nan,
      i2: fe.i2, i2CILower: .nan, i2CIUpper: .nan, h2: fe.h2, h2CILower: .nan, h2CIUpper: .nan,
      q: fe.q, qDegreesOfFreedom: fe.qDegreesOfFreedom, qPValue: k > 1 ? fe.qPValue : .nan)
    return ProportionAnalysis(
      settings: settings, k: k, totalEvents: totalEvents, totalPatients: totalN,
      harmonicMeanN: harmonicMeanN, studies: rows, model: summary, pooled: pooled, heterogeneity: het,
      fit: nil, simple: simple, converged: true, iterations: 0, warnings: warnings)
  }
}
