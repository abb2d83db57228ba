// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// The weighted median of values (a "weighted median of medians" when the values are cohort
/// medians, e.g. the sample-size-weighted median of median PFS), its sign-test-inversion
/// interval and a seeded percentile bootstrap interval.
///
/// Values that are missing (a median not reached or not reported) must be left out by the
/// caller, who also reports how many were left out: a weighted median of the remaining values
/// is biased towards shorter times when the unreached medians are the longest ones.
///
/// References: McGrath S., Zhao X., Qin Z.Z., Steele R., Benedetti A. (2019), One-sample aggregate
/// data meta-analysis of medians, Statistics in Medicine 38, 969–984; McGrath S., Sohn H., Steele
/// R., Benedetti A. (2020), Meta-analysis of the difference of medians, Biometrical Journal 62,
/// 69–98 (R package metamedian, `pool.med`).
public enum WeightedMedian {
  /// Computes the weighted median and its intervals.
  ///
  /// - Sign test: δ = min(½, z/(2√k)) with z = Φ⁻¹(1 − α/2); bounds are the weighted quantiles at
  ///   ½ − δ and ½ + δ by the same ``WeightedMedianMethod`` as the estimate. With
  ///   ``WeightedMedianMethod/interpolated`` this is exactly metamedian's
  ///   `pool.med(yi, wi, norm.approx = TRUE)`.
  /// - Bootstrap: each of B replicates draws k cohorts uniformly with replacement (each keeping its
  ///   value and weight) with ``SplitMix64/nextIndex(below:)`` seeded by `settings.seed`, and
  ///   takes their weighted median; the interval is the α/2 and 1 − α/2 quantiles (R type 7) of
  ///   the B medians. The same seed gives the same interval.
  /// - Exact sign test (when `settings.exactSignTest`): ``ExactSignTestInterval``; with
  ///   ``WeightedMedianMethod/interpolated`` exactly metamedian's
  ///   `pool.med(yi, wi, norm.approx = FALSE)`.
  ///
  /// - Parameters:
  ///   - values: the cohort values (finite).
  ///   - weights: one positive weight per value (e.g. the cohort sizes).
  ///   - labels: optional names for error messages.
  ///   - settings: method, level and bootstrap.
  /// - Throws: ``MetaAnalysisError`` for empty or invalid input or an invalid replicate count.
  public static func analyze(
    values: [Double], weights: [Double], labels: [String]? = nil,
    settings: WeightedMedianSettings = .init()
  ) throws(MetaAnalysisError) -> WeightedMedianResult {
    guard settings.bootstrapReplicates >= 0, settings.bootstrapReplicates <= 10_000_000 else {
      throw .invalidSetting(
        name: "bootstrap replicates", value: "\(settings.bootstrapReplicates)", expected: "0 (no bootstrap) to 10000000")
    }
    let sample = try WeightedSample(values: values, weights: weights, labels: labels)
    let method = settings.method
    var warnings: [AnalysisWarning] = []
    let k = sample.count
    let estimate = sample.median(method: method)

    let alpha = settings.level.alpha
    let z = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(alpha / 2) }
    let delta = min(0.5, z / (2 * Double(k).squareRoot()))
    if delta == 0.5 {
      warnings.append(.fewStudies(k: k, detail: "the sign-test interval spans the smallest to the largest value (z/(2 sqrt(k)) >= 1/2)"))
    }
    let sign = SignTestInterval(
      lower: sample.quantile(0.5 - delta, method: method), upper: sample.quantile(0.5 + delta, method: method),
      lowerProbability: 0.5 - delta, upperProbability: 0.5 + delta)

    var boot: BootstrapInterval? = nil
    if settings.bootstrapReplicates > 0 {
      let medians = bootstrapMedians(sample, method: method, replicates: settings.bootstrapReplicates, seed: settings.seed)
      boot = BootstrapInterval(
        lower: WeightedQuantile.type7(sorted: medians, p: alpha / 2),
        upper: WeightedQuantile.type7(sorted: medians, p: 1 - alpha / 2),
        replicates: settings.bootstrapReplicates, seed: settings.seed)
      if k < 5 {
        warnings.append(.fewStudies(k: k, detail: "a bootstrap over fewer than 5 cohorts can take only a few distinct values"))
      }
    }
    var exact: ExactSignTestInterval? = nil
    if settings.exactSignTest {
      exact = try ExactSignTestInterval.compute(sample, level: settings.level, method: method)
      if exact == nil {
        warnings.append(.fewStudies(
          k: k, detail: "no exact sign-test interval reaches \(settings.level.percent)% coverage (the most is 1 - 2^(1-k) = \(1 - 2 * Double.pow(0.5, k)))"))
      }
    }
    return WeightedMedianResult(
      settings: settings, estimate: estimate, k: k, totalWeight: sample.totalWeight,
      minimum: sample.values.first!, maximum: sample.values.last!, signTest: sign, bootstrap: boot,
      exactSignTest: exact, warnings: warnings)
  }

  /// The weighted median alone.
  /// - Throws: ``MetaAnalysisError`` for empty or invalid input.
  public static func median(
    values: [Double], weights: [Double], method: WeightedMedianMethod = .cumulative
  ) throws(MetaAnalysisError) -> Double {
    try WeightedSample(values: values, weights: weights).median(method: method)
  }

  /// The sorted replicate medians of the cohort bootstrap. Replicate r draws k indices in turn;
  /// a cohort drawn m times enters with weight m·wᵢ.
  static func bootstrapMedians(_ sample: WeightedSample, method: WeightedMedianMethod, replicates: Int, seed: UInt64) -> [Double] {
    var rng = SplitMix64(state: seed)
    let k = sample.count
    var multiplicity = [Int](repeating: 0, count: k)
    var replicateWeights = [Double](repeating: 0, count: k)
    // Draws index positions of the input order, so that the stream of draws does not depend on
    // how ties were sorted.
    var sortedPosition = [Int](repeating: 0, count: k)
    for (position, input) in sample.inputIndices.enumerated() { sortedPosition[input] = position }
    var medians: [Double] = []
    medians.reserveCapacity(replicates)
    for _ in 0..<replicates {
      for i in 0..<k { multiplicity[i] = 0 }
      for _ in 0..<k { multiplicity[sortedPosition[rng.nextIndex(below: k)]] += 1 }
      for i in 0..<k { replicateWeights[i] = Double(multiplicity[i]) * sample.weights[i] }
      medians.append(WeightedQuantile.quantile(values: sample.values, weights: replicateWeights, probability: 0.5, method: method))
    }
    medians.sort()
    return medians
  }
}
