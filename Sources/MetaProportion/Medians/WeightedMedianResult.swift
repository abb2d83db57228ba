// SPDX-License-Identifier: GPL-3.0-or-later

/// The sign-test-inversion interval of a (weighted) median of medians (McGrath et al. 2019,
/// 2020; metamedian `pool.med` with `norm.approx = TRUE`): the weighted quantiles at
/// probabilities ½ ∓ δ, δ = min(½, z₁₋α/₂ / (2√k)), k the number of values.
public struct SignTestInterval: Sendable, Hashable {
  /// The lower bound, the weighted quantile at ``lowerProbability``.
  public var lower: Double
  /// The upper bound, the weighted quantile at ``upperProbability``.
  public var upper: Double
  /// ½ − δ.
  public var lowerProbability: Double
  /// ½ + δ.
  public var upperProbability: Double
}

/// A percentile bootstrap interval over cohorts.
public struct BootstrapInterval: Sendable, Hashable {
  /// The α/2 quantile (R type 7) of the replicate medians.
  public var lower: Double
  /// The 1 − α/2 quantile of the replicate medians.
  public var upper: Double
  /// The number of replicates.
  public var replicates: Int
  /// The ``SplitMix64`` seed.
  public var seed: UInt64
}

/// A weighted median of values (e.g. of cohort median PFS, weighted by cohort size) with its
/// intervals.
public struct WeightedMedianResult: Sendable, Hashable {
  /// The settings used.
  public var settings: WeightedMedianSettings
  /// The weighted median.
  public var estimate: Double
  /// The number of values used, k.
  public var k: Int
  /// W = Σwᵢ (for sample-size weights, the number of patients).
  public var totalWeight: Double
  /// The smallest and largest value.
  public var minimum: Double
  public var maximum: Double
  /// The sign-test-inversion interval.
  public var signTest: SignTestInterval
  /// The bootstrap interval (nil when the bootstrap is turned off).
  public var bootstrap: BootstrapInterval?
  /// The exact sign-test interval (nil unless asked for, or when k is too small for the level).
  public var exactSignTest: ExactSignTestInterval?
  /// Warnings, in the order they arose.
  public var warnings: [AnalysisWarning]
}
