// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// Observed outcomes yᵢ and sampling variances vᵢ of a set of cohorts on one measure, computed
/// exactly as metafor's `escalc` (with `vtype = "LS"`, `addyi = addvi = TRUE`), or as R meta's
/// `metaprop` under the `meta` profile (``Convention/metaprop``).
public struct EffectSizes: Sendable, Equatable {
  /// Whose formulas turn counts into yᵢ and vᵢ. They differ only where a correction is added
  /// (zero cells) and only for PR, PLN (and an explicit `add` with PAS/PFT).
  public enum Convention: String, Sendable, Hashable {
    /// metafor `escalc`: the correction is added to x and n − x (n grows by 2·add) in both yᵢ
    /// and vᵢ.
    case escalc
    /// R meta `metaprop` (meta 8.x, R/metaprop.R, section "(8) Calculate results for individual
    /// studies"): PR keeps yᵢ = x/n uncorrected and corrects only vᵢ =
    /// (x + c)(n − x + c)/(n + 2c)³; PLN uses yᵢ = log((x + c)/(n + c)) and vᵢ = 1/(x + c) −
    /// 1/(n + c) (1/x − 1/(n + c) when x = n; Hartung & Knapp 2001, formula 18); PAS and PFT
    /// are never corrected; PLO as escalc. See ``MetaConventions/metapropOutcome(measure:events:total:add:)``.
    case metaprop
  }

  /// Whose formulas were used.
  public let convention: Convention
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
  ///   - convention: escalc's formulas (default) or metaprop's (the `meta` profile).
  public init(
    studies: [ProportionStudy], measure: EffectMeasure, add: Double? = nil, to: ZeroCellRule = .only0,
    convention: Convention = .escalc
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
      let y: Double, v: Double
      if convention == .metaprop, measure != .PLO {
        (y, v) = MetaConventions.metapropOutcome(measure: measure, events: s.events, total: s.total, add: c)
      } else {
        (y, v) = Self.outcome(measure: measure, x: Double(s.events) + c, m: Double(s.nonEvents) + c)
      }
      guard y.isFinite, v.isFinite, v > 0 else {
        let reason = zero
          ? "\(s.events) of \(s.total) responders and no continuity correction (add = \(a), to = \(to.rawValue))"
          : "yi = \(y), vi = \(v)"
        throw .undefinedEffectSize(label: s.label, measure: measure, reason: reason)
      }
      let used = convention == .metaprop && (measure == .PAS || measure == .PFT) ? false : apply && a != 0
      yi.append(y); vi.append(v); corrected.append(used)
    }
    self.convention = convention
    self.measure = measure
    self.add = a
    self.to = to
    self.yi = yi
    self.vi = vi
    self.corrected = corrected
  }

  /// yᵢ and vᵢ under `settings` (its measure, continuity correction, zero-cell rule and, through
  /// its profile, ``AnalysisSettings/effectSizeConvention``).
  public init(studies: [ProportionStudy], settings: AnalysisSettings) throws(MetaAnalysisError) {
    try self.init(
      studies: studies, measure: settings.measure, add: settings.add, to: settings.to,
      convention: settings.effectSizeConvention)
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
