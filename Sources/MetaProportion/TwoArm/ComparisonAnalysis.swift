// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// A two-arm meta-analysis: per-trial outcomes, the pooled estimate on the model scale (log
/// ratio or RD) and the fit that produced it, carrying its intermediate statistics.
public struct ComparisonAnalysis: Sendable {
  /// The fit behind the pooled estimate.
  public enum Fit: Sendable {
    /// `rma.mh`.
    case mantelHaenszel(MantelHaenszelFit)
    /// `rma.peto`.
    case peto(PetoFit)
    /// `rma(yi, vi, method, test)` on the trials with an outcome.
    case inverseVariance(ModelFit)
    /// `rma.glmm(model = "UM.FS")`.
    case unconditionalFixedStudy(UnconditionalFixedStudyFit)
    /// `rma.glmm(model = "CM.EL")`.
    case conditionalLogistic(ConditionalLogisticFit)
  }

  /// The settings used.
  public let settings: ComparisonSettings
  /// The trials, in input order.
  public let studies: [TwoArmStudy]
  /// The per-trial outcomes (PETO for the Peto method).
  public let effects: TwoArmEffectSizes
  /// The fit.
  public let fit: Fit
  /// The pooled estimate on the model scale.
  public let pooled: PooledComparison
  /// Per-trial effects with CIs and weights, one per trial.
  public let trials: [TrialComparison]
  /// Warnings (dropped trials, boundary estimates, …).
  public let warnings: [AnalysisWarning]

  /// Runs the analysis.
  /// - Throws: ``MetaAnalysisError`` for invalid settings, undefined outcomes or a failed fit.
  public init(studies: [TwoArmStudy], settings: ComparisonSettings) throws(MetaAnalysisError) {
    guard !studies.isEmpty else { throw .noStudies }
    let method = settings.method
    try method.validate(measure: settings.measure, test: settings.test)
    let effects = try TwoArmEffectSizes(
      studies: studies, measure: method.trialMeasure(for: settings.measure), add: settings.add,
      to: settings.to, drop00: settings.effectiveDrop00)
    var warnings: [AnalysisWarning] = []
    let droppedLabels = studies.indices.filter { effects.dropped[$0] }.map { studies[$0].label }
    if !droppedLabels.isEmpty {
      warnings.append(.note("drop00: \(droppedLabels.count) trial(s) with no responders (or only responders) in both arms have no outcome: \(droppedLabels.prefix(10).joined(separator: ", "))"))
    }
    let undefined = studies.indices.filter { !effects.dropped[$0] && !effects.available($0) }.map { studies[$0].label }
    if !undefined.isEmpty {
      warnings.append(.note("\(undefined.count) trial(s) have an undefined outcome (zero cells with to = \(settings.to.rawValue)): \(undefined.prefix(10).joined(separator: ", "))"))
    }
    let fit: Fit
    let pooled: PooledComparison
    var weights = [Double](repeating: 0, count: studies.count)
    switch method {
    case .MH:
      let tables = settings.correctPooledTables
        ? TwoArmStudy.correctedForPooling(studies, add: settings.add, to: settings.to, drop00: settings.effectiveDrop00) : studies
      let f = try MantelHaenszelFit.fit(
        studies: tables, measure: settings.measure, effects: effects, level: settings.level, correct: settings.correct)
      fit = .mantelHaenszel(f)
      pooled = PooledComparison(wald: f.wald, heterogeneity: f.heterogeneity, k: f.k)
      weights = Self.mantelHaenszelWeights(studies, measure: settings.measure)
    case .Peto:
      let f = try PetoFit.fit(studies: studies, effects: effects, level: settings.level)
      fit = .peto(f)
      pooled = PooledComparison(wald: f.wald, heterogeneity: f.heterogeneity, k: f.k)
      for (i, t) in studies.enumerated() {
        let (a, b, c, d) = t.cells
        let n1 = a + b, n2 = c + d, n = n1 + n2
        weights[i] = (a + c) * (b + d) * (n1 / n) * (n2 / n) / (n - 1)
      }
    case .GLMM:
      (fit, pooled) = try Self.glmm(studies: studies, effects: effects, settings: settings)
      weights = [Double](repeating: .nan, count: studies.count)
    default:
      var yi: [Double] = [], vi: [Double] = [], used: [Int] = []
      for i in studies.indices where effects.available(i) {
        let (y, v) = (effects.yi[i], effects.vi[i])
        guard v > 0 else {
          throw .invalidStudy(
            label: studies[i].label,
            reason: "\(settings.measure.rawValue) has sampling variance vi = \(v) (yi = \(y)) with add = \(settings.add), to = \(settings.to.rawValue); inverse-variance weights need vi > 0: use a continuity correction (--to only0) or --drop00")
        }
        yi.append(y); vi.append(v); used.append(i)
      }
      guard !yi.isEmpty else { throw .noStudies }
      let f = try RandomEffectsModel.fit(
        yi: yi, vi: vi, method: method.tauSquaredMethod!, test: settings.test, level: settings.level,
        control: settings.control)
      fit = .inverseVariance(f)
      pooled = PooledComparison(f)
      warnings += f.warnings
      for (j, i) in used.enumerated() { weights[i] = 1 / (vi[j] + f.tau2.tau2) }
    }
    let total = weights.reduce(0, +)
    let crit = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(settings.level.alpha / 2) }
    var trials: [TrialComparison] = []
    trials.reserveCapacity(studies.count)
    for (i, s) in studies.enumerated() {
      let y = effects.yi[i], v = effects.vi[i]
      let half = crit * v.squareRoot()
      trials.append(TrialComparison(
        study: s, yi: y, vi: v, ciLower: y - half, ciUpper: y + half,
        weightPercent: total > 0 ? 100 * weights[i] / total : .nan, corrected: effects.corrected[i],
        dropped: effects.dropped[i], available: effects.available(i)))
    }
    self.settings = settings
    self.studies = studies
    self.effects = effects
    self.fit = fit
    self.pooled = pooled
    self.trials = trials
    self.warnings = warnings
  }

  /// The Mantel–Haenszel weights of metafor's `weights.rma.mh`: bᵢcᵢ/Nᵢ (OR), cᵢn₁ᵢ/Nᵢ (RR),
  /// n₁ᵢn₂ᵢ/Nᵢ (RD).
  static func mantelHaenszelWeights(_ studies: [TwoArmStudy], measure: ComparisonMeasure) -> [Double] {
    studies.map { t in
      let (a, b, c, d) = t.cells
      let n1 = a + b, n2 = c + d, n = n1 + n2
      switch measure {
      case .OR: return b * c / n
      case .RR: return c * n1 / n
      default: return n1 * n2 / n
      }
    }
  }
}

extension ComparisonAnalysis {
  /// The GLMM fit (`rma.glmm`) and its pooled block: Wald z or t (k − 1 df) test and CI,
  /// prediction interval θ̂ ± crit·√(SE² + τ̂²), I² = 100τ̂²/(τ̂² + ṽ) and H² = (τ̂² + ṽ)/ṽ with
  /// ṽ the typical within-trial variance (k − 1)Σwᵢ/((Σwᵢ)² − Σwᵢ²) of the escalc outcomes
  /// (wᵢ = 1/vᵢ), as metafor; Q is the likelihood-ratio statistic of UM.FS (lme4's deviance,
  /// metafor's `QE.LRT`) and not computed for CM.EL.
  static func glmm(
    studies: [TwoArmStudy], effects: TwoArmEffectSizes, settings: ComparisonSettings
  ) throws(MetaAnalysisError) -> (Fit, PooledComparison) {
    let fit: Fit
    let k: Int, estimate: Double, se: Double, tau2: Double, q: Double
    switch settings.model {
    case .UMFS:
      let f = try UnconditionalFixedStudyFit.fit(studies: studies, nAGQ: settings.nAGQ)
      fit = .unconditionalFixedStudy(f)
      (k, estimate, se, tau2, q) = (f.k, f.estimate, f.standardError, f.tau2, f.heterogeneityLRT)
    case .CMEL:
      let f = try ConditionalLogisticFit.fit(studies: studies, level: settings.level)
      fit = .conditionalLogistic(f)
      (k, estimate, se, tau2, q) = (f.k, f.estimate, f.standardError, f.tau2, .nan)
    }
    // z, or t with k − 1 df (metafor rma.glmm's test = "t"), as the single-arm GLMM.
    let inference = try GLMMWaldInference(estimate: estimate, standardError: se, test: settings.test, k: k, alpha: settings.level.alpha)
    var sw = 0.0, sw2 = 0.0, ky = 0
    for i in studies.indices where effects.available(i) {
      let w = 1 / effects.vi[i]
      sw += w; sw2 += w * w; ky += 1
    }
    let vt = Double(ky - 1) * sw / (sw * sw - sw2)
    let qp = q.isNaN || k < 2 ? Double.nan : try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: Double(k - 1)).survival(q) }
    let piHalf = inference.critical * (se * se + tau2).squareRoot()
    let pooled = PooledComparison(
      k: k,
      summary: ModelSummary(
        wald: inference.wald, piLower: estimate - piHalf, piUpper: estimate + piHalf,
        degreesOfFreedom: inference.degreesOfFreedom),
      tau2: tau2, tau2StandardError: .nan, q: q, qDegreesOfFreedom: k - 1, qPValue: qp,
      i2: 100 * tau2 / (vt + tau2), h2: (vt + tau2) / vt)
    return (fit, pooled)
  }
}

/// The pooled comparison on the model scale, whatever the method (PI = CI when τ² = 0 and the
/// method has no prediction interval of its own, as metafor's `predict` for `rma.mh`/`rma.peto`).
public struct PooledComparison: ModelSummaryCarrying, Sendable, Hashable {
  public var k: Int
  /// The estimate, SE, z or t statistic, p-value, CI, PI and t degrees of freedom (nil for z).
  public var summary: ModelSummary
  /// τ̂² (0 for common-effect methods) and its SE (NaN when not estimated).
  public var tau2: Double
  public var tau2StandardError: Double
  public var q: Double
  public var qDegreesOfFreedom: Int
  public var qPValue: Double
  public var i2: Double
  public var h2: Double

  init(
    k: Int, summary: ModelSummary, tau2: Double, tau2StandardError: Double, q: Double, qDegreesOfFreedom: Int,
    qPValue: Double, i2: Double, h2: Double
  ) {
    self.k = k
    self.summary = summary
    self.tau2 = tau2; self.tau2StandardError = tau2StandardError
    self.q = q; self.qDegreesOfFreedom = qDegreesOfFreedom; self.qPValue = qPValue; self.i2 = i2; self.h2 = h2
  }

  init(wald w: WaldSummary, heterogeneity h: CommonEffectHeterogeneity, k: Int) {
    self.k = k
    summary = ModelSummary(wald: w, piLower: w.ciLower, piUpper: w.ciUpper, degreesOfFreedom: nil)
    tau2 = 0; tau2StandardError = .nan
    q = h.q; qDegreesOfFreedom = h.degreesOfFreedom; qPValue = h.pValue; i2 = h.i2; h2 = h.h2
  }

  init(_ f: ModelFit) {
    k = f.k
    summary = f.summary
    tau2 = f.tau2.tau2; tau2StandardError = f.tau2.standardError
    q = f.q; qDegreesOfFreedom = f.qDegreesOfFreedom; qPValue = f.qPValue; i2 = f.i2; h2 = f.h2
  }
}

/// One trial's outcome with its Wald CI and its weight in the pooled estimate.
public struct TrialComparison: Sendable, Hashable {
  public var study: TwoArmStudy
  /// yᵢ on the model scale (NaN when dropped or undefined).
  public var yi: Double
  public var vi: Double
  /// yᵢ ∓ z·√vᵢ.
  public var ciLower: Double
  public var ciUpper: Double
  /// Weight in percent (MH, Peto or inverse-variance weights).
  public var weightPercent: Double
  /// Whether the continuity correction was added.
  public var corrected: Bool
  /// Whether `drop00` removed the trial's outcome.
  public var dropped: Bool
  /// Whether the trial has an outcome.
  public var available: Bool
}
