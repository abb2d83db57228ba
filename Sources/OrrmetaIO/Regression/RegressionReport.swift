// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The JSON contract of `orrmeta regress` (documented in `Docs/cli.md` and
/// `Docs/sensitivity.md`): the input and settings blocks of ``PoolReport``, the moderators as
/// read, the statistics module's `meta_regression` block and, when requested, the
/// `permutation_test`. Encoded by ``JSONOutput`` (as
/// ``RegressionPipeline/render(_:format:)`` does) so that non-finite values become `null`.
public struct RegressionReport: NullPreservingEncodable, Sendable {
  public var orrmeta_version: String
  public var input: PoolReport.Input?
  public var k: Int
  public var settings: PoolReport.Settings
  public var moderators: [ModeratorColumns.Column]
  /// The interactions in the model (`--interaction a:b`), as given.
  public var interactions: [String]
  public var meta_regression: MetaRegressionFit
  /// The predicted outcome at each distinct moderator pattern of the cohorts (metafor
  /// `predict(res, newmods =, transf =)`).
  public var predictions: [Prediction]
  public var permutation_test: Permutation?
  public var warnings: [String]
  /// The three-level model's levels and LRT (`regress --cluster`; null otherwise).
  public var multilevel: PoolReport.Multilevel? = nil

  /// A prediction: the moderator values (`at`, by column), on the model's scale, and
  /// back-transformed to a proportion.
  public struct Prediction: Encodable, Sendable {
    public var at: [String: String]
    public var estimate: Double
    public var se: Double
    public var ci_lower: Double
    public var ci_upper: Double
    public var pi_lower: Double
    public var pi_upper: Double
    public var proportion: Double
    public var proportion_ci_lower: Double
    public var proportion_ci_upper: Double
    public var proportion_pi_lower: Double
    public var proportion_pi_upper: Double
  }

  /// The permutation test with its seed (`seed`), next to the statistics module's keys; the
  /// `p_values` are in the order of `meta_regression.coefficients`.
  public struct Permutation: Encodable, Sendable {
    public var result: PermutationTestResult
    public var seed: UInt64

    enum CodingKeys: String, CodingKey { case seed }

    /// Encodes the result's keys, then the seed into the same object.
    public func encode(to encoder: any Encoder) throws {
      try result.encode(to: encoder)
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(seed, forKey: .seed)
    }
  }
}
