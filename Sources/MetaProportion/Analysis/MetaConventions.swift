// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// R meta 8.x conventions that are not plain defaults: the `meta` profile's prediction
/// interval (`method.predict = "V"`), the test-based I² CI (`method.I2 = "Q"`) and metaprop's
/// continuity correction of PR and PLN.
public enum MetaConventions {
  /// metaprop's yᵢ and vᵢ for PR, PLN, PAS and PFT with correction `add` (0 for a cohort that
  /// gets none). meta 8.2-1 R/metaprop.R, "(8) Calculate results for individual studies":
  /// - PR: y = x/n (never corrected), v = (x + c)(n − x + c)/(n + 2c)³;
  /// - PLN: y = log((x + c)/(n + c)), v = 1/(x + c) − 1/(n + c), or 1/x − 1/(n + c) when x = n;
  /// - PAS: y = asin √(x/n), v = 1/(4n); PFT as escalc (no correction for either).
  public static func metapropOutcome(measure: EffectMeasure, events: Int, total: Int, add c: Double) -> (y: Double, v: Double) {
    let x = Double(events), n = Double(total)
    switch measure {
    case .PR:
      let nc = n + 2 * c
      return (x / n, (x + c) * (n - x + c) / (nc * nc * nc))
    case .PLN:
      // 1/a − 1/b written (b − a)/(a·b) as escalc's PLN is, to keep digits when x is close to n.
      let a = events == total ? x : x + c
      return (Double.log((x + c) / (n + c)), ((n + c) - a) / (a * (n + c)))
    case .PLO, .PAS, .PFT:
      return EffectSizes.outcome(measure: measure, x: x, m: n - x)
    }
  }

  /// Whether τ²'s CI is Jackson's (2013) generalised-Q interval (``GeneralisedQInterval``)
  /// instead of the Q-profile: under the `meta` profile with DerSimonian–Laird, as metaprop
  /// sets `method.tau.ci = "J"` when `method.tau = "DL"` (meta 8.2-1, R/metagen.R).
  public static func usesJacksonInterval(_ settings: AnalysisSettings) -> Bool {
    usesJacksonInterval(profile: settings.profile, tauMethod: settings.method.tauSquaredMethod)
  }

  /// The same rule for any analysis with a profile and a τ² estimator (metabin's random-effects
  /// model under `compare --profile meta` too: meta sets `method.tau.ci` in `metagen` for both).
  public static func usesJacksonInterval(profile: AnalysisProfile, tauMethod: TauSquaredMethod?) -> Bool {
    profile == .meta && tauMethod == .DL
  }

  /// Whether meta's prediction interval replaces metafor's: under the `meta` profile every
  /// random-effects PI is meta 8's `method.predict = "V"`, t(k−1) with the classic SE — also
  /// under Hartung–Knapp, where metafor's `predict` uses the HK SE (meta 8.2-1 R/metagen.R,
  /// `method.predict[i] %in% c("V", "V-KR") & k > 1`: `ci(TE.random, sqrt(seTE.classic^2 +
  /// tau2.calc), level.predict, k - 1)`).
  public static func usesTPrediction(_ settings: AnalysisSettings, k: Int) -> Bool {
    settings.profile == .meta && settings.method.isRandomEffects && k >= 2
  }

  /// μ ∓ t_{k−1, 1−α/2} · √(SE² + τ²) with SE the classic (not Hartung–Knapp) standard error
  /// (meta's `ci(TE.random, sqrt(seTE.classic^2 + tau2), level, df = k − 1)`).
  public static func tPrediction(
    _ m: ModelSummary, classicStandardError se: Double, tau2: Double, k: Int, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> ModelSummary {
    let t = try dist { () throws(DistributionError) in try StudentT(degreesOfFreedom: Double(k - 1)) }
    let crit = try dist { () throws(DistributionError) in try t.upperQuantile(level.alpha / 2) }
    let half = crit * (se * se + tau2).squareRoot()
    var out = m
    out.piLower = m.estimate - half
    out.piUpper = m.estimate + half
    return out
  }

  /// Whether the common-effect model is reported: not for a three-level model under the `meta`
  /// profile, where metaprop sets `common <- FALSE` (meta 8.2-1 R/metaprop.R "(9) Additional
  /// checks for three-level model", and R/metagen.R: "No common effect method for three-level
  /// model", `TE.common <- NA`).
  public static func reportsCommonEffect(_ settings: AnalysisSettings, clustered: Bool) -> Bool {
    !(settings.profile == .meta && clustered)
  }

  /// Whether meta's GLMM is the common-effect (logistic, τ² = 0) model: for a single cohort
  /// (a subgroup of one), where metaprop sets `use.random` false and reports the common-effect
  /// fit as the random-effects one (meta 8.2-1 R/meta-aux.R `runGLMM()`: "Fallback to common
  /// effect model due to small number of studies"). orrmeta's own rule is an error (μ and τ
  /// cannot both be estimated from one cohort).
  public static func glmmFallsBackToCommonEffect(_ settings: AnalysisSettings, k: Int) -> Bool {
    settings.profile == .meta && settings.method == .GLMM && k == 1
  }

  /// The GLMM analysis of ``glmmFallsBackToCommonEffect(_:k:)``: the logistic common-effect model
  /// (z CI, no PI, as meta: its PI needs k ≥ 2), τ² = 0, Q (Cochran and Wald) 0 on 0 df.
  static func singleCohortGLMM(
    studies: [ProportionStudy], rows: [StudyResult], settings: AnalysisSettings, totalEvents: Int,
    totalN: Int, harmonicMeanN: Double
  ) throws(MetaAnalysisError) -> ProportionAnalysis {
    var (m, p) = try BinomialNormalModel.commonEffect(studies: studies, level: settings.level)
    m.piLower = .nan; m.piUpper = .nan
    p.piLower = .nan; p.piUpper = .nan
    var settings = settings
    settings.test = .z
    let het = HeterogeneitySummary(
      tau2: 0, tau: 0, tau2StandardError: .nan, tau2CILower: .nan, tau2CIUpper: .nan, i2: .nan,
      i2CILower: .nan, i2CIUpper: .nan, h2: .nan, h2CILower: .nan, h2CIUpper: .nan, q: 0,
      qDegreesOfFreedom: 0, qPValue: .nan, qWald: 0, qWaldPValue: .nan, qLRT: 0, qLRTPValue: .nan)
    return ProportionAnalysis(
      settings: settings, k: 1, totalEvents: totalEvents, totalPatients: totalN, harmonicMeanN: harmonicMeanN,
      studies: rows, model: m, pooled: p, heterogeneity: het, fit: nil, simple: nil, converged: true,
      iterations: 0,
      warnings: [.note("profile meta: one cohort: the GLMM is the common-effect logistic model (tau^2 = 0), as R meta's metaprop falls back to it")])
  }

  /// The Q that meta's H and I² are computed from: for the GLMM under the `meta` profile the
  /// Wald-type test of heterogeneity (meta 8.2-1 R/meta-aux.R `addGLMM`: `Q <- gr1$QE.Wld`,
  /// then `calcH(Q, ...)` and `isquared(Q, ...)`), otherwise Cochran's Q.
  public static func testBasedQ(_ h: HeterogeneitySummary, settings: AnalysisSettings) -> Double {
    if settings.profile == .meta, settings.method == .GLMM, let wald = h.qWald { return wald }
    return h.q
  }

  /// Under the `meta` profile, I² and its CI as meta reports them (`method.I2 = "Q"`):
  /// (Q − df)/Q with the test-based CI of ``testBasedI2(q:degreesOfFreedom:level:)``, in
  /// percent, from ``testBasedQ(_:settings:)``; unchanged under every other profile.
  public static func applyI2(_ h: inout HeterogeneitySummary, settings: AnalysisSettings) {
    guard settings.profile == .meta, h.qDegreesOfFreedom >= 1 else { return }
    let i2 = testBasedI2(q: testBasedQ(h, settings: settings), degreesOfFreedom: h.qDegreesOfFreedom, level: settings.level)
    h.i2 = 100 * i2.i2
    h.i2CILower = 100 * i2.lower
    h.i2CIUpper = 100 * i2.upper
  }

  /// How I² is defined under `settings`, in words (for the settings block).
  public static func i2Definition(_ settings: AnalysisSettings) -> String? {
    guard settings.profile == .meta else { return nil }
    return settings.method == .GLMM
      ? "100 max(0, (Q - df) / Q) from the Wald-type Q, test-based CI (R meta, method.I2 = Q)"
      : "100 max(0, (Q - df) / Q), test-based CI (R meta, method.I2 = Q; Higgins & Thompson)"
  }

  /// I² with meta's test-based CI (`isquared`): I² = (H² − 1)/H² at H and at the bounds of
  /// ``TestBasedH`` (Higgins & Thompson 2002), as fractions in [0, 1).
  public static func testBasedI2(q: Double, degreesOfFreedom: Int, level: ConfidenceLevel) -> (i2: Double, lower: Double, upper: Double) {
    let h = TestBasedH(q: q, degreesOfFreedom: degreesOfFreedom, level: level)
    func i2(_ x: Double) -> Double { (x * x - 1) / (x * x) }
    return (i2(h.h), i2(h.lower), i2(h.upper))
  }
}
