// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// Case-deletion diagnostics of one cohort (metafor `influence.rma.uni`; Viechtbauer & Cheung
/// 2010). JSON: an element of `influence`.
///
/// With μ̂, v̂ = Var(μ̂) (Hartung–Knapp scaled when used) and wᵢ = 1/(vᵢ + τ̂²) from the full
/// model, and μ̂₍₋ᵢ₎, v̂₍₋ᵢ₎, τ̂²₍₋ᵢ₎, s²₍₋ᵢ₎ (the Hartung–Knapp scale, 1 otherwise) from the
/// model without cohort i:
/// ```
/// hatᵢ      = wᵢ / Σw
/// rstudentᵢ = (yᵢ − μ̂₍₋ᵢ₎) / √(s²₍₋ᵢ₎ vᵢ + v̂₍₋ᵢ₎ + s²₍₋ᵢ₎ τ̂²₍₋ᵢ₎)
/// DFFITSᵢ   = (μ̂ − μ̂₍₋ᵢ₎) / √(s²₍₋ᵢ₎ · hatᵢ · (τ̂²₍₋ᵢ₎ + vᵢ))
/// Cookᵢ     = (μ̂ − μ̂₍₋ᵢ₎)² / v̂
/// COVRATIOᵢ = v̂₍₋ᵢ₎ / v̂
/// DFBETASᵢ  = (μ̂ − μ̂₍₋ᵢ₎) / √(s²₍₋ᵢ₎ / Σⱼ 1/(vⱼ + τ̂²₍₋ᵢ₎))     (sum over all k cohorts)
/// ```
public struct InfluenceRow: Sendable, Hashable {
  /// The cohort (`label`).
  public var label: String
  /// Externally standardised residual (`rstudent`).
  public var rstudent: Double
  /// DFFITS (`dffits`).
  public var dffits: Double
  /// Cook's distance (`cook_d`).
  public var cookDistance: Double
  /// Covariance ratio (`cov_r`).
  public var covarianceRatio: Double
  /// τ̂² without the cohort (`tau2_del`).
  public var tau2Deleted: Double
  /// Q without the cohort (`qe_del`).
  public var qDeleted: Double
  /// Hat value (`hat`).
  public var hat: Double
  /// Weight in percent, 100·wᵢ/Σw (`weight`).
  public var weight: Double
  /// DFBETAS of the intercept (`dfbetas`).
  public var dfbetas: Double
  /// metafor's flag (`influential`): |DFFITS| > 3√(p/(k−p)), or P(χ²₁ ≤ Cook) > 0.5, or
  /// hat > 3p/k, or |DFBETAS| > 1 (p = 1). Comparisons with NaN count as false.
  public var influential: Bool
}

/// Baujat et al. (2002) plot coordinates of one cohort (metafor `baujat`). JSON: an element of
/// `baujat`.
///
/// ```
/// x = (yᵢ − μ̂)² / (vᵢ + τ̂²)          contribution to the heterogeneity
/// y = (μ̂₍₋ᵢ₎ − μ̂)² / v̂₍₋ᵢ₎            influence on the pooled estimate
/// ```
public struct BaujatPoint: Sendable, Hashable {
  /// The cohort (`label`).
  public var label: String
  /// Contribution to the overall heterogeneity (`x`).
  public var x: Double
  /// Influence on the pooled estimate (`y`).
  public var y: Double

  /// A point of the Baujat plot.
  public init(label: String, x: Double, y: Double) {
    self.label = label
    self.x = x
    self.y = y
  }
}

/// Leave-one-out, influence and Baujat results from one set of k deletion fits.
public struct CaseDeletionAnalysis: Sendable, Hashable {
  /// `leave_one_out`.
  public var leaveOneOut: [LeaveOneOutRow]
  /// `influence`.
  public var influence: [InfluenceRow]
  /// `baujat`.
  public var baujat: [BaujatPoint]
}

extension SensitivityAnalysis {
  /// Influence diagnostics (metafor `influence`).
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when k = 1.
  public func influence() throws(MetaAnalysisError) -> [InfluenceRow] {
    try caseDeletion().influence
  }

  /// Baujat coordinates (metafor `baujat`).
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when k = 1.
  public func baujat() throws(MetaAnalysisError) -> [BaujatPoint] {
    try caseDeletion().baujat
  }

  /// Leave-one-out, influence diagnostics and Baujat coordinates from a single pass of k
  /// deletion fits.
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when k = 1.
  public func caseDeletion() throws(MetaAnalysisError) -> CaseDeletionAnalysis {
    guard k > 1 else { throw .fitFailed(reason: "case-deletion diagnostics need k ≥ 2 (stopped because k = 1)") }
    let fits = deletionFits()
    let p = 1.0
    let kd = Double(k)
    let tau2 = fit.tau2.tau2
    let mu = fit.estimate
    let vb = fit.standardError * fit.standardError
    let sw = fit.sumOfWeights
    let dffitsCut = 3 * (p / (kd - p)).squareRoot()
    let hatCut = 3 * p / kd
    let chi1 = try? ChiSquared(degreesOfFreedom: 1)
    var infl = [InfluenceRow]()
    var bj = [BaujatPoint]()
    infl.reserveCapacity(k)
    bj.reserveCapacity(k)
    for i in 0..<k {
      let wi = 1 / (vi[i] + tau2)
      var hat = wi / sw
      if hat > 1 - 10 * Double.ulpOfOne { hat = 1 }
      let weight = 100 * wi / sw
      let bx = (yi[i] - mu) * (yi[i] - mu) / (tau2 + vi[i])
      guard let f = fits[i] else {
        infl.append(InfluenceRow(
          label: labels[i], rstudent: .nan, dffits: .nan, cookDistance: .nan, covarianceRatio: .nan,
          tau2Deleted: .nan, qDeleted: .nan, hat: hat, weight: weight, dfbetas: .nan,
          influential: hat > hatCut))
        bj.append(BaujatPoint(label: labels[i], x: bx, y: .nan))
        continue
      }
      let t2 = f.tau2.tau2
      let s2 = f.scale
      let muDel = f.estimate
      let vbDel = f.standardError * f.standardError
      var resid = yi[i] - muDel
      if abs(resid) < 100 * Double.ulpOfOne { resid = 0 }
      let rstudent = resid / (vi[i] * s2 + vbDel + t2 * s2).squareRoot()
      let diff = mu - muDel
      let dffits = diff / (s2 * hat * (t2 + vi[i])).squareRoot()
      var swDel = 0.0
      for j in 0..<k { swDel += 1 / (vi[j] + t2) }
      let dfbetas = diff / (s2 / swDel).squareRoot()
      let cook = diff * diff / vb
      let covr = vbDel / vb
      var cookFlag = false
      if !cook.isNaN, let chi1, let c = try? chi1.cdf(cook) { cookFlag = c > 0.5 }
      let flag = abs(dffits) > dffitsCut || cookFlag || hat > hatCut || abs(dfbetas) > 1
      infl.append(InfluenceRow(
        label: labels[i], rstudent: rstudent, dffits: dffits, cookDistance: cook, covarianceRatio: covr,
        tau2Deleted: t2, qDeleted: f.q, hat: hat, weight: weight, dfbetas: dfbetas, influential: flag))
      bj.append(BaujatPoint(label: labels[i], x: bx, y: diff * diff / vbDel))
    }
    return CaseDeletionAnalysis(leaveOneOut: leaveOneOut(from: fits), influence: infl, baujat: bj)
  }
}
