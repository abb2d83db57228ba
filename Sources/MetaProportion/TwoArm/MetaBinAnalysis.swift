// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// A two-arm comparison as R meta's `metabin` (8.2-1) computes it with its defaults: the
/// common-effect model (Mantel–Haenszel by default, Peto or inverse variance) and the
/// random-effects model side by side, on meta's per-trial outcomes (``MetaBinEffectSizes``).
/// `orrmeta compare --profile meta`.
///
/// The random-effects part is meta's `metagen` on those outcomes (trials with an undefined or
/// infinite outcome left out of the fits, as meta's `hetcalc`):
/// - τ² by `method.tau` (default REML) through the same estimator as `rma.uni`
///   (``RandomEffectsModel``, with the comparison's ``ComparisonSettings/control``). With the
///   Mantel–Haenszel method and DerSimonian–Laird (`Q.Cochrane = TRUE`, RevMan's convention) Q
///   is taken around the Mantel–Haenszel estimate θ_MH, Q = Σwᵢ(yᵢ − θ_MH)², wᵢ = 1/vᵢ, and
///   τ² = max(0, (Q − df)/(Σw − Σw²/Σw)) with no CI; otherwise Q is Cochran's around the
///   inverse-variance estimate.
/// - τ²'s CI: Q-profile, or Jackson's generalised-Q interval for DL (`method.tau.ci = "J"`),
///   when df ≥ 2 (``QProfileInterval``, ``GeneralisedQInterval``).
/// - μ̂ = Σwᵢ*yᵢ/Σwᵢ*, wᵢ* = 1/(vᵢ + τ̂²), SE = 1/√Σwᵢ*; `method.random.ci = "HK"`
///   (`--test knha`): SE·√(Σwᵢ*(yᵢ − μ̂)²/(k − 1)) with t(k − 1), as metafor's knha.
/// - PI: μ̂ ∓ t(k − 1)·√(SE² + τ̂²) with the classic SE (``MetaConventions/tPrediction``).
/// - H and I² from Q with their test-based CIs (``TestBasedH``, ``MetaConventions/testBasedI2``).
/// - k: the trials with an outcome (double-zero trials are counted for RD only, which keeps them).
public struct MetaBinAnalysis: Sendable {
  /// The settings used.
  public let settings: ComparisonSettings
  /// The common-effect method (MH, Peto, Inverse) and τ² estimator of the random-effects model.
  public let commonMethod: MetaBinCommonEffect.Method
  public let tauMethod: TauSquaredMethod
  /// meta's per-trial outcomes.
  public let effects: MetaBinEffectSizes
  /// meta's k (trials with an outcome).
  public let k: Int
  /// The common-effect model.
  public let common: MetaBinCommonEffect
  /// The random-effects model (CI classic or HK; PI t(k − 1)).
  public let random: ModelSummary
  /// τ², its SE and CI, Q, df, p, I² and its CI (percent); H² = Q/df with no CI.
  public let heterogeneity: HeterogeneitySummary
  /// H with its test-based CI.
  public let h: TestBasedH
  /// Whether Q and τ² are taken around the Mantel–Haenszel estimate (MH with DL).
  public let cochraneQ: Bool
  /// The τ² CI's method: "QP", "J", or nil when there is none (df < 2, or Q around θ_MH).
  public let tau2CIMethod: String?
  /// Random-effects weights 1/(vᵢ + τ̂²) (0 for trials outside the fit).
  public let randomWeights: [Double]
  /// Warnings of the fits.
  public let warnings: [AnalysisWarning]

  /// The τ² estimator of the random-effects model next to MH or Peto when `randomMethod` is not
  /// given: REML (meta's `method.tau` default).
  public static let defaultRandomMethod = TauSquaredMethod.REML

  /// The common-effect method and τ² estimator of `settings` under meta's conventions: MH or
  /// Peto with `randomMethod` (default ``defaultRandomMethod``), or inverse variance with the τ²
  /// method of `settings.method`.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for EE, GLMM, test t,
  ///   or a `randomMethod` next to an inverse-variance method.
  public static func methods(_ s: ComparisonSettings) throws(MetaAnalysisError) -> (MetaBinCommonEffect.Method, TauSquaredMethod) {
    if s.test == .t || s.test == .adhoc {
      throw .invalidSetting(name: "test", value: s.test.rawValue, expected: "z (meta's method.random.ci = \"classic\") or knha (\"HK\") under profile meta")
    }
    if s.method == .Peto, s.measure != .OR {
      throw .invalidSetting(name: "measure", value: s.measure.rawValue, expected: "OR with the Peto method")
    }
    if s.to == .none {
      throw .invalidSetting(name: "to", value: "none", expected: "only0, all or if0all under profile meta (meta's method.incr; --add 0 for no increment)")
    }
    let tau = s.randomMethod ?? defaultRandomMethod
    guard tau.isRandomEffects else {
      throw .invalidSetting(name: "tau2 method", value: tau.rawValue, expected: "a random-effects estimator (DL, HE, HS, SJ, ML, REML, EB, PM) under profile meta")
    }
    switch s.method {
    case .MH: return (.MH, tau)
    case .Peto: return (.Peto, tau)
    case .GLMM, .EE:
      throw .invalidSetting(name: "method", value: s.method.rawValue, expected: "MH, Peto or a random-effects tau^2 method (metabin's method = \"Inverse\") under profile meta")
    default:
      if s.randomMethod != nil {
        throw .invalidSetting(name: "tau2 method", value: tau.rawValue, expected: "no --tau2-method with --method \(s.method.rawValue): the inverse-variance method is itself the tau^2 estimator")
      }
      return (.Inverse, s.method.tauSquaredMethod!)
    }
  }

  /// Runs the analysis.
  /// - Throws: ``MetaAnalysisError`` for invalid settings, no trial with an outcome, or a failed fit.
  public init(studies: [TwoArmStudy], settings: ComparisonSettings) throws(MetaAnalysisError) {
    guard !studies.isEmpty else { throw .noStudies }
    let (commonMethod, tauMethod) = try Self.methods(settings)
    let measure = settings.measure
    let effects = MetaBinEffectSizes(
      studies: studies, measure: commonMethod == .Peto ? .PETO : measure, incr: settings.add, to: settings.to,
      allStudies: settings.drop00 == false)
    var yi: [Double] = [], vi: [Double] = [], used: [Int] = []
    for i in studies.indices where effects.usable(i) {
      yi.append(effects.yi[i]); vi.append(effects.vi[i]); used.append(i)
    }
    guard !yi.isEmpty else { throw .noStudies }
    let common = try MetaBinCommonEffect.fit(
      studies: studies, effects: effects, measure: measure, method: commonMethod, level: settings.level)
    let k = effects.k
    let n = yi.count
    let cochraneQ = commonMethod == .MH && tauMethod == .DL
    let level = settings.level
    var warnings: [AnalysisWarning] = []
    let fit: ModelFit
    var q = 0.0, qp = Double.nan
    var tau2CIMethod: String? = nil
    var ci: QProfileInterval? = nil
    if cochraneQ {
      // Also for one trial: meta's Q is then w(y − θ_MH)² on 0 df (τ² NA, used as 0).
      var sw = 0.0, sw2 = 0.0
      for (y, v) in zip(yi, vi) {
        let w = 1 / v, r = y - common.summary.estimate
        q += w * r * r; sw += w; sw2 += w * w
      }
      let df = Double(n - 1)
      let tau2 = n < 2 || q <= df ? 0 : (q - df) / (sw - sw2 / sw)
      fit = try RandomEffectsModel.fit(
        yi: yi, vi: vi, method: .DL, test: settings.test, level: level, control: settings.control,
        presetTau2: TauSquaredEstimate(tau2: tau2, standardError: .nan))
    } else {
      fit = try RandomEffectsModel.fit(yi: yi, vi: vi, method: tauMethod, test: settings.test, level: level, control: settings.control)
      q = n >= 2 ? fit.q : 0
      if n >= 3 {
        let jackson = MetaConventions.usesJacksonInterval(profile: settings.profile, tauMethod: tauMethod)
        tau2CIMethod = jackson ? "J" : "QP"
        ci = jackson
          ? try GeneralisedQInterval.compute(yi: yi, vi: vi, typicalVariance: fit.typicalVariance, level: level, control: settings.control)
          : try QProfileInterval.compute(yi: yi, vi: vi, tau2: fit.tau2.tau2, typicalVariance: fit.typicalVariance, level: level, control: settings.control)
      }
    }
    warnings += fit.warnings
    let df = n - 1
    if n >= 2 {
      qp = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: Double(df)).survival(q) }
    }
    var random = fit.summary
    if k >= 2 {
      random = try MetaConventions.tPrediction(
        random, classicStandardError: (1 / fit.sumOfWeights).squareRoot(), tau2: fit.tau2.tau2, k: k, level: level)
    } else {
      random.piLower = .nan; random.piUpper = .nan
    }
    let i2 = df >= 1 ? MetaConventions.testBasedI2(q: q, degreesOfFreedom: df, level: level) : (i2: Double.nan, lower: Double.nan, upper: Double.nan)
    let tau2 = n >= 2 ? fit.tau2.tau2 : Double.nan
    let het = HeterogeneitySummary(
      tau2: tau2, tau: tau2.squareRoot(), tau2StandardError: cochraneQ ? .nan : fit.tau2.standardError,
      tau2CILower: ci?.tau2Lower ?? .nan, tau2CIUpper: ci?.tau2Upper ?? .nan,
      i2: 100 * i2.i2, i2CILower: 100 * i2.lower, i2CIUpper: 100 * i2.upper,
      h2: df >= 1 ? q / Double(df) : .nan, h2CILower: .nan, h2CIUpper: .nan,
      q: q, qDegreesOfFreedom: df, qPValue: qp)
    var randomWeights = [Double](repeating: 0, count: studies.count)
    for (j, i) in used.enumerated() { randomWeights[i] = 1 / (vi[j] + fit.tau2.tau2) }
    let notCounted = studies.indices.filter { effects.yi[$0].isNaN }.map { studies[$0].label }
    let undefined = studies.indices.filter { !effects.yi[$0].isNaN && !effects.usable($0) }.map { studies[$0].label }
    if !undefined.isEmpty {
      warnings.insert(.note("profile meta: \(undefined.count) trial(s) with an infinite outcome or a zero variance (zero cells without an increment, --add \(settings.add)) are left out of the fits: \(undefined.prefix(10).joined(separator: ", "))"), at: 0)
    }
    if !notCounted.isEmpty {
      warnings.insert(.note("profile meta: \(notCounted.count) trial(s) without an outcome (no responders, or only responders, in both arms; meta's allstudies = FALSE): \(notCounted.prefix(10).joined(separator: ", "))"), at: 0)
    }
    self.settings = settings
    self.commonMethod = commonMethod
    self.tauMethod = tauMethod
    self.effects = effects
    self.k = k
    self.common = common
    self.random = random
    self.heterogeneity = het
    self.h = TestBasedH(q: q, degreesOfFreedom: df, level: level)
    self.cochraneQ = cochraneQ
    self.tau2CIMethod = tau2CIMethod
    self.randomWeights = randomWeights
    self.warnings = warnings
  }
}
