// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// An estimate on the model scale with its standard error, Wald test and confidence interval:
/// the row of metafor's `coef(summary(res))` (estimate, se, zval or tval, pval, ci.lb, ci.ub).
///
/// The one definition of this field group: ``ModelSummary`` (the pooled estimate, with its
/// prediction interval), ``RegressionCoefficient`` (with the coefficient's name), and the
/// common-effect and conditional two-arm fits (``MantelHaenszelFit``, ``PetoFit``,
/// ``ConditionalLogisticFit``) carry one and read its fields as their own
/// (``WaldSummaryCarrying``).
public struct WaldSummary: Sendable, Hashable {
  /// The estimate.
  public var estimate: Double
  /// Its standard error.
  public var standardError: Double
  /// estimate / SE: the z statistic, or the t statistic under a t test.
  public var statistic: Double
  /// Two-sided p-value of H₀: estimate = 0.
  public var pValue: Double
  /// Lower CI bound, estimate − crit·SE.
  public var ciLower: Double
  /// Upper CI bound, estimate + crit·SE.
  public var ciUpper: Double

  /// The statistic of a z test (the name the common-effect fits used for ``statistic``).
  public var z: Double { statistic }

  /// Creates the group from its numbers.
  public init(estimate: Double, standardError: Double, statistic: Double, pValue: Double, ciLower: Double, ciUpper: Double) {
    self.estimate = estimate
    self.standardError = standardError
    self.statistic = statistic
    self.pValue = pValue
    self.ciLower = ciLower
    self.ciUpper = ciUpper
  }

  /// The z test and CI of `estimate` with standard error `se` at `level`.
  init(estimate: Double, standardError se: Double, level: ConfidenceLevel) throws(MetaAnalysisError) {
    let crit = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(level.alpha / 2) }
    let z = estimate / se
    self.init(
      estimate: estimate, standardError: se, statistic: z,
      pValue: z.isNaN ? .nan : try dist { () throws(DistributionError) in 2 * (try Normal.standard.survival(abs(z))) },
      ciLower: estimate - crit * se, ciUpper: estimate + crit * se)
  }
}

/// A value that carries a ``WaldSummary`` (`wald`); its fields read as the value's own
/// (`coefficient.estimate`, `fit.pValue`, …) through dynamic member lookup, and the stored
/// ones are set the same way (`coefficient.estimate = …` sets `wald.estimate`), as they were
/// when each type stored them itself.
@dynamicMemberLookup
public protocol WaldSummaryCarrying {
  /// The estimate, SE, test statistic, p-value and CI.
  var wald: WaldSummary { get set }
}

extension WaldSummaryCarrying {
  /// The field of ``wald`` at `keyPath` (a computed one, such as `z`).
  public subscript<T>(dynamicMember keyPath: KeyPath<WaldSummary, T>) -> T { wald[keyPath: keyPath] }

  /// The stored field of ``wald`` at `keyPath`, readable and settable.
  public subscript<T>(dynamicMember keyPath: WritableKeyPath<WaldSummary, T>) -> T {
    get { wald[keyPath: keyPath] }
    set { wald[keyPath: keyPath] = newValue }
  }
}
