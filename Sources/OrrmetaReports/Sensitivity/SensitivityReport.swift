// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The JSON contract of `orrmeta sensitivity` (documented in `Docs/sensitivity.md` and
/// `Docs/cli.md`): the pool blocks of ``PoolReport`` (`input`, `k`, `settings`, `model`,
/// `pooled`, `heterogeneity`, `warnings`), the sensitivity settings, and one key per analysis —
/// `null` when the analysis was not requested. The analyses' own blocks are the statistics
/// module's `Encodable` results; encoded by ``JSONOutput`` (as
/// ``SensitivityPipeline/render(_:format:)`` does) so that non-finite values become `null`.
package struct SensitivityReport: NullPreservingEncodable, Sendable {
  package var orrmeta_version: String
  package var input: PoolReport.Input?
  package var k: Int
  package var settings: PoolReport.Settings
  package var model: PoolReport.Model
  package var pooled: PoolReport.Pooled
  package var heterogeneity: PoolReport.Heterogeneity
  package var sensitivity_settings: SensitivitySettings
  package var leave_one_out: [LeaveOneOutRow]?
  package var influence: [InfluenceRow]?
  package var baujat: [BaujatPoint]?
  package var cumulative: [LeaveOneOutRow]?
  package var bias: Bias?
  package var trimfill: TrimAndFillResult?
  package var gosh: Gosh?
  package var bootstrap: BootstrapResult?
  package var warnings: [String]
  package init(orrmeta_version: String, input: PoolReport.Input? = nil, k: Int, settings: PoolReport.Settings, model: PoolReport.Model, pooled: PoolReport.Pooled, heterogeneity: PoolReport.Heterogeneity, sensitivity_settings: SensitivitySettings, leave_one_out: [LeaveOneOutRow]? = nil, influence: [InfluenceRow]? = nil, baujat: [BaujatPoint]? = nil, cumulative: [LeaveOneOutRow]? = nil, bias: Bias? = nil, trimfill: TrimAndFillResult? = nil, gosh: Gosh? = nil, bootstrap: BootstrapResult? = nil, warnings: [String]) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.k = k; self.settings = settings
    self.model = model; self.pooled = pooled; self.heterogeneity = heterogeneity
    self.sensitivity_settings = sensitivity_settings; self.leave_one_out = leave_one_out; self.influence = influence
    self.baujat = baujat; self.cumulative = cumulative; self.bias = bias; self.trimfill = trimfill; self.gosh = gosh
    self.bootstrap = bootstrap; self.warnings = warnings
  }

  /// The settings of the sensitivity analyses (everything but the thread count, which never
  /// changes a result).
  package struct SensitivitySettings: NullPreservingEncodable, Sendable {
    /// The analyses run, by their JSON keys.
    package var analyses: [String]
    /// The column the cumulative analysis is ordered by (ascending, ties in file order); null:
    /// file order.
    package var order_by: String?
    /// Trim-and-fill estimator and requested side (null: estimated).
    package var trimfill_estimator: String?
    package var trimfill_side: String?
    /// The most GOSH subsets.
    package var gosh_max_subsets: Int?
    /// Bootstrap resamples.
    package var bootstrap_resamples: Int?
    /// The seed of the random GOSH subsets and the bootstrap.
    package var seed: UInt64?
    /// Iteration control of every refit.
    package var control: Control
    package init(analyses: [String], order_by: String? = nil, trimfill_estimator: String? = nil, trimfill_side: String? = nil, gosh_max_subsets: Int? = nil, bootstrap_resamples: Int? = nil, seed: UInt64? = nil, control: Control) {
      self.analyses = analyses; self.order_by = order_by; self.trimfill_estimator = trimfill_estimator
      self.trimfill_side = trimfill_side; self.gosh_max_subsets = gosh_max_subsets
      self.bootstrap_resamples = bootstrap_resamples; self.seed = seed; self.control = control
    }
  }

  /// The iteration settings of the refits (metafor's `control`): the keys of a ``FitControl``.
  package struct Control: NullPreservingEncodable, Sendable {
    package var threshold: Double
    package var max_iterations: Int
    package var root_tolerance: Double
    package init(_ c: FitControl) {
      threshold = c.threshold; max_iterations = c.maxIterations; root_tolerance = c.rootTolerance
    }
  }

  /// `bias`: Egger's and Peters' regression tests and Begg's rank correlation test.
  package struct Bias: NullPreservingEncodable, Sendable {
    package var egger: RegressionTest
    package var peters: RegressionTest
    package var begg: RankCorrelationResult
    /// The tests, the regression tests' limits mapped by `proportion` (see ``RegressionTest``).
    package init(egger: RegressionTestResult, peters: RegressionTestResult, begg: RankCorrelationResult, proportion: (Double) -> Double) {
      self.egger = RegressionTest(egger, proportion: proportion); self.peters = RegressionTest(peters, proportion: proportion)
      self.begg = begg
    }
  }

  /// A regression test with its limit estimate back-transformed to a proportion
  /// (`limit_proportion`, `limit_proportion_ci_lower`, `limit_proportion_ci_upper`) next to the
  /// statistics module's keys.
  package struct RegressionTest: Encodable, Sendable {
    package var test: RegressionTestResult
    package var limitProportion: Double
    package var limitProportionCILower: Double
    package var limitProportionCIUpper: Double
    /// The test with its limit estimate and CI mapped by `proportion` (the model's
    /// back-transformation); the bounds are ordered after the mapping.
    package init(_ test: RegressionTestResult, proportion: (Double) -> Double) {
      let lo = proportion(test.limitCILower), hi = proportion(test.limitCIUpper)
      self.test = test
      limitProportion = proportion(test.limitEstimate); limitProportionCILower = min(lo, hi); limitProportionCIUpper = max(lo, hi)
    }

    enum CodingKeys: String, CodingKey {
      case limitProportion = "limit_proportion", limitProportionCILower = "limit_proportion_ci_lower"
      case limitProportionCIUpper = "limit_proportion_ci_upper"
    }

    /// Encodes the test's keys, then the proportions into the same object.
    package func encode(to encoder: any Encoder) throws {
      try test.encode(to: encoder)
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(limitProportion, forKey: .limitProportion)
      try c.encode(limitProportionCILower, forKey: .limitProportionCILower)
      try c.encode(limitProportionCIUpper, forKey: .limitProportionCIUpper)
    }
  }

  /// `gosh`: what was fitted and the summary over subsets (each subset is in the CSV of
  /// `--gosh-out`).
  package struct Gosh: NullPreservingEncodable, Sendable {
    package var k: Int
    package var subsets: Int
    package var exhaustive: Bool
    /// The seed of the random subsets (null when all subsets were fitted).
    package var seed: UInt64?
    package var summary: GoshSummary
    package init(k: Int, subsets: Int, exhaustive: Bool, seed: UInt64? = nil, summary: GoshSummary) {
      self.k = k; self.subsets = subsets; self.exhaustive = exhaustive; self.seed = seed; self.summary = summary
    }
  }
}
