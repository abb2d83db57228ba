// SPDX-License-Identifier: GPL-3.0-or-later

/// The pooled estimate on the model's (transformed) scale.
public struct ModelSummary: Sendable, Hashable {
  public var estimate: Double
  public var standardError: Double
  /// z or t statistic.
  public var statistic: Double
  public var pValue: Double
  public var ciLower: Double
  public var ciUpper: Double
  public var piLower: Double
  public var piUpper: Double
  /// t degrees of freedom, nil for z.
  public var degreesOfFreedom: Double?

  /// Creates a summary.
  public init(
    estimate: Double, standardError: Double, statistic: Double, pValue: Double,
    ciLower: Double, ciUpper: Double, piLower: Double, piUpper: Double, degreesOfFreedom: Double?
  ) {
    self.estimate = estimate; self.standardError = standardError; self.statistic = statistic; self.pValue = pValue
    self.ciLower = ciLower; self.ciUpper = ciUpper; self.piLower = piLower; self.piUpper = piUpper
    self.degreesOfFreedom = degreesOfFreedom
  }

  /// The summary of a fit that could not be made: every number NaN (written as `null`).
  public static let unavailable = ModelSummary(
    estimate: .nan, standardError: .nan, statistic: .nan, pValue: .nan, ciLower: .nan, ciUpper: .nan,
    piLower: .nan, piUpper: .nan, degreesOfFreedom: nil)
}

/// A fitted model whose pooled estimate, test, CI and PI on the model scale are one
/// ``ModelSummary`` (``ModelFit``, ``GLMMFit``, ``PooledComparison``); their fields read through
/// to it, so that the field group has one definition.
public protocol ModelSummaryCarrying {
  /// The pooled estimate, its SE, test, CI and PI on the model scale.
  var summary: ModelSummary { get }
}

extension ModelSummaryCarrying {
  /// The pooled estimate μ̂ on the model scale.
  public var estimate: Double { summary.estimate }
  /// SE(μ̂).
  public var standardError: Double { summary.standardError }
  /// μ̂/SE (z or t).
  public var statistic: Double { summary.statistic }
  /// Two-sided p-value of H₀: μ = 0.
  public var pValue: Double { summary.pValue }
  /// μ̂ − crit·SE.
  public var ciLower: Double { summary.ciLower }
  /// μ̂ + crit·SE.
  public var ciUpper: Double { summary.ciUpper }
  /// μ̂ − crit·√(SE² + τ̂²) (metafor `predict`).
  public var piLower: Double { summary.piLower }
  /// μ̂ + crit·√(SE² + τ̂²).
  public var piUpper: Double { summary.piUpper }
  /// t degrees of freedom, nil under z.
  public var degreesOfFreedom: Double? { summary.degreesOfFreedom }
}
