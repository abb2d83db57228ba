// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// Inverse-variance random-effects meta-analysis of median survival times from their reported
/// confidence intervals (McGrath, Kimmelman, Ozturk, Steele, Benedetti 2025, "Meta-analysis of
/// median survival times with inverse-variance weighting", arXiv:2503.03065; R metamedian
/// `metamedian_survival`).
///
/// Each cohort's SE comes from its interval (``ReportedMedian/standardError()``); the outcomes
/// yᵢ and variances vᵢ of the ``MedianSurvivalEstimand`` are then pooled by
/// ``RandomEffectsModel`` exactly as `metafor::rma.uni(yi, vi, method, test)`, the call
/// metamedian makes.
public enum MedianSurvivalMetaAnalysis {
  /// yᵢ and vᵢ of one cohort.
  /// - Throws: ``MetaAnalysisError/invalidStudy(label:reason:)`` naming the cohort and arm.
  public static func outcome(
    _ cohort: MedianSurvivalCohort, estimand: MedianSurvivalEstimand
  ) throws(MetaAnalysisError) -> (yi: Double, vi: Double) {
    func se(_ m: ReportedMedian, arm: String) throws(MetaAnalysisError) -> Double {
      do { return try m.standardError() } catch {
        if case let .invalidStudy(_, reason) = error { throw .invalidStudy(label: cohort.label, reason: "\(arm) arm: \(reason)") }
        throw error
      }
    }
    let t = cohort.treatment
    let s1 = try se(t, arm: "treatment")
    guard estimand.needsBothArms else { return (t.median, s1 * s1) }
    guard let c = cohort.control else {
      throw .invalidStudy(label: cohort.label, reason: "the \(estimand.rawValue) of medians needs the control arm's median and CI")
    }
    let s2 = try se(c, arm: "control")
    switch estimand {
    case .median:
      return (t.median, s1 * s1)
    case .difference:
      return (t.median - c.median, s1 * s1 + s2 * s2)
    case .logRatio:
      guard t.median > 0, c.median > 0 else {
        throw .invalidStudy(label: cohort.label, reason: "a ratio of medians needs both medians > 0 (treatment \(t.median), control \(c.median))")
      }
      return (
        Double.log(t.median) - Double.log(c.median),
        s1 * s1 / (t.median * t.median) + s2 * s2 / (c.median * c.median)
      )
    }
  }

  /// Pools the cohorts.
  ///
  /// - Parameters:
  ///   - cohorts: the cohorts (each with the arms the estimand needs).
  ///   - estimand: median, difference or log ratio.
  ///   - method: τ² estimator (metamedian passes metafor's default, REML).
  ///   - test: z, t, knha or adhoc.
  ///   - level: level of the pooled CI and PI (each cohort's own level is in its ``ReportedMedian``).
  ///   - control: iteration settings.
  /// - Throws: ``MetaAnalysisError`` for no cohorts or an invalid cohort.
  public static func analyze(
    cohorts: [MedianSurvivalCohort], estimand: MedianSurvivalEstimand, method: TauSquaredMethod = .REML,
    test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive, control: FitControl = .tight
  ) throws(MetaAnalysisError) -> MedianSurvivalResult {
    guard !cohorts.isEmpty else { throw .noStudies }
    var yi: [Double] = [], vi: [Double] = []
    yi.reserveCapacity(cohorts.count)
    vi.reserveCapacity(cohorts.count)
    var warnings: [AnalysisWarning] = []
    for c in cohorts {
      let o = try outcome(c, estimand: estimand)
      yi.append(o.yi)
      vi.append(o.vi)
      for (arm, m) in [("treatment", c.treatment), ("control", c.control)] where estimand.needsBothArms || arm == "treatment" {
        if let m, m.medianOutsideInterval {
          warnings.append(.note("cohort '\(c.label)', \(arm) arm: the median \(m.median) lies outside its CI [\(m.lower), \(m.upper.map { "\($0)" } ?? "NR")]"))
        }
      }
    }
    let fit = try RandomEffectsModel.fit(yi: yi, vi: vi, method: method, test: test, level: level, control: control)
    return MedianSurvivalResult(
      estimand: estimand, yi: yi, sei: vi.map { $0.squareRoot() }, fit: fit,
      ratio: estimand == .logRatio ? RatioScaleSummary(exponentiating: fit) : nil,
      warnings: warnings + fit.warnings)
  }
}
