// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// Per-trial outcomes yᵢ and sampling variances vᵢ of two-arm trials, computed exactly as
/// metafor's `escalc(measure, ai, n1i, ci, n2i, add, to, drop00)` (`vtype = "LS"`,
/// `addyi = addvi = TRUE`).
///
/// Order of the rules, as in `escalc`: `drop00` first removes trials with no responders in
/// either arm or only responders in both (their yᵢ and vᵢ are NaN, metafor's NA); then `add` is
/// added to all four cells of the trials chosen by `to`, where a trial "has a zero cell" when
/// any of aᵢ, bᵢ, cᵢ, dᵢ is 0 (``TwoArmStudy/hasZeroCell``). With `to = none` a zero cell can
/// leave yᵢ or vᵢ = ±∞ or NaN; escalc recodes both to NA, here NaN, and the trial has no
/// outcome (``available(_:)``).
public struct TwoArmEffectSizes: Sendable, Equatable {
  /// The measure.
  public let measure: ComparisonMeasure
  /// The continuity correction.
  public let add: Double
  /// The zero-cell rule.
  public let to: ZeroCellRule
  /// Whether double-zero trials were dropped.
  public let drop00: Bool
  /// yᵢ, one per trial, in input order (NaN when dropped or undefined).
  public let yi: [Double]
  /// vᵢ, one per trial (NaN when dropped or undefined).
  public let vi: [Double]
  /// Whether the correction was added to trial i.
  public let corrected: [Bool]
  /// Whether trial i was removed by `drop00`.
  public let dropped: [Bool]

  /// Computes yᵢ and vᵢ.
  /// - Throws: ``MetaAnalysisError`` for no trials or an invalid `add`.
  public init(
    studies: [TwoArmStudy], measure: ComparisonMeasure, add: Double = 0.5, to: ZeroCellRule = .only0,
    drop00: Bool = false
  ) throws(MetaAnalysisError) {
    guard !studies.isEmpty else { throw .noStudies }
    guard add.isFinite, add >= 0 else {
      throw .invalidSetting(name: "add", value: "\(add)", expected: "a finite number ≥ 0")
    }
    self.measure = measure
    self.add = add
    self.to = to
    self.drop00 = drop00
    let anyZero = studies.contains { !(drop00 && $0.isDoubleZero) && $0.hasZeroCell }
    var yi = [Double](), vi = [Double](), corrected = [Bool](), dropped = [Bool]()
    yi.reserveCapacity(studies.count); vi.reserveCapacity(studies.count)
    corrected.reserveCapacity(studies.count); dropped.reserveCapacity(studies.count)
    for s in studies {
      if drop00 && s.isDoubleZero {
        yi.append(.nan); vi.append(.nan); corrected.append(false); dropped.append(true)
        continue
      }
      let apply: Bool
      switch to {
      case .only0: apply = s.hasZeroCell
      case .all: apply = true
      case .if0all: apply = anyZero
      case .none: apply = false
      }
      let c = apply ? add : 0
      let cells = s.cells
      var (y, v) = Self.outcome(measure, a: cells.a + c, b: cells.b + c, c: cells.c + c, d: cells.d + c)
      // escalc recodes ±∞ in yᵢ or vᵢ to NA (both).
      if y.isInfinite || v.isInfinite { (y, v) = (.nan, .nan) }
      yi.append(y); vi.append(v); corrected.append(apply && c > 0); dropped.append(false)
    }
    self.yi = yi
    self.vi = vi
    self.corrected = corrected
    self.dropped = dropped
  }

  /// Whether trial i has an outcome (metafor: neither yᵢ nor vᵢ is NA).
  public func available(_ i: Int) -> Bool { !yi[i].isNaN && !vi[i].isNaN }

  /// The number of trials with an outcome (metafor's `k.yi`).
  public var availableCount: Int { (0..<yi.count).reduce(0) { $0 + (available($1) ? 1 : 0) } }

  /// yᵢ and vᵢ of one (corrected) 2×2 table.
  @inlinable
  public static func outcome(_ measure: ComparisonMeasure, a: Double, b: Double, c: Double, d: Double) -> (Double, Double) {
    let n1 = a + b, n2 = c + d
    let p1 = a / n1, p2 = c / n2
    switch measure {
    case .OR:
      return (Double.log(p1 / (1 - p1)) - Double.log(p2 / (1 - p2)), 1 / a + 1 / b + 1 / c + 1 / d)
    case .RR:
      return (Double.log(p1) - Double.log(p2), 1 / a - 1 / n1 + 1 / c - 1 / n2)
    case .RD:
      return (p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    case .PETO:
      let n = n1 + n2
      let xt = a + c, yt = b + d
      let e = xt * n1 / n
      let v = xt * yt * (n1 / n) * (n2 / n) / (n - 1)
      return ((a - e) / v, 1 / v)
    }
  }
}
