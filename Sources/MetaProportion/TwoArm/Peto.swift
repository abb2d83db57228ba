// SPDX-License-Identifier: GPL-3.0-or-later

/// Peto's one-step common-effect odds ratio (Yusuf et al. 1985), as metafor's `rma.peto` with
/// its defaults for the pooled tables (uncorrected counts of every trial): with
/// Oᵢ − Eᵢ = aᵢ − (aᵢ+cᵢ)n₁ᵢ/Nᵢ and Vᵢ = (aᵢ+cᵢ)(bᵢ+dᵢ)n₁ᵢn₂ᵢ/(Nᵢ²(Nᵢ−1)),
/// ln ψ = Σ(Oᵢ−Eᵢ)/ΣVᵢ, SE = 1/√ΣVᵢ, and Q = Σ(Oᵢ−Eᵢ)²/Vᵢ − (Σ(Oᵢ−Eᵢ))²/ΣVᵢ over the tables
/// with Vᵢ > 0 (df = k_y − 1). O(k), no allocation.
public struct PetoFit: WaldSummaryCarrying, Sendable, Hashable {
  /// Number of tables k.
  public var k: Int
  /// Number of tables with an `escalc` outcome (k_y).
  public var availableTrials: Int
  /// Number of tables with Vᵢ > 0.
  public var informativeTables: Int
  /// Σ(Oᵢ − Eᵢ).
  public var observedMinusExpected: Double
  /// ΣVᵢ.
  public var sumOfVariances: Double
  /// The log odds ratio, its z test and CI.
  public var wald: WaldSummary
  /// Heterogeneity.
  public var heterogeneity: CommonEffectHeterogeneity

  /// Fits the model.
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when ΣVᵢ = 0 (one outcome never occurs).
  public static func fit(
    studies: [TwoArmStudy], effects: TwoArmEffectSizes, level: ConfidenceLevel = .ninetyFive
  ) throws(MetaAnalysisError) -> PetoFit {
    guard !studies.isEmpty else { throw .noStudies }
    var sumOE = 0.0, sumV = 0.0, sumSq = 0.0, kPos = 0
    for t in studies {
      let (a, b, c, d) = t.cells
      let n1 = a + b, n2 = c + d, n = n1 + n2, xt = a + c, yt = b + d
      let e = xt * n1 / n
      let v = xt * yt * (n1 / n) * (n2 / n) / (n - 1)
      sumOE += a - e
      sumV += v
      if v > 0 {
        kPos += 1
        sumSq += (a - e) * (a - e) / v
      }
    }
    guard sumV > 0 else {
      throw .fitFailed(reason: "one of the two outcomes (response or no response) never occurs in any trial; Peto's method cannot be used")
    }
    let wald = try WaldSummary(estimate: sumOE / sumV, standardError: (1 / sumV).squareRoot(), level: level)
    let heterogeneity = try CommonEffectHeterogeneity(
      q: sumSq - sumOE * sumOE / sumV, availableTrials: effects.availableCount, testable: kPos > 1)
    return PetoFit(
      k: studies.count, availableTrials: effects.availableCount, informativeTables: kPos,
      observedMinusExpected: sumOE, sumOfVariances: sumV, wald: wald, heterogeneity: heterogeneity)
  }
}
