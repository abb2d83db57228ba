// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The JSON contract of `orrmeta regress` (documented in `Docs/cli.md` and
/// `Docs/sensitivity.md`): the input and settings blocks of ``PoolReport``, the moderators as
/// read, the statistics module's `meta_regression` block and, when requested, the
/// `permutation_test`. Encoded by ``JSONOutput`` (as
/// ``RegressionPipeline/render(_:format:)`` does) so that non-finite values become `null`.
package struct RegressionReport: NullPreservingEncodable, Sendable {
  package var orrmeta_version: String
  package var input: PoolReport.Input?
  package var k: Int
  package var settings: PoolReport.Settings
  package var moderators: [ModeratorColumns.Column]
  /// The interactions in the model (`--interaction a:b`), as given.
  package var interactions: [String]
  package var meta_regression: MetaRegressionFit
  /// The predicted outcome at each distinct moderator pattern of the cohorts (metafor
  /// `predict(res, newmods =, transf =)`).
  package var predictions: [Prediction]
  package var permutation_test: Permutation?
  package var warnings: [String]
  /// The three-level model's levels and LRT (`regress --cluster`; null otherwise).
  package var multilevel: PoolReport.Multilevel? = nil
  package init(orrmeta_version: String, input: PoolReport.Input? = nil, k: Int, settings: PoolReport.Settings, moderators: [ModeratorColumns.Column], interactions: [String], meta_regression: MetaRegressionFit, predictions: [Prediction], permutation_test: Permutation? = nil, warnings: [String], multilevel: PoolReport.Multilevel? = nil) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.k = k; self.settings = settings
    self.moderators = moderators; self.interactions = interactions; self.meta_regression = meta_regression
    self.predictions = predictions; self.permutation_test = permutation_test; self.warnings = warnings
    self.multilevel = multilevel
  }

  /// A prediction: the moderator values (`at`, by column), on the model's scale (the estimate
  /// with its CI and PI, `prediction.interval`), and back-transformed to a proportion.
  package typealias Prediction = WithInterval<PredictionAt>
  /// A prediction's keys besides the model-scale interval's.
  package struct PredictionAt: Encodable, Sendable {
    package var at: [String: String]
    package var se: Double
    package var proportion: Double
    package var proportion_ci_lower: Double
    package var proportion_ci_upper: Double
    package var proportion_pi_lower: Double
    package var proportion_pi_upper: Double
    package init(at: [String: String], se: Double, proportion: Double, proportion_ci_lower: Double, proportion_ci_upper: Double, proportion_pi_lower: Double, proportion_pi_upper: Double) {
      self.at = at; self.se = se; self.proportion = proportion
      self.proportion_ci_lower = proportion_ci_lower; self.proportion_ci_upper = proportion_ci_upper
      self.proportion_pi_lower = proportion_pi_lower; self.proportion_pi_upper = proportion_pi_upper
    }
  }

  /// The permutation test with its seed (`seed`), next to the statistics module's keys; the
  /// `p_values` are in the order of `meta_regression.coefficients`.
  package struct Permutation: Encodable, Sendable {
    package var result: PermutationTestResult
    package var seed: UInt64
    package init(result: PermutationTestResult, seed: UInt64) {
      self.result = result; self.seed = seed
    }

    enum CodingKeys: String, CodingKey { case seed }

    /// Encodes the result's keys, then the seed into the same object.
    package func encode(to encoder: any Encoder) throws {
      try result.encode(to: encoder)
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(seed, forKey: .seed)
    }
  }
}
