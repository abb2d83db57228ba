// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The JSON contract of `orrmeta pfs` (documented in `Docs/cli.md`): the weighted median of
/// cohort medians, overall and per subgroup, with both intervals and the cohorts left out.
/// Non-finite numbers are written as `null`.
public struct PFSReport: Encodable, Sendable {
  public var orrmeta_version: String
  public var input: Input
  public var settings: Settings
  public var overall: Block
  public var subgroups: [Block]?
  public var warnings: [String]
  package init(orrmeta_version: String, input: Input, settings: Settings, overall: Block, subgroups: [Block]? = nil, warnings: [String]) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.settings = settings; self.overall = overall
    self.subgroups = subgroups; self.warnings = warnings
  }

  /// Where the values came from.
  public struct Input: Encodable, Sendable {
    public var file: String
    public var value_column: String
    public var weights_column: String
    public var label_column: String?
    public var by_column: String?
    /// The row filters applied (`--exclude LABEL`, `--where COL=VALUE`); empty when none.
    public var filters: [String] = []
    package init(file: String, value_column: String, weights_column: String, label_column: String? = nil, by_column: String? = nil, filters: [String] = []) {
      self.file = file; self.value_column = value_column; self.weights_column = weights_column
      self.label_column = label_column; self.by_column = by_column; self.filters = filters
    }
  }
  /// Every method choice.
  public struct Settings: Encodable, Sendable {
    public var method: String
    public var method_name: String
    public var level: Double
    public var sign_test: String
    /// With `--ci sign-exact`: how the exact interval is built (absent otherwise).
    public var sign_test_exact: String?
    public var bootstrap: String
    public var bootstrap_replicates: Int
    public var seed: UInt64
  }
  /// The cohorts without a median.
  public struct LeftOut: Encodable, Sendable {
    public var count: Int
    public var empty: Int
    public var not_reached: Int
    public var not_reported: Int
    public var labels: [String]
  }
  /// One cohort.
  public struct Cohort: Encodable, Sendable {
    public var label: String
    public var line: Int
    public var value: Double?
    public var weight: Double?
    /// `used`, or why it was left out: `empty`, `not_reached`, `not_reported`.
    public var status: String
  }
  /// The result for all cohorts or one subgroup.
  public struct Block: Encodable, Sendable {
    public var name: String
    public var k: Int
    public var total_weight: Double?
    public var weighted_median: Double?
    public var sign_test_ci_lower: Double?
    public var sign_test_ci_upper: Double?
    public var sign_test_probabilities: [Double]?
    public var bootstrap_ci_lower: Double?
    public var bootstrap_ci_upper: Double?
    /// With `--ci sign-exact`: the exact sign-test interval and its coverage (absent when k is
    /// too small for the level; a warning says so).
    public var sign_test_exact_ci_lower: Double?
    public var sign_test_exact_ci_upper: Double?
    public var sign_test_exact_coverage: Double?
    public var minimum: Double?
    public var maximum: Double?
    public var left_out: LeftOut
    public var cohorts: [Cohort]
    public var warnings: [String]
  }

  /// Builds one block from the cohorts of a subset and their analysis (nil when none has a median).
  public static func block(name: String, cohorts: [PFSCohort], result: WeightedMedianResult?) -> Block {
    var empty = 0, notReached = 0, notReported = 0
    var leftOutLabels: [String] = []
    var rows: [Cohort] = []
    for c in cohorts {
      switch c.median {
      case let .value(v):
        rows.append(Cohort(label: c.label, line: c.line, value: v, weight: c.weight, status: "used"))
      case .empty, .notReached, .notReported:
        if c.median == .empty { empty += 1 } else if c.median == .notReached { notReached += 1 } else { notReported += 1 }
        leftOutLabels.append(c.label)
        rows.append(Cohort(label: c.label, line: c.line, value: nil, weight: c.weight, status: c.median.missingKind!))
      }
    }
    let leftOut = LeftOut(count: leftOutLabels.count, empty: empty, not_reached: notReached, not_reported: notReported, labels: leftOutLabels)
    var warnings = result?.warnings.map(\.description) ?? []
    if result == nil { warnings.append("no cohort in this subset has a median: no weighted median") }
    if notReached + empty > 0, result != nil {
      warnings.append("\(leftOut.count) cohort(s) without a median were left out; if their medians were not reached (long PFS), the weighted median is biased downwards")
    }
    return Block(
      name: name, k: result?.k ?? 0, total_weight: result.map(\.totalWeight), weighted_median: result.flatMap { finite($0.estimate) },
      sign_test_ci_lower: result.flatMap { finite($0.signTest.lower) }, sign_test_ci_upper: result.flatMap { finite($0.signTest.upper) },
      sign_test_probabilities: result.map { [$0.signTest.lowerProbability, $0.signTest.upperProbability] },
      bootstrap_ci_lower: result?.bootstrap.flatMap { finite($0.lower) }, bootstrap_ci_upper: result?.bootstrap.flatMap { finite($0.upper) },
      sign_test_exact_ci_lower: result?.exactSignTest.flatMap { finite($0.lower) },
      sign_test_exact_ci_upper: result?.exactSignTest.flatMap { finite($0.upper) },
      sign_test_exact_coverage: result?.exactSignTest.map(\.coverage),
      minimum: result.map(\.minimum), maximum: result.map(\.maximum), left_out: leftOut, cohorts: rows, warnings: warnings)
  }

  /// The settings block.
  public static func settings(_ s: WeightedMedianSettings) -> Settings {
    Settings(
      method: s.method.rawValue, method_name: s.method.name, level: s.level.percent,
      sign_test: "sign-test inversion: weighted quantiles at 0.5 -/+ min(0.5, z/(2 sqrt(k))) (McGrath et al. 2019; metamedian pool.med, norm.approx = TRUE)",
      sign_test_exact: s.exactSignTest
        ? "exact sign-test inversion: rank r = T + 1 for the largest T with 1 - 2 P(Bin(k, 1/2) <= T) >= level; weighted quantiles at r/k and (k - r + 1)/k; coverage 1 - 2 P(Bin(k, 1/2) <= T) (metamedian pool.med, norm.approx = FALSE)"
        : nil,
      bootstrap: s.bootstrapReplicates > 0
        ? "percentile bootstrap over cohorts: k cohorts drawn with replacement (SplitMix64), weighted median of each replicate, R type-7 quantiles"
        : "off",
      bootstrap_replicates: s.bootstrapReplicates, seed: s.seed)
  }
}
