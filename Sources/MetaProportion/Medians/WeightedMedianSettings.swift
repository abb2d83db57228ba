// SPDX-License-Identifier: GPL-3.0-or-later

/// Every choice that determines a weighted median and its confidence intervals.
public struct WeightedMedianSettings: Sendable, Hashable {
  /// How the median and the sign-test bounds are read off the weighted values (default
  /// ``WeightedMedianMethod/cumulative``).
  public var method: WeightedMedianMethod
  /// Level of both intervals (default 95 %).
  public var level: ConfidenceLevel
  /// Bootstrap replicates (default 2000; 0 turns the bootstrap off).
  public var bootstrapReplicates: Int
  /// Seed of the bootstrap's ``SplitMix64`` generator (default 2026).
  public var seed: UInt64
  /// Whether to add the exact sign-test interval (``ExactSignTestInterval``; default off).
  public var exactSignTest: Bool

  /// The default number of bootstrap replicates.
  public static let defaultReplicates = 2000
  /// The default bootstrap seed.
  public static let defaultSeed: UInt64 = 2026

  /// Creates settings; every argument has orrmeta's default.
  public init(
    method: WeightedMedianMethod = .cumulative, level: ConfidenceLevel = .ninetyFive,
    bootstrapReplicates: Int = WeightedMedianSettings.defaultReplicates,
    seed: UInt64 = WeightedMedianSettings.defaultSeed, exactSignTest: Bool = false
  ) {
    self.method = method; self.level = level; self.bootstrapReplicates = bootstrapReplicates; self.seed = seed
    self.exactSignTest = exactSignTest
  }
}
