// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// The function that takes a pooled value from the measure's scale back to a proportion.
///
/// | case | formula | metafor |
/// |---|---|---|
/// | identity | p = t | — |
/// | exp | p = eᵗ | `exp` |
/// | inverseLogit | p = 1/(1+e⁻ᵗ) | `transf.ilogit` |
/// | inverseArcsine | p = sin²t, 0 for t < 0, 1 for t > π/2 | `transf.iarcsin` |
/// | inverseFreemanTukeyHarmonicMean | Miller (1978) with n = harmonic mean of nᵢ | `transf.ipft.hm` |
///
/// Freeman–Tukey inverse (Miller 1978), with s = sin 2t:
/// ```
/// p = ½ [1 − sgn(cos 2t) · √(1 − (s + (s − 1/s)/n)²)]
/// ```
/// set to 0 below t(0, n) and to 1 above t(1, n), where t(x, n) is the FT transform of x/n.
public enum BackTransformation: String, CaseIterable, Sendable, Codable {
  case identity
  case exp
  case inverseLogit = "ilogit"
  case inverseArcsine = "iarcsin"
  case inverseFreemanTukeyHarmonicMean = "ipft.hm"

  /// Applies the back-transformation.
  /// - Parameters:
  ///   - t: a value on the measure's scale.
  ///   - harmonicMeanN: the harmonic mean of the cohort sizes (used only by the FT inverse).
  /// - Returns: the proportion (not clamped for identity and exp; NaN where metafor gives NA).
  @inlinable
  public func apply(_ t: Double, harmonicMeanN: Double = .nan) -> Double {
    switch self {
    case .identity:
      return t
    case .exp:
      return Double.exp(t)
    case .inverseLogit:
      return t >= 0 ? 1 / (1 + Double.exp(-t)) : Double.exp(t) / (1 + Double.exp(t))
    case .inverseArcsine:
      if t < 0 { return 0 }
      if t > Double.pi / 2 { return 1 }
      let s = Double.sin(t)
      return s * s
    case .inverseFreemanTukeyHarmonicMean:
      return Self.inverseFreemanTukey(t, n: harmonicMeanN)
    }
  }

  /// Miller's inverse of the (½-scaled) Freeman–Tukey transformation for sample size n
  /// (metafor `transf.ipft`).
  @inlinable
  public static func inverseFreemanTukey(_ t: Double, n: Double) -> Double {
    if t.isNaN || n.isNaN { return .nan }
    if t > freemanTukey(proportion: 1, n: n) { return 1 }
    if t < freemanTukey(proportion: 0, n: n) { return 0 }
    let s = Double.sin(2 * t)
    let c = Double.cos(2 * t)
    let inner = s + (s - 1 / s) / n
    let root = (1 - inner * inner).squareRoot()
    let sign: Double = c > 0 ? 1 : (c < 0 ? -1 : 0)
    return 0.5 * (1 - sign * root)
  }

  /// The ½-scaled Freeman–Tukey transform of a proportion p with sample size n (metafor
  /// `transf.pft`): ½[asin √(np/(n+1)) + asin √((np+1)/(n+1))].
  @inlinable
  public static func freemanTukey(proportion p: Double, n: Double) -> Double {
    let x = p * n
    return 0.5 * (Double.asin((x / (n + 1)).squareRoot()) + Double.asin(((x + 1) / (n + 1)).squareRoot()))
  }

  /// Whether the result can fall outside [0, 1] (identity and exp), so that orrmeta clamps it.
  public var canLeaveUnitInterval: Bool { self == .identity || self == .exp }

  /// A readable name for reports.
  public var name: String {
    switch self {
    case .identity: return "none (raw proportion)"
    case .exp: return "exponential"
    case .inverseLogit: return "inverse logit"
    case .inverseArcsine: return "inverse arcsine (sin^2)"
    case .inverseFreemanTukeyHarmonicMean: return "inverse Freeman-Tukey with the harmonic mean of n (Miller 1978)"
    }
  }
}
