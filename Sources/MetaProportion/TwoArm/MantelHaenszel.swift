// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// The Mantel–Haenszel common-effect estimate of an OR, RR or RD, as metafor's `rma.mh` with
/// its defaults for the pooled tables (`add[2] = 0`, `to[2] = "none"`, `drop00[2] = FALSE`):
/// the estimate and its variance use the uncorrected counts of every trial; the heterogeneity
/// statistic uses the `escalc` outcomes (``TwoArmEffectSizes``). O(k), no allocation.
///
/// With Nᵢ = n₁ᵢ + n₂ᵢ:
/// - OR: ψ = R/S, R = Σaᵢdᵢ/Nᵢ, S = Σbᵢcᵢ/Nᵢ; Var(ln ψ) by Robins, Breslow & Greenland (1986).
/// - RR: ψ = R/S, R = Σaᵢn₂ᵢ/Nᵢ, S = Σcᵢn₁ᵢ/Nᵢ; Var(ln ψ) by Greenland & Robins (1985).
/// - RD: Σ(aᵢn₂ᵢ − cᵢn₁ᵢ)/Nᵢ / Σn₁ᵢn₂ᵢ/Nᵢ; variance by Sato, Greenland & Robins (1989).
/// For OR also the Cochran–Mantel–Haenszel test and the Breslow–Day and Tarone tests.
public struct MantelHaenszelFit: WaldSummaryCarrying, Sendable, Hashable {
  /// The measure (OR, RR or RD).
  public var measure: ComparisonMeasure
  /// Number of tables k.
  public var k: Int
  /// Number of tables with an `escalc` outcome (k_y).
  public var availableTrials: Int
  /// The estimate on the model scale (log ratio, or RD) with its z test and CI.
  public var wald: WaldSummary
  /// R and S of the ratio ψ = R/S (NaN for RD).
  public var r: Double
  public var s: Double
  /// Heterogeneity around the MH estimate, with weights 1/vᵢ of the `escalc` outcomes.
  public var heterogeneity: CommonEffectHeterogeneity
  /// OR only: the Cochran–Mantel–Haenszel statistics (nil for RR and RD).
  public var cmh: CochranMantelHaenszelTest?
  /// OR only: the Breslow–Day and Tarone tests (nil for RR and RD).
  public var tarone: TaroneTest?

  /// Fits the model.
  ///
  /// - Parameters:
  ///   - studies: the trials.
  ///   - measure: OR, RR or RD.
  ///   - effects: the trials' `escalc` outcomes (for Q).
  ///   - level: confidence level.
  ///   - correct: continuity correction of ½ in the CMH test (metafor's `correct = TRUE`).
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when the ratio is undefined (R or S is 0).
  public static func fit(
    studies: [TwoArmStudy], measure: ComparisonMeasure, effects: TwoArmEffectSizes,
    level: ConfidenceLevel = .ninetyFive, correct: Bool = true
  ) throws(MetaAnalysisError) -> MantelHaenszelFit {
    guard !studies.isEmpty else { throw .noStudies }
    let k = studies.count
    var estimate = Double.nan, se = Double.nan, r = Double.nan, s = Double.nan
    var cmh: CochranMantelHaenszelTest? = nil
    var tarone: TaroneTest? = nil
    switch measure {
    case .OR:
      var sr = 0.0, ss = 0.0, pr = 0.0, psqr = 0.0, qs = 0.0
      var diff = 0.0, varCO = 0.0, varMH = 0.0, sxt = 0.0, syt = 0.0
      for t in studies {
        let (a, b, c, d) = t.cells
        let n1 = a + b, n2 = c + d, n = n1 + n2
        let p = a / n + d / n, q = b / n + c / n
        let ri = (a / n) * d, si = (b / n) * c
        sr += ri; ss += si
        pr += p * ri; psqr += p * si + q * ri; qs += q * si
        let xt = a + c, yt = b + d
        sxt += xt; syt += yt
        diff += a - (n1 / n) * xt
        varCO += (n1 / n) * (n2 / n) * (xt * (yt / n))
        varMH += (n1 / n) * (n2 / n) * (xt * (yt / (n - 1)))
      }
      guard sr > 0, ss > 0 else {
        throw .fitFailed(reason: "the Mantel-Haenszel odds ratio is undefined: \(sr == 0 ? "sum of a*d/N" : "sum of b*c/N") is 0 over all trials")
      }
      r = sr; s = ss
      estimate = Double.log(sr / ss)
      se = (0.5 * (pr / (sr * sr) + psqr / (sr * ss) + qs / (ss * ss))).squareRoot()
      if sxt > 0, syt > 0 {
        cmh = try CochranMantelHaenszelTest(difference: diff, varianceN: varCO, varianceNMinus1: varMH, correct: correct)
      }
      tarone = try TaroneTest(studies: studies, oddsRatio: sr / ss)
    case .RR:
      var sr = 0.0, ss = 0.0, num = 0.0, sa = 0.0, sc = 0.0
      for t in studies {
        let (a, b, c, d) = t.cells
        let n1 = a + b, n2 = c + d, n = n1 + n2
        sr += a * (n2 / n); ss += c * (n1 / n)
        num += (n1 / n) * (n2 / n) * (a + c) - (a / n) * c
        sa += a; sc += c
      }
      guard sa > 0, sc > 0 else {
        throw .fitFailed(reason: "the Mantel-Haenszel risk ratio is undefined: no responders in the \(sa == 0 ? "treatment" : "control") arm of any trial")
      }
      r = sr; s = ss
      estimate = Double.log(sr / ss)
      se = (num / (sr * ss)).squareRoot()
    case .RD:
      var num = 0.0, den = 0.0, v1 = 0.0, v2 = 0.0
      for t in studies {
        let (a, b, c, d) = t.cells
        let n1 = a + b, n2 = c + d, n = n1 + n2
        num += a * (n2 / n) - c * (n1 / n)
        den += n1 * (n2 / n)
        v1 += c * (n1 / n) * (n1 / n) - a * (n2 / n) * (n2 / n) + (n1 / n) * (n2 / n) * (n2 - n1) / 2
        v2 += a * (n2 - c) / n + c * (n1 - a) / n
      }
      estimate = num / den
      se = ((estimate * v1 + v2 / 2) / (den * den)).squareRoot()
    case .PETO:
      throw .invalidSetting(name: "measure", value: "PETO", expected: "OR, RR or RD with the Mantel-Haenszel method")
    }
    let wald = try WaldSummary(estimate: estimate, standardError: se, level: level)
    let heterogeneity = try CommonEffectHeterogeneity(
      q: effects.availableCount > 1 ? effects.weightedSquares(around: estimate) : 0,
      availableTrials: effects.availableCount, testable: true)
    return MantelHaenszelFit(
      measure: measure, k: k, availableTrials: effects.availableCount, wald: wald, r: r, s: s,
      heterogeneity: heterogeneity, cmh: cmh, tarone: tarone)
  }
}

/// The Cochran–Mantel–Haenszel test of OR = 1: (|Σ(aᵢ − n₁ᵢxᵢ/Nᵢ)| − ½)² divided by the
/// variance with Nᵢ (Cochran) or Nᵢ − 1 (Mantel–Haenszel) in the denominator; χ²₁.
public struct CochranMantelHaenszelTest: Sendable, Hashable {
  /// Cochran's statistic (metafor's `CO`).
  public var cochran: Double
  public var cochranPValue: Double
  /// The Mantel–Haenszel statistic (metafor's `MH`).
  public var mantelHaenszel: Double
  public var mantelHaenszelPValue: Double
  /// Whether the ½ continuity correction was used.
  public var corrected: Bool

  init(difference: Double, varianceN: Double, varianceNMinus1: Double, correct: Bool) throws(MetaAnalysisError) {
    let num = (abs(difference) - (correct ? 0.5 : 0))
    let chi = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: 1) }
    let co = num * num / varianceN, mh = num * num / varianceNMinus1
    cochran = co
    mantelHaenszel = mh
    cochranPValue = try dist { () throws(DistributionError) in try chi.survival(co) }
    mantelHaenszelPValue = try dist { () throws(DistributionError) in try chi.survival(mh) }
    corrected = correct
  }
}

/// The Breslow–Day test of a common OR and Tarone's (1985) correction of it, at the MH
/// estimate ψ: N₁₁ᵢ solves the quadratic for the expected aᵢ given the margins and ψ;
/// BD = Σ(aᵢ − N₁₁ᵢ)²·(1/N₁₁ᵢ + 1/N₁₂ᵢ + 1/N₂₁ᵢ + 1/N₂₂ᵢ) over the tables with N₁₁ᵢ > 0 and both
/// margins positive; Tarone = BD − (Σ(aᵢ − N₁₁ᵢ))² / Σ(1/N₁₁ᵢ + …)⁻¹; χ² with k_pos − 1 df.
public struct TaroneTest: Sendable, Hashable {
  /// Breslow–Day statistic.
  public var breslowDay: Double
  public var breslowDayPValue: Double
  /// Tarone's statistic.
  public var tarone: Double
  public var taronePValue: Double
  /// Number of tables used (k_pos); df = k_pos − 1. The p-values are NaN when k_pos ≤ 1.
  public var tables: Int

  init(studies: [TwoArmStudy], oddsRatio psi: Double) throws(MetaAnalysisError) {
    var bd = 0.0, sumDiff = 0.0, sumVar = 0.0, kPos = 0
    for t in studies {
      let (a, b, c, d) = t.cells
      let n1 = a + b, n2 = c + d, n = n1 + n2, xt = a + c, yt = b + d
      let n11: Double
      if psi == 1 {
        n11 = (n1 / n) * xt
      } else {
        let aa = psi * (n1 + xt) + (n2 - xt)
        let bb = (aa * aa - 4 * n1 * xt * psi * (psi - 1)).squareRoot()
        n11 = (aa - bb) / (2 * (psi - 1))
      }
      guard n11 > 0, xt > 0, yt > 0 else { continue }
      kPos += 1
      let n12 = n1 - n11, n21 = xt - n11, n22 = n11 - n1 - xt + n
      let inv = 1 / n11 + 1 / n12 + 1 / n21 + 1 / n22
      bd += (a - n11) * (a - n11) * inv
      sumDiff += a - n11
      sumVar += 1 / inv
    }
    breslowDay = max(0, bd)
    tarone = max(0, bd - sumDiff * sumDiff / sumVar)
    tables = kPos
    if kPos > 1 {
      let chi = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: Double(kPos - 1)) }
      let (b, t) = (breslowDay, tarone)
      breslowDayPValue = try dist { () throws(DistributionError) in try chi.survival(b) }
      taronePValue = try dist { () throws(DistributionError) in try chi.survival(t) }
    } else {
      breslowDayPValue = .nan
      taronePValue = .nan
    }
  }
}

extension TwoArmEffectSizes {
  /// Σwᵢ(yᵢ − μ)², wᵢ = 1/vᵢ, over the trials with an outcome (metafor's QE of `rma.mh`).
  func weightedSquares(around mu: Double) -> Double {
    var q = 0.0
    for i in 0..<yi.count where available(i) {
      let d = yi[i] - mu
      q += (1 / vi[i]) * d * d
    }
    return q
  }
}
