// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// R meta 8.x conventions that are not plain defaults: the `meta` profile's prediction
/// interval (`method.predict = "V"`) and the test-based I² CI (`method.I2 = "Q"`).
public enum MetaConventions {
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

  /// I² with meta's test-based CI (`isquared`): I² = (H² − 1)/H² at H and at the bounds of
  /// ``TestBasedH`` (Higgins & Thompson 2002), as fractions in [0, 1).
  public static func testBasedI2(q: Double, degreesOfFreedom: Int, level: ConfidenceLevel) -> (i2: Double, lower: Double, upper: Double) {
    let h = TestBasedH(q: q, degreesOfFreedom: degreesOfFreedom, level: level)
    func i2(_ x: Double) -> Double { (x * x - 1) / (x * x) }
    return (i2(h.h), i2(h.lower), i2(h.upper))
  }
}
