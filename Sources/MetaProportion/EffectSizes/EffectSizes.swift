// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// Observed outcomes yᵢ and sampling variances vᵢ of a set of cohorts on one measure, computed
/// exactly as metafor's `escalc` (with `vtype = "LS"`, `addyi = addvi = TRUE`).
public struct EffectSizes: Sendable, Equatable {
  /// The measure.
  public let measure: EffectMeasure
  /// The continuity correction actually used (after the measure's default was applied).
  public let add: Double
  /// The zero-cell rule.
  public let to: ZeroCellRule
  /// yᵢ, one per cohort, in input order.
  public let yi: [Double]
  /// vᵢ, one per cohort, in input order.
  public let vi: [Double]
  /// Whether the correction was added to cohort i.
  public let corrected: [Bool]

  /// Computes yᵢ and vᵢ.
  ///
  /// - Parameters:
  ///   - studies: the cohorts (at least one).
  ///   - measure: the scale.
  ///   - add: the continuity correction; `nil` means metafor's default for the measure
  ///     (½ for PR/PLN/PLO, 0 for PAS/PFT). An explicit value is applied to every measure, as
  ///     metafor does.
  ///   - to: which cohorts receive the correction.
  /// - Throws: ``MetaAnalysisError/undefinedEffectSize(label:measure:reason:)`` when a cohort's
  ///   outcome or variance is infinite or undefined (e.g. PLO with 0 responders and no correction).
  public init(
    studies: [ProportionStudy], measure: EffectMeasure, add: Double? = nil, to: ZeroCellRule = .only0
  ) throws(MetaAnalysisError) {
    guard !studies.isEmpty else { throw .noStudies }
    let a = add ?? measure.defaultAdd
    guard a.isFinite, a >= 0 else {
      throw .invalidSetting(name: "add", value: "\(a)", expected: "a finite number ≥ 0")
    }
    let anyZero = studies.contains { $0.events == 0 || $0.events == $0.total }
    var yi = [Double](), vi = [Double](), corrected = [Bool]()
    yi.reserveCapacity(studies.count); vi.reserveCapacity(studies.count); corrected.reserveCapacity(studies.count)
    for s in studies {
      let zero = s.events == 0 || s.events == s.total
      let apply: Bool
      switch to {
      case .only0: apply = zero
      case .all: apply = true
      case .if0all: apply = anyZero
      case .none: apply = false
      }
      let c = apply ? a : 0
      let x = Double(s.events) + c
      let m = Double(s.nonEvents) + c
      let (y, v) = Self.outcome(measure: measure, x: x, m: m)
      guard y.isFinite, v.isFinite, v > 0 else {
        let reason = zero
          ? "\(s.events) of \(s.total) responders and no continuity correction (add = \(a), to = \(to.rawValue))"
          : "yi = \(y), vi = \(v)"
        throw .undefinedEffectSize(label: s.label, measure: measure, reason: reason)
      }
      yi.append(y); vi.append(v); corrected.append(apply && a != 0)
    }
    self.measure = measure
    self.add = a
    self.to = to
    self.yi = yi
    self.vi = vi
    self.corrected = corrected
  }

  /// yᵢ and vᵢ for corrected counts x (events) and m (non-events), n = x + m.
  @inlinable
  public static func outcome(measure: EffectMeasure, x: Double, m: Double) -> (y: Double, v: Double) {
    let n = x + m
    let p = x / n
    // 1 − p is written m/n, 1/x − 1/n as m/(x·n) and p/(1−p) as x/m: the same values as
    // metafor's formulas, without the cancellation that loses most digits when p is within
    // 10⁻⁹ of 1 (and makes PLN's vᵢ 0 or negative for n ≳ 10¹⁵).
    switch measure {
    case .PR:
      return (p, p * (m / n) / n)
    case .PLN:
      return (Double.log(p), (m / x) / n)
    case .PLO:
      return (Double.log(x / m), 1 / x + 1 / m)
    case .PAS:
      return (Double.asin(p.squareRoot()), 1 / (4 * n))
    case .PFT:
      return (
        0.5 * (Double.asin((x / (n + 1)).squareRoot()) + Double.asin(((x + 1) / (n + 1)).squareRoot())),
        1 / (4 * n + 2)
      )
    }
  }
}
