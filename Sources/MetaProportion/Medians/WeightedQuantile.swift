// SPDX-License-Identifier: GPL-3.0-or-later

/// The two weighted-quantile definitions of ``WeightedMedianMethod``, on values already sorted
/// in ascending order. Weights must be ≥ 0 with a positive sum; values with weight 0 are ignored
/// (the bootstrap uses them for cohorts not drawn into a replicate).
enum WeightedQuantile {
  /// The relative tolerance, times W, within which a cumulative weight counts as exactly p·W
  /// in the ``WeightedMedianMethod/cumulative`` rule. Integer weights (sample sizes) sum exactly,
  /// so for them the comparison is exact.
  static let exactnessTolerance = 1e-12

  static func quantile(values: [Double], weights: [Double], probability p: Double, method: WeightedMedianMethod) -> Double {
    switch method {
    case .cumulative: return cumulative(values: values, weights: weights, p: p)
    case .interpolated: return interpolated(values: values, weights: weights, p: p)
    }
  }

  /// First value whose cumulative weight reaches p·W; the mean with the next larger value when the
  /// cumulative weight at the end of its (tied) group equals p·W.
  static func cumulative(values: [Double], weights: [Double], p: Double) -> Double {
    let positive = values.indices.filter { weights[$0] > 0 }
    precondition(!positive.isEmpty, "at least one positive weight")
    let total = positive.reduce(0.0) { $0 + weights[$1] }
    let target = p * total
    let eps = exactnessTolerance * total
    var cumulative = 0.0
    for (n, j) in positive.enumerated() {
      cumulative += weights[j]
      let next = n + 1 < positive.count ? positive[n + 1] : nil
      // Evaluate only at the end of a group of tied values.
      if let next, values[next] == values[j] { continue }
      if cumulative >= target - eps {
        if abs(cumulative - target) <= eps, let next { return (values[j] + values[next]) / 2 }
        return values[j]
      }
    }
    return values[positive.last!]
  }

  /// Hmisc `wtd.quantile(type = "quantile")`: position h = 1 + (W − 1)p in the sample expanded by
  /// the weights, linear interpolation between the order statistics at ⌊h⌋ and ⌊h⌋ + 1.
  static func interpolated(values: [Double], weights: [Double], p: Double) -> Double {
    let positive = values.indices.filter { weights[$0] > 0 }
    precondition(!positive.isEmpty, "at least one positive weight")
    var cumulativeWeights: [Double] = []
    cumulativeWeights.reserveCapacity(positive.count)
    var c = 0.0
    for j in positive {
      c += weights[j]
      cumulativeWeights.append(c)
    }
    let total = c
    let h = 1 + (total - 1) * p
    let low = max(h.rounded(.down), 1)
    let high = min(low + 1, total)
    let fraction = h - h.rounded(.down)
    /// The smallest value whose cumulative weight is at least m (R `approx(method = "constant",
    /// f = 1, rule = 2)` on the cumulative weights).
    func orderStatistic(_ m: Double) -> Double {
      for (n, cw) in cumulativeWeights.enumerated() where cw >= m { return values[positive[n]] }
      return values[positive.last!]
    }
    return (1 - fraction) * orderStatistic(low) + fraction * orderStatistic(high)
  }

  /// The R default (type 7) quantile of unweighted values sorted ascending:
  /// position 1 + (n − 1)p, linear interpolation.
  static func type7(sorted x: [Double], p: Double) -> Double {
    precondition(!x.isEmpty)
    let h = Double(x.count - 1) * p
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, x.count - 1)
    let f = h - Double(lo)
    return x[lo] + f * (x[hi] - x[lo])
  }
}
