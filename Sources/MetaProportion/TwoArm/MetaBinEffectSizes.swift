// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// The per-trial outcomes of R meta's `metabin` (meta 8.2-1 R/metabin.R, "(7) Continuity
/// correction" and "(8) Calculate results for individual studies"), which differ from metafor's
/// `escalc` for corrected trials. With cells a, b = n₁ − a, c, d = n₂ − c and the increment
/// i of the trial (0 when it gets none):
///
/// - which trials count: every trial for RD; for OR all but those with no responders, or only
///   responders, in both arms; for RR all but those with no responders in both arms (meta's
///   `incl`); `allstudies = TRUE` (`drop00` false) keeps them all. A trial that does not count
///   gets no outcome (NA in meta) and no increment.
/// - which trials get i = `incr` (default ½): `only0` the counted trials with a zero cell
///   (a, b, c or d = 0), `all` every counted trial, `if0all` every counted trial when one has a
///   zero cell; never for Peto.
/// - OR: y = ln((a+i)(d+i)/((b+i)(c+i))), v = 1/(a+i) + 1/(b+i) + 1/(c+i) + 1/(d+i);
/// - RR: y = ln(((a+i)/(n₁+i)) / ((c+i)/(n₂+i))), v = 1/(a+i) − 1/(n₁+i) + 1/(c+i) − 1/(n₂+i),
///   with 1/a and 1/c (no increment) when both arms have only responders (Hartung & Knapp 2001,
///   eq. 18; escalc uses n + 2i);
/// - RD: y = a/n₁ − c/n₂ (never corrected), v = (a+i)(b+i)/(n₁+2i)³ + (c+i)(d+i)/(n₂+2i)³;
/// - Peto: y = (a − E)/V, v = 1/V on the uncorrected counts (E, V as ``PetoFit``).
///
/// OR (on the corrected cells) and Peto are escalc's formulas, ``TwoArmEffectSizes/outcome(_:a:b:c:d:)``;
/// RR and RD differ (above).
public struct MetaBinEffectSizes: Sendable, Hashable {
  /// yᵢ (NaN when the trial does not count or its outcome is undefined).
  public var yi: [Double]
  /// vᵢ = seTEᵢ² (NaN or ∞ when undefined).
  public var vi: [Double]
  /// The increment added to each cell of the trial (0 when none).
  public var increment: [Double]
  /// Whether the trial counts (meta's `incl`).
  public var counted: [Bool]

  /// The outcomes of `studies` under meta's rules.
  /// - Parameters:
  ///   - measure: OR, RR, RD, or PETO (the Peto method's outcome).
  ///   - incr: meta's `incr`; `to`: meta's `method.incr` (only0, all, if0all; `none` = no increment);
  ///   - allStudies: meta's `allstudies` (keep double-zero trials for OR and RR).
  public init(studies: [TwoArmStudy], measure: ComparisonMeasure, incr: Double, to: ZeroCellRule, allStudies: Bool) {
    let k = studies.count
    var counted = [Bool](repeating: true, count: k)
    var sparse = [Bool](repeating: false, count: k)
    for (i, s) in studies.enumerated() {
      let noneBoth = s.eventsTreat == 0 && s.eventsControl == 0
      let allBoth = s.eventsTreat == s.totalTreat && s.eventsControl == s.totalControl
      switch measure {
      case .RD: counted[i] = true
      case .RR: counted[i] = allStudies || !noneBoth
      case .OR, .PETO: counted[i] = allStudies || !(noneBoth || allBoth)
      }
      sparse[i] = counted[i] && s.hasZeroCell
    }
    let anySparse = sparse.contains(true)
    var increment = [Double](repeating: 0, count: k)
    if measure != .PETO {
      for i in 0..<k where counted[i] {
        switch to {
        case .only0: increment[i] = sparse[i] ? incr : 0
        case .all: increment[i] = incr
        case .if0all: increment[i] = anySparse ? incr : 0
        case .none: increment[i] = 0
        }
      }
    }
    var yi = [Double](repeating: .nan, count: k), vi = [Double](repeating: .nan, count: k)
    for (i, s) in studies.enumerated() where counted[i] {
      let (a, b, c, d) = s.cells
      let n1 = a + b, n2 = c + d
      let inc = increment[i]
      switch measure {
      case .OR:
        (yi[i], vi[i]) = TwoArmEffectSizes.outcome(.OR, a: a + inc, b: b + inc, c: c + inc, d: d + inc)
      case .RR:
        let allBoth = b == 0 && d == 0
        let ia = allBoth ? 0 : inc
        yi[i] = Double.log(((a + inc) / (n1 + inc)) / ((c + inc) / (n2 + inc)))
        vi[i] = 1 / (a + ia) - 1 / (n1 + inc) + 1 / (c + ia) - 1 / (n2 + inc)
      case .RD:
        let m1 = n1 + 2 * inc, m2 = n2 + 2 * inc
        yi[i] = a / n1 - c / n2
        vi[i] = (a + inc) * (b + inc) / (m1 * m1 * m1) + (c + inc) * (d + inc) / (m2 * m2 * m2)
      case .PETO:
        (yi[i], vi[i]) = TwoArmEffectSizes.outcome(.PETO, a: a, b: b, c: c, d: d)
      }
      if yi[i].isNaN { vi[i] = .nan }
    }
    self.yi = yi
    self.vi = vi
    self.increment = increment
    self.counted = counted
  }

  /// Whether trial `i` has an outcome that enters the fits: finite yᵢ and 0 < vᵢ < ∞ (meta's
  /// `hetcalc` drops infinite and missing values; its weights 1/vᵢ are 0 for vᵢ = ∞).
  public func usable(_ i: Int) -> Bool { yi[i].isFinite && vi[i].isFinite && vi[i] > 0 }

  /// meta's k: the trials with an outcome that is not NA (infinite values count).
  public var k: Int { yi.indices.filter { !yi[$0].isNaN && !vi[$0].isNaN }.count }
}
