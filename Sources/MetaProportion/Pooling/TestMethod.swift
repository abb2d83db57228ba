// SPDX-License-Identifier: GPL-3.0-or-later

/// How the pooled estimate is tested and its CI built (metafor's `test`).
public enum TestMethod: String, CaseIterable, Sendable, Codable {
  /// Wald-type z test and normal-quantile CI; prediction interval with z (metafor's default).
  case z
  /// t distribution with k − 1 df, without rescaling the variance.
  case t
  /// Hartung–Knapp(–Sidik–Jonkman): the variance is scaled by s² = Σwᵢ(yᵢ−μ̂)²/(k−1) and the
  /// test, CI and prediction interval use t with k − 1 df.
  case knha
  /// Hartung–Knapp with the ad hoc correction s² = max(1, s²).
  case adhoc

  /// Whether the critical values come from the t distribution.
  public var usesT: Bool { self != .z }
}
