// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The JSON contract of `orrmeta sensitivity` (documented in `Docs/sensitivity.md` and
/// `Docs/cli.md`): the pool blocks of ``PoolReport`` (`input`, `k`, `settings`, `model`,
/// `pooled`, `heterogeneity`, `warnings`), the sensitivity settings, and one key per analysis —
/// `null` when the analysis was not requested. The analyses' own blocks are the statistics
/// module's `Encodable` results; encoded by ``JSONOutput`` (as
/// ``SensitivityPipeline/render(_:format:)`` does) so that non-finite values become `null`.
public struct SensitivityReport: NullPreservingEncodable, Sendable {
  public var orrmeta_version: String
  public var input: PoolReport.Input?
  public var k: Int
  public var settings: PoolReport.Settings
  public var model: PoolReport.Model
  public var pooled: PoolReport.Pooled
  public var heterogeneity: PoolReport.Heterogeneity
  public var sensitivity_settings: SensitivitySettings
  public var leave_one_out: [LeaveOneOutRow]?
  public var influence: [InfluenceRow]?
  public var baujat: [BaujatPoint]?
  public var cumulative: [LeaveOneOutRow]?
  public var bias: Bias?
  public var trimfill: TrimAndFillResult?
  public var gosh: Gosh?
  public var bootstrap: BootstrapResult?
  public var warnings: [String]

  /// The settings of the sensitivity analyses (everything but the thread count, which never
  /// changes a result).
  public struct SensitivitySettings: NullPreservingEncodable, Sendable {
    /// The analyses run, by their JSON keys.
    public var analyses: [String]
    /// The column the cumulative analysis is ordered by (ascending, ties in file order); null:
    /// file order.
    public var order_by: String?
    /// Trim-and-fill estimator and requested side (null: estimated).
    public var trimfill_estimator: String?
    public var trimfill_side: String?
    /// The most GOSH subsets.
    public var gosh_max_subsets: Int?
    /// Bootstrap resamples.
    public var bootstrap_resamples: Int?
    /// The seed of the random GOSH subsets and the bootstrap.
    public var seed: UInt64?
    /// Iteration control of every refit.
    public var control: Control
  }

  /// The iteration settings of the refits (metafor's `control`).
  public struct Control: NullPreservingEncodable, Sendable {
    public var threshold: Double
    public var max_iterations: Int
    public var root_tolerance: Double
  }

  /// `bias`: Egger's and Peters' regression tests and Begg's rank correlation test.
  public struct Bias: NullPreservingEncodable, Sendable {
    public var egger: RegressionTest
    public var peters: RegressionTest
    public var begg: RankCorrelationResult
  }

  /// A regression test with its limit estimate back-transformed to a proportion
  /// (`limit_proportion`, `limit_proportion_ci_lower`, `limit_proportion_ci_upper`) next to the
  /// statistics module's keys.
  public struct RegressionTest: Encodable, Sendable {
    public var test: RegressionTestResult
    public var limitProportion: Double
    public var limitProportionCILower: Double
    public var limitProportionCIUpper: Double

    enum CodingKeys: String, CodingKey {
      case limitProportion = "limit_proportion", limitProportionCILower = "limit_proportion_ci_lower"
      case limitProportionCIUpper = "limit_proportion_ci_upper"
    }

    /// Encodes the test's keys, then the proportions into the same object.
    public func encode(to encoder: any Encoder) throws {
      try test.encode(to: encoder)
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(limitProportion, forKey: .limitProportion)
      try c.encode(limitProportionCILower, forKey: .limitProportionCILower)
      try c.encode(limitProportionCIUpper, forKey: .limitProportionCIUpper)
    }
  }

  /// `gosh`: what was fitted and the summary over subsets (each subset is in the CSV of
  /// `--gosh-out`).
  public struct Gosh: NullPreservingEncodable, Sendable {
    public var k: Int
    public var subsets: Int
    public var exhaustive: Bool
    /// The seed of the random subsets (null when all subsets were fitted).
    public var seed: UInt64?
    public var summary: GoshSummary
  }
}
