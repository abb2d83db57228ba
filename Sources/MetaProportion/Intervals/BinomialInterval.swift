// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// Confidence-interval methods for a single binomial proportion x/n, used for each cohort and
/// for simple pooling. z = Φ⁻¹(1 − α/2), p = x/n.
///
/// | method | interval |
/// |---|---|
/// | clopper-pearson | [B⁻¹(α/2; x, n−x+1), B⁻¹(1−α/2; x+1, n−x)], 0 if x = 0, 1 if x = n (R `binom.test`) |
/// | wilson | (2np + z² ± z√(z² + 4np(1−p))) / (2(n+z²)) (R `prop.test(correct=FALSE)`) |
/// | wilson-cc | Newcombe (1998) method 4, continuity-corrected score interval, clipped to [0, 1] |
/// | agresti-coull | p̃ ± z√(p̃(1−p̃)/ñ), ñ = n+z², p̃ = (x+z²/2)/ñ, clipped |
/// | jeffreys | Beta(x+½, n−x+½) quantiles; lower = 0 at x = 0, upper = 1 at x = n (Brown, Cai & DasGupta 2001) |
/// | wald | p ± z√(p(1−p)/n), clipped |
public enum BinomialIntervalMethod: String, CaseIterable, Sendable, Codable {
  case clopperPearson = "clopper-pearson"
  case wilson
  case wilsonCC = "wilson-cc"
  case agrestiCoull = "agresti-coull"
  case jeffreys
  case wald

  /// A readable name.
  public var name: String {
    switch self {
    case .clopperPearson: return "Clopper-Pearson (exact)"
    case .wilson: return "Wilson score"
    case .wilsonCC: return "Wilson score with continuity correction"
    case .agrestiCoull: return "Agresti-Coull"
    case .jeffreys: return "Jeffreys"
    case .wald: return "Wald"
    }
  }

  /// The interval for x events out of n.
  /// - Throws: for impossible counts or a failing beta quantile.
  public func interval(events x: Int, total n: Int, level: ConfidenceLevel) throws(MetaAnalysisError) -> (lower: Double, upper: Double) {
    guard n > 0, x >= 0, x <= n else {
      throw .invalidStudy(label: "\(x)/\(n)", reason: "expected 0 ≤ events ≤ n and n > 0")
    }
    let alpha = level.alpha
    let nd = Double(n), xd = Double(x)
    let p = xd / nd
    let z = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(alpha / 2) }
    let z2 = z * z
    func clip(_ v: Double) -> Double { min(1, max(0, v)) }
    switch self {
    case .clopperPearson:
      let lo = x == 0 ? 0 : try dist { () throws(DistributionError) in try BetaDistribution(a: xd, b: nd - xd + 1).quantile(alpha / 2) }
      let hi = x == n ? 1 : try dist { () throws(DistributionError) in try BetaDistribution(a: xd + 1, b: nd - xd).upperQuantile(alpha / 2) }
      return (lo, hi)
    case .jeffreys:
      let b = try dist { () throws(DistributionError) in try BetaDistribution(a: xd + 0.5, b: nd - xd + 0.5) }
      let lo = x == 0 ? 0 : try dist { () throws(DistributionError) in try b.quantile(alpha / 2) }
      let hi = x == n ? 1 : try dist { () throws(DistributionError) in try b.upperQuantile(alpha / 2) }
      return (lo, hi)
    case .wilson:
      let center = 2 * nd * p + z2
      let half = z * (z2 + 4 * nd * p * (1 - p)).squareRoot()
      let denom = 2 * (nd + z2)
      // At x = 0 (x = n) the lower (upper) bound is exactly 0 (1); the expression can round to
      // 2e-16 (1 − 2e-16), which would put p = 1 outside its own interval.
      return (x == 0 ? 0 : clip((center - half) / denom), x == n ? 1 : clip((center + half) / denom))
    case .wilsonCC:
      let denom = 2 * (nd + z2)
      let lo: Double = x == 0 ? 0 : clip(
        (2 * nd * p + z2 - 1 - z * (z2 - 2 - 1 / nd + 4 * p * (nd * (1 - p) + 1)).squareRoot()) / denom)
      let hi: Double = x == n ? 1 : clip(
        (2 * nd * p + z2 + 1 + z * (z2 + 2 - 1 / nd + 4 * p * (nd * (1 - p) - 1)).squareRoot()) / denom)
      return (lo, hi)
    case .agrestiCoull:
      let nt = nd + z2
      let pt = (xd + z2 / 2) / nt
      let half = z * (pt * (1 - pt) / nt).squareRoot()
      return (clip(pt - half), clip(pt + half))
    case .wald:
      let half = z * (p * (1 - p) / nd).squareRoot()
      return (clip(p - half), clip(p + half))
    }
  }
}
