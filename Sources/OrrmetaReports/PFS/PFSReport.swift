// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The JSON contract of `orrmeta pfs` (documented in `Docs/cli.md`): the weighted median of
/// cohort medians, overall and per subgroup, with both intervals and the cohorts left out.
/// Non-finite numbers are written as `null`.
package struct PFSReport: Encodable, Sendable {
  package var orrmeta_version: String
  package var input: Input
  package var settings: Settings
  package var overall: Block
  package var subgroups: [Block]?
  package var warnings: [String]
  package init(orrmeta_version: String, input: Input, settings: Settings, overall: Block, subgroups: [Block]? = nil, warnings: [String]) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.settings = settings; self.overall = overall
    self.subgroups = subgroups; self.warnings = warnings
  }

  /// Where the values came from: the file, label and subgroup columns and row filters
  /// (``InputSource``) with the value and weight columns.
  package typealias Input = WithGroup<ValueColumns, InputSource>
  /// The `input` block's keys besides its ``InputSource``. Null-preserving, as `pool`'s
  /// `CountColumns`, so that the group writes an absent `by_column` or `label_column` as `null`.
  package struct ValueColumns: NullPreservingEncodable, Sendable {
    package var value_column: String
    package var weights_column: String
    /// The columns of a file as read.
    init(_ f: PFSFile) {
      value_column = f.valueColumn; weights_column = f.weightsColumn
    }
  }
  /// Every method choice.
  package struct Settings: Encodable, Sendable {
    package var method: String
    package var method_name: String
    package var level: Double
    package var sign_test: String
    /// With `--ci sign-exact`: how the exact interval is built (absent otherwise).
    package var sign_test_exact: String?
    package var bootstrap: String
    package var bootstrap_replicates: Int
    package var seed: UInt64
  }
  /// The cohorts without a median.
  package struct LeftOut: Encodable, Sendable {
    package var count: Int
    package var empty: Int
    package var not_reached: Int
    package var not_reported: Int
    package var labels: [String]
  }
  /// One cohort.
  package struct Cohort: Encodable, Sendable {
    package var label: String
    package var line: Int
    package var value: Double?
    package var weight: Double?
    /// `used`, or why it was left out: `empty`, `not_reached`, `not_reported`.
    package var status: String
  }
  /// The result for all cohorts or one subgroup.
  package struct Block: Encodable, Sendable {
    package var name: String
    package var k: Int
    package var total_weight: Double?
    package var weighted_median: Double?
    package var sign_test_ci_lower: Double?
    package var sign_test_ci_upper: Double?
    package var sign_test_probabilities: [Double]?
    package var bootstrap_ci_lower: Double?
    package var bootstrap_ci_upper: Double?
    /// With `--ci sign-exact`: the exact sign-test interval and its coverage (absent when k is
    /// too small for the level; a warning says so).
    package var sign_test_exact_ci_lower: Double?
    package var sign_test_exact_ci_upper: Double?
    package var sign_test_exact_coverage: Double?
    package var minimum: Double?
    package var maximum: Double?
    package var left_out: LeftOut
    package var cohorts: [Cohort]
    package var warnings: [String]
  }

  /// Builds one block from the cohorts of a subset and their analysis (nil when none has a median).
  package static func block(name: String, cohorts: [PFSCohort], result: WeightedMedianResult?) -> Block {
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
  package static func settings(_ s: WeightedMedianSettings) -> Settings {
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

extension PFSReport.Input {
  /// The block of a file as read.
  package init(_ f: PFSFile) {
    self.init(
      PFSReport.ValueColumns(f),
      group: InputSource(file: f.file, label_column: f.labelColumn, by_column: f.byColumn, filters: f.filters))
  }
}
