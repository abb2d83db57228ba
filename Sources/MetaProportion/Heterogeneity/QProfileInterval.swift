// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// The Q-profile confidence interval for τ² (Viechtbauer 2007), with the I² and H² intervals
/// derived from its bounds, as metafor's `confint.rma.uni(type = "QP")`.
///
/// The bounds solve Q_gen(τ²) = Σwᵢ(τ²)(yᵢ − μ̂(τ²))² = χ²_{k−1, α/2 upper} (lower bound) and
/// = χ²_{k−1, α/2 lower} (upper bound), searched on [0, max(100, 10·τ̂²)] as metafor does; a
/// bound outside that range is reported at the range's end (metafor prints it with "<" / ">").
public struct QProfileInterval: Sendable, Hashable {
  /// Lower bound of τ².
  public var tau2Lower: Double
  /// Upper bound of τ².
  public var tau2Upper: Double
  /// I² bounds (percent): 100·τ²_b/(ṽ + τ²_b).
  public var i2Lower: Double
  public var i2Upper: Double
  /// H² bounds: τ²_b/ṽ + 1.
  public var h2Lower: Double
  public var h2Upper: Double
  /// The interval is empty (Q at τ² = 0 already below the lower critical value): both bounds 0.
  public var isNullSet: Bool
  /// The upper bound lies beyond the search range and is reported at its end.
  public var upperBeyondSearchRange: Bool
  /// The search range's upper end.
  public var searchMaximum: Double

  /// Computes the interval for a fitted random-effects model.
  ///
  /// - Parameters:
  ///   - yi, vi: the data the model was fitted to.
  ///   - tau2: the model's τ̂².
  ///   - typicalVariance: the model's ṽ (for the I²/H² bounds).
  ///   - level: the confidence level.
  ///   - control: root-finding tolerance and search (``RootSearch/uniroot``: metafor's
  ///     `uniroot` on the same range, at most 1000 iterations as `confint.rma.uni`).
  public static func compute(
    yi: [Double], vi: [Double], tau2: Double, typicalVariance: Double,
    level: ConfidenceLevel, control: FitControl = .tight
  ) throws(MetaAnalysisError) -> QProfileInterval {
    let k = yi.count
    guard k >= 2 else { throw .fitFailed(reason: "the Q-profile interval for tau^2 needs k >= 2") }
    let df = Double(k - 1)
    let alpha = level.alpha
    let chi = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: df) }
    let critUpper = try dist { () throws(DistributionError) in try chi.upperQuantile(alpha / 2) }
    let critLower = try dist { () throws(DistributionError) in try chi.quantile(alpha / 2) }
    let tMin = min(0, tau2)
    let tMax = max(100, 10 * tau2, 10 * tMin)
    return yi.withUnsafeBufferPointer { y in
      vi.withUnsafeBufferPointer { v in
        func qgen(_ t: Double) -> (value: Double, slope: Double) {
          let m = WeightedMoments(y: y, v: v, tau2: t)
          return (m.q, -m.qw)
        }
        func root(_ target: Double) -> Double {
          if control.rootSearch == .uniroot, let r = uniroot(
            lower: tMin, upper: tMax, fLower: qgen(tMin).value - target, fUpper: qgen(tMax).value - target,
            tolerance: control.rootTolerance, maxIterations: 1000, { qgen($0).value - target })
          {
            return r.root
          }
          return solveDecreasing(
            lo: tMin, hi: tMax, target: target, tolerance: control.rootTolerance,
            maxIterations: control.maxIterations, qgen
          ).root
        }
        let qMin = qgen(tMin).value
        let qMax = qgen(tMax).value
        var lower = Double.nan, upper = Double.nan
        var nullSet = false, beyond = false
        if qMin < critLower {
          lower = tMin; upper = tMin
          nullSet = tMin <= 0
        } else if qMax > critLower {
          upper = tMax
          beyond = true
        } else {
          upper = root(critLower)
        }
        if qMax > critUpper {
          lower = tMax; upper = tMax
          beyond = true
        } else if qMin < critUpper {
          lower = tMin
        } else {
          lower = root(critUpper)
        }
        return QProfileInterval(
          tau2Lower: lower, tau2Upper: upper, typicalVariance: typicalVariance,
          isNullSet: nullSet, upperBeyondSearchRange: beyond, searchMaximum: tMax)
      }
    }
  }
}

extension QProfileInterval {
  /// The interval with bounds τ²_l, τ²_u and the I² and H² bounds they imply, with ṽ the
  /// model's typical within-study variance: I²_b = min(100, 100·τ²_b/(ṽ + τ²_b)), H²_b = τ²_b/ṽ + 1.
  /// The one place the derived bounds are computed (Q-profile and generalised Q intervals).
  init(
    tau2Lower: Double, tau2Upper: Double, typicalVariance vt: Double,
    isNullSet: Bool, upperBeyondSearchRange: Bool, searchMaximum: Double
  ) {
    self.init(
      tau2Lower: tau2Lower, tau2Upper: tau2Upper,
      i2Lower: min(100, 100 * tau2Lower / (vt + tau2Lower)), i2Upper: min(100, 100 * tau2Upper / (vt + tau2Upper)),
      h2Lower: tau2Lower / vt + 1, h2Upper: tau2Upper / vt + 1,
      isNullSet: isNullSet, upperBeyondSearchRange: upperBeyondSearchRange, searchMaximum: searchMaximum)
  }
}
