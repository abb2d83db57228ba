// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// The weighted-median flags shared by `pfs` and `reproduce`.
struct MedianOptions: ParsableArguments {
  @Option(name: .customLong("median-method"), help: "Weighted median: cumulative (default: first value whose cumulative weight reaches half the total; mean with the next at exactly half) or interpolated (Hmisc wtd.quantile, as metamedian).")
  var method: WeightedMedianMethod = .cumulative

  @Option(name: .customLong("bootstrap-replicates"), help: "Bootstrap replicates over cohorts (default 2000; 0 turns the bootstrap off).")
  var replicates: Int = WeightedMedianSettings.defaultReplicates

  @Option(help: "Seed of the bootstrap (SplitMix64; default 2026). The same seed gives the same interval.")
  var seed: UInt64 = WeightedMedianSettings.defaultSeed

  /// The settings, at `level`.
  func settings(level: ConfidenceLevel = .ninetyFive) throws -> WeightedMedianSettings {
    guard (0...1_000_000).contains(replicates) else {
      throw ValidationError("--bootstrap-replicates \(replicates) is invalid; expected 0 (no bootstrap) to 1000000")
    }
    return WeightedMedianSettings(method: method, level: level, bootstrapReplicates: replicates, seed: seed)
  }

  func validate() throws { _ = try settings() }
}
