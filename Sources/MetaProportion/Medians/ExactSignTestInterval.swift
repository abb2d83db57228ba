// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// The exact (binomial, not normal-approximation) sign-test interval of a weighted median of
/// values, as metamedian's `pool.med(yi, wi, norm.approx = FALSE)` (McGrath et al. 2019, 2020).
///
/// With k values, the coverage of the interval between the order statistics r and k − r + 1 is
/// 1 − 2·P(B ≤ r − 1), B ~ Bin(k, ½). T runs over 0…⌊k/2⌋; the coverage chosen is the smallest
/// one at or above the requested level, attained at T (rank r = T + 1). The bounds are the
/// weighted quantiles at probabilities r/k and (k − r + 1)/k.
public struct ExactSignTestInterval: Sendable, Hashable {
  /// The lower bound, the weighted quantile at ``lowerProbability``.
  public var lower: Double
  /// The upper bound, the weighted quantile at ``upperProbability``.
  public var upper: Double
  /// The exact coverage 1 − 2·P(B ≤ r − 1) (≥ the requested level).
  public var coverage: Double
  /// The rank r = T + 1.
  public var rank: Int
  /// r/k.
  public var lowerProbability: Double
  /// (k − r + 1)/k.
  public var upperProbability: Double

  /// The rank and coverage for k values at `level`, or nil when even T = 0 (coverage
  /// 1 − 2·2⁻ᵏ) falls short of the level (metamedian stops with "Not enough studies").
  public static func rank(k: Int, level: ConfidenceLevel) throws(MetaAnalysisError) -> (rank: Int, coverage: Double)? {
    guard k >= 1 else { return nil }
    let target = 1 - level.alpha
    let b = try dist { () throws(DistributionError) in try Binomial(trials: k, probability: 0.5) }
    // The coverage falls as T grows: the answer is the largest T whose coverage is ≥ target.
    var best: (Int, Double)? = nil
    for t in 0...(k / 2) {
      let coverage = 1 - 2 * (try dist { () throws(DistributionError) in try b.cdf(t) })
      guard coverage >= target else { break }
      best = (t + 1, coverage)
    }
    return best
  }

  /// The interval of a weighted sample, or nil when k is too small for the level.
  public static func compute(
    _ sample: WeightedSample, level: ConfidenceLevel, method: WeightedMedianMethod
  ) throws(MetaAnalysisError) -> ExactSignTestInterval? {
    let k = sample.count
    guard let (r, coverage) = try rank(k: k, level: level) else { return nil }
    let pl = Double(r) / Double(k), pu = Double(k - r + 1) / Double(k)
    return ExactSignTestInterval(
      lower: sample.quantile(pl, method: method), upper: sample.quantile(pu, method: method),
      coverage: coverage, rank: r, lowerProbability: pl, upperProbability: pu)
  }
}
