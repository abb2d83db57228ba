// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// The common-effect model of R meta's `metabin` (meta 8.2-1 R/metabin.R, "(11) Do
/// meta-analysis"), on the model scale with a Wald z CI, and its weights.
///
/// - `MH` (`MH.exact = FALSE`, meta's default): the Mantel–Haenszel estimate on the tables with
///   the increments of ``MetaBinEffectSizes`` (N′ = N + 4i):
///   - OR: Aᵢ = (a+i)(d+i)/N′, Bᵢ = (a+d+2i)/N′, Cᵢ = (b+i)(c+i)/N′, Dᵢ = (b+c+2i)/N′;
///     ψ = ΣA/ΣC, Var(ln ψ) = (ΣAB + ψ(ΣBC + ΣAD) + ψ²ΣCD)/(2(ΣA)²) (Robins, Breslow &
///     Greenland 1986); weights Cᵢ;
///   - RR: Rᵢ = (a+i)(n₂+2i)/N′, Sᵢ = (c+i)(n₁+2i)/N′,
///     Dᵢ = ((n₁+2i)(n₂+2i)(a+c+2i) − (a+i)(c+i)N′)/N′²; ψ = ΣR/ΣS, Var(ln ψ) = ΣD/(ΣRΣS)
///     (Greenland & Robins 1985); weights Sᵢ;
///   - RD: Sᵢ = (n₁+2i)(n₂+2i)/N′, Rᵢ = ((a+i)(b+i)(n₂+2i)³ + (c+i)(d+i)(n₁+2i)³)/((n₁+2i)(n₂+2i)N′²);
///     δ = Σ Sᵢyᵢ/ΣSᵢ with the uncorrected yᵢ = a/n₁ − c/n₂, Var = ΣR/(ΣS)² (Greenland & Robins
///     1985 — not metafor's Sato–Greenland–Robins variance); weights Sᵢ.
/// - `Peto` and inverse variance: Σwᵢyᵢ/Σwᵢ with wᵢ = 1/vᵢ, SE = 1/√Σwᵢ.
///
/// Trials that do not count (``MetaBinEffectSizes/counted``) contribute nothing.
public struct MetaBinCommonEffect: Sendable, Hashable {
  /// Which common-effect method.
  public enum Method: String, Sendable, Hashable, Codable {
    case MH, Peto, Inverse
  }

  /// The method.
  public var method: Method
  /// Estimate, SE, z, p and CI (PI = CI) on the model scale.
  public var summary: ModelSummary
  /// The weights (not normalised; 0 for trials without one).
  public var weights: [Double]

  /// Fits the common-effect model.
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when the estimate is undefined.
  public static func fit(
    studies: [TwoArmStudy], effects: MetaBinEffectSizes, measure: ComparisonMeasure, method: Method, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> MetaBinCommonEffect {
    var weights = [Double](repeating: 0, count: studies.count)
    let estimate: Double, se: Double
    switch method {
    case .MH:
      (estimate, se) = mantelHaenszel(studies: studies, effects: effects, measure: measure, weights: &weights)
    case .Peto, .Inverse:
      var sw = 0.0, swy = 0.0
      for i in studies.indices where effects.usable(i) {
        let w = 1 / effects.vi[i]
        weights[i] = w
        sw += w; swy += w * effects.yi[i]
      }
      (estimate, se) = (swy / sw, (1 / sw).squareRoot())
    }
    guard estimate.isFinite, se.isFinite, se > 0 else {
      throw .fitFailed(reason: "the \(method.rawValue) common-effect \(measure.rawValue) is undefined (estimate \(estimate), SE \(se)): no trial carries information")
    }
    let z = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(level.alpha / 2) }
    let statistic = estimate / se
    let p = try dist { () throws(DistributionError) in 2 * (try Normal.standard.survival(abs(statistic))) }
    let s = ModelSummary(
      estimate: estimate, standardError: se, statistic: statistic, pValue: p, ciLower: estimate - z * se,
      ciUpper: estimate + z * se, piLower: estimate - z * se, piUpper: estimate + z * se, degreesOfFreedom: nil)
    return MetaBinCommonEffect(method: method, summary: s, weights: weights)
  }

  /// meta's Mantel–Haenszel sums (see the type's documentation); `weights` receives Cᵢ or Sᵢ.
  static func mantelHaenszel(
    studies: [TwoArmStudy], effects: MetaBinEffectSizes, measure: ComparisonMeasure, weights: inout [Double]
  ) -> (estimate: Double, se: Double) {
    var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
    for (k, t) in studies.enumerated() where effects.counted[k] {
      let (a0, b0, c0, d0) = t.cells
      let i = effects.increment[k]
      let a = a0 + i, b = b0 + i, c = c0 + i, d = d0 + i
      let n1 = a + b, n2 = c + d, n = n1 + n2
      switch measure {
      case .OR, .PETO:
        let A = a * d / n, B = (a + d) / n, C = b * c / n, D = (b + c) / n
        s1 += A; s2 += C; s3 += A * B; s4 += B * C; s5 += A * D; s6 += C * D
        weights[k] = C
      case .RR:
        let R = a * n2 / n, S = c * n1 / n
        let D = (n1 * n2 * (a + c) - a * c * n) / (n * n)
        s1 += R; s2 += S; s3 += D
        weights[k] = S
      case .RD:
        let S = n1 * n2 / n
        let R = (a * b * n2 * n2 * n2 + c * d * n1 * n1 * n1) / (n1 * n2 * n * n)
        s1 += S; s2 += R; s7 += S * effects.yi[k]
        weights[k] = S
      }
    }
    switch measure {
    case .OR, .PETO:
      let psi = s1 / s2
      let v = (s3 + psi * (s4 + s5) + psi * psi * s6) / (2 * s1 * s1)
      return (Double.log(psi), v.squareRoot())
    case .RR:
      return (Double.log(s1 / s2), (s3 / (s1 * s2)).squareRoot())
    case .RD:
      return (s7 / s1, (s2 / (s1 * s1)).squareRoot())
    }
  }
}
