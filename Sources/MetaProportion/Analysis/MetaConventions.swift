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

  /// Whether meta's prediction interval replaces metafor's: under the `meta` profile with the
  /// classic (z) CI, meta 8 (`method.predict = "V"`) uses t(k−1) where metafor's `predict`
  /// uses z. Under `--test t` or `knha` orrmeta's PI is already t(k−1)-based.
  public static func usesTPrediction(_ settings: AnalysisSettings, k: Int) -> Bool {
    settings.profile == .meta && settings.test == .z && settings.method.isRandomEffects && k >= 2
  }

  /// μ ∓ t_{k−1, 1−α/2} · √(SE² + τ²) (meta's `ci(TE.random, seTE.predict, level, df = k − 1)`
  /// with `seTE.predict = sqrt(seTE.random^2 + tau2)`).
  public static func tPrediction(
    _ m: ModelSummary, tau2: Double, k: Int, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> ModelSummary {
    let t = try dist { () throws(DistributionError) in try StudentT(degreesOfFreedom: Double(k - 1)) }
    let crit = try dist { () throws(DistributionError) in try t.upperQuantile(level.alpha / 2) }
    let half = crit * (m.standardError * m.standardError + tau2).squareRoot()
    var out = m
    out.piLower = m.estimate - half
    out.piUpper = m.estimate + half
    return out
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
