// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// The binomial intervals of the consistency check, made robust for the large counts of pooled
/// totals.
///
/// GSL's beta quantile (`gsl_cdf_beta_Pinv`/`Qinv`) can fail numerically for large shapes
/// (e.g. the Jeffreys lower bound for 3,735 of 6,382: Beta(3735.5, 2647.5)), and
/// ``BinomialIntervalMethod/interval(events:total:level:)`` then throws. For the beta-based
/// methods (Clopper–Pearson, Jeffreys) this falls back to solving F(q) = p by bisection on the beta
/// CDF (`gsl_cdf_beta_P`, which stays accurate), to |Δq| ≤ 1e-15.
enum ConsistencyInterval {
  static func interval(
    _ method: BinomialIntervalMethod, events x: Int, total n: Int, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> (lower: Double, upper: Double) {
    do {
      return try method.interval(events: x, total: n, level: level)
    } catch {
      guard case .distribution = error, method == .clopperPearson || method == .jeffreys else { throw error }
    }
    let alpha = level.alpha
    let xd = Double(x), nd = Double(n)
    switch method {
    case .clopperPearson:
      let lo = x == 0 ? 0 : try betaQuantile(a: xd, b: nd - xd + 1, p: alpha / 2)
      let hi = x == n ? 1 : try betaQuantile(a: xd + 1, b: nd - xd, p: 1 - alpha / 2)
      return (lo, hi)
    default:
      let lo = x == 0 ? 0 : try betaQuantile(a: xd + 0.5, b: nd - xd + 0.5, p: alpha / 2)
      let hi = x == n ? 1 : try betaQuantile(a: xd + 0.5, b: nd - xd + 0.5, p: 1 - alpha / 2)
      return (lo, hi)
    }
  }

  /// q with F(q; a, b) = p, by bisection on [0, 1].
  static func betaQuantile(a: Double, b: Double, p: Double) throws(MetaAnalysisError) -> Double {
    let beta = try dist { () throws(DistributionError) in try BetaDistribution(a: a, b: b) }
    var lo = 0.0, hi = 1.0
    for _ in 0..<200 {
      let mid = 0.5 * (lo + hi)
      if hi - lo <= 1e-15 { break }
      let f = try dist { () throws(DistributionError) in try beta.cdf(mid) }
      if f < p { lo = mid } else { hi = mid }
    }
    return 0.5 * (lo + hi)
  }
}
