// SPDX-License-Identifier: GPL-3.0-or-later

/// The pooled estimate on the model's (transformed) scale: its ``WaldSummary`` (estimate, SE,
/// z or t statistic, p-value, CI), read as the summary's own fields (`summary.estimate`), with
/// the prediction interval and the t degrees of freedom.
public struct ModelSummary: WaldSummaryCarrying, Sendable, Hashable {
  /// The estimate, SE, z or t statistic, p-value and CI.
  public var wald: WaldSummary
  /// μ̂ − crit·√(SE² + τ̂²).
  public var piLower: Double
  /// μ̂ + crit·√(SE² + τ̂²).
  public var piUpper: Double
  /// t degrees of freedom, nil for z.
  public var degreesOfFreedom: Double?

  /// Creates a summary from its Wald group, PI and degrees of freedom.
  public init(wald: WaldSummary, piLower: Double, piUpper: Double, degreesOfFreedom: Double?) {
    self.wald = wald
    self.piLower = piLower
    self.piUpper = piUpper
    self.degreesOfFreedom = degreesOfFreedom
  }

  /// Creates a summary.
  public init(
    estimate: Double, standardError: Double, statistic: Double, pValue: Double,
    ciLower: Double, ciUpper: Double, piLower: Double, piUpper: Double, degreesOfFreedom: Double?
  ) {
    self.init(
      wald: WaldSummary(
        estimate: estimate, standardError: standardError, statistic: statistic, pValue: pValue, ciLower: ciLower,
        ciUpper: ciUpper),
      piLower: piLower, piUpper: piUpper, degreesOfFreedom: degreesOfFreedom)
  }

  /// The summary on a scale `factor` times the model's: estimate, SE, CI and PI times `factor`,
  /// the statistic, p-value and degrees of freedom unchanged (every inverse-variance fit is
  /// scale-equivariant; ``StataConventions/SumScale``).
  public func scaled(by factor: Double) -> ModelSummary {
    let w = wald
    return ModelSummary(
      estimate: factor * w.estimate, standardError: factor * w.standardError, statistic: w.statistic, pValue: w.pValue,
      ciLower: factor * w.ciLower, ciUpper: factor * w.ciUpper, piLower: factor * piLower, piUpper: factor * piUpper,
      degreesOfFreedom: degreesOfFreedom)
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
