// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// Jackson's (2013) confidence interval for τ² from the generalised Cochran statistic with
/// weights aᵢ = 1/σᵢ (σᵢ = √vᵢ), as R meta reports it for DerSimonian–Laird
/// (`method.tau.ci = "J"`, metafor `confint(rma.uni(..., weights = 1/sei, method = "GENQ"))`).
///
/// Q_a = Σ aᵢ (yᵢ − ȳ_a)², ȳ_a = Σaᵢyᵢ / Σaᵢ. With P = A − a aᵀ/Σa (A = diag(a)) and
/// S(τ²) = diag(√(vᵢ + τ²)), Q_a is distributed as Σⱼ λⱼ(τ²) χ²₁ with λ₁ ≥ … ≥ λ_{k−1} the
/// non-zero eigenvalues of S P S = diag(aᵢ(vᵢ + τ²)) − z zᵀ, zᵢ = aᵢ√(vᵢ + τ²)/√Σa: a
/// diagonal matrix minus a rank-one one, whose eigenvalues are the roots of a secular equation
/// between consecutive diagonal values (`rankOneDowndateEigenvalues`, O(k) memory, O(k²)
/// time). F(τ²) = P(Q_a > q_a; τ²) increases with τ², and the bounds solve F(τ²_L) = α/2 and
/// F(τ²_U) = 1 − α/2 on [0, max(100, 10·τ̂²_GENQ)], where
/// τ̂²_GENQ = max(0, (q_a − tr(PV))/tr(P)) is the generalised method-of-moments estimate metafor
/// fits first. F is ``WeightedChiSquareDistribution`` (Farebrother's AS 204 as CompQuadForm).
/// A bound outside the range is reported at its end; when F(0) > 1 − α/2 the interval is the
/// empty set reported as [0, 0].
///
/// Jackson D (2013). Confidence intervals for the between-study variance in random effects
/// meta-analysis using generalised Cochran heterogeneity statistics. Res Synth Methods
/// 4:220–229.
public enum GeneralisedQInterval {
  /// Computes the interval; I²/H² bounds from ṽ as ``QProfileInterval`` does.
  public static func compute(
    yi: [Double], vi: [Double], typicalVariance: Double, level: ConfidenceLevel, control: FitControl = .tight
  ) throws(MetaAnalysisError) -> QProfileInterval {
    let k = yi.count
    guard k >= 2, vi.allSatisfy({ $0 > 0 && $0.isFinite }), yi.allSatisfy(\.isFinite) else {
      throw .fitFailed(reason: "the generalised Q interval for tau^2 needs k >= 2, finite outcomes and positive, finite sampling variances")
    }
    let a = vi.map { 1 / $0.squareRoot() }
    let sa = a.reduce(0, +)
    let ybar = zip(a, yi).reduce(0) { $0 + $1.0 * $1.1 } / sa
    let q = zip(a, yi).reduce(0) { $0 + $1.0 * ($1.1 - ybar) * ($1.1 - ybar) }
    // P = A − a aᵀ / Σa: its diagonal aᵢ − aᵢ²/Σa gives tr(P) and tr(PV).
    let trP = (0..<k).reduce(0) { $0 + (a[$1] - a[$1] * a[$1] / sa) }
    let trPV = (0..<k).reduce(0) { $0 + (a[$1] - a[$1] * a[$1] / sa) * vi[$1] }
    let tau2Genq = max(0, (q - trPV) / trP)
    let tMin = 0.0
    let tMax = max(100, 10 * tau2Genq, 10 * tMin)
    // S P S = D − z zᵀ with D = diag(aᵢ(vᵢ + τ²)) and zᵢ = aᵢ √(vᵢ + τ²) / √Σa: its eigenvalues
    // from the secular equation (no k × k matrix); the smallest is 0 (S P S S⁻¹1 = 0), dropped.
    var diagonal = [Double](repeating: 0, count: k), squaredUpdate = [Double](repeating: 0, count: k)
    func upper(_ t: Double) -> Double {
      for i in 0..<k {
        diagonal[i] = a[i] * (vi[i] + t)
        squaredUpdate[i] = a[i] * a[i] * (vi[i] + t) / sa
      }
      let lambda = Array(rankOneDowndateEigenvalues(diagonal: diagonal, squaredUpdate: squaredUpdate).prefix(k - 1))
      return WeightedChiSquareDistribution.upperTail(q, weights: lambda)
    }
    let alpha = level.alpha
    // metafor's objective functions exactly (`.GENQ.func`): Qq − α/2 for the lower bound,
    // (1 − Qq) − α/2 for the upper, so `uniroot` sees the same values and takes the same steps.
    func root(lowerBound: Bool, _ fMin: Double, _ fMax: Double) -> Double {
      let f = { (t: Double) in lowerBound ? upper(t) - alpha / 2 : (1 - upper(t)) - alpha / 2 }
      let eMin = lowerBound ? fMin - alpha / 2 : (1 - fMin) - alpha / 2
      let eMax = lowerBound ? fMax - alpha / 2 : (1 - fMax) - alpha / 2
      if control.rootSearch == .uniroot, let r = uniroot(
        lower: tMin, upper: tMax, fLower: eMin, fUpper: eMax,
        tolerance: control.rootTolerance, maxIterations: 1000, f)
      {
        return r.root
      }
      // Bisection to the control's tolerance (Qq increases in τ²).
      let increasing = lowerBound
      var lo = tMin, hi = tMax
      for _ in 0..<max(control.maxIterations, 200) where hi - lo > control.rootTolerance * max(1, abs(lo)) {
        let mid = 0.5 * (lo + hi)
        if (f(mid) < 0) == increasing { lo = mid } else { hi = mid }
      }
      return 0.5 * (lo + hi)
    }
    let fMin = upper(tMin), fMax = upper(tMax)
    var lower = Double.nan, upperBound = Double.nan
    var nullSet = false, beyond = false
    if fMin > 1 - alpha / 2 {
      lower = tMin; upperBound = tMin
      nullSet = true
    } else if fMax < 1 - alpha / 2 {
      upperBound = tMax
      beyond = true
    } else {
      upperBound = root(lowerBound: false, fMin, fMax)
    }
    if fMax < alpha / 2 {
      lower = tMax; upperBound = tMax
      beyond = true
    } else if fMin > alpha / 2 {
      lower = tMin
    } else {
      lower = root(lowerBound: true, fMin, fMax)
    }
    return QProfileInterval(
      tau2Lower: lower, tau2Upper: upperBound, typicalVariance: typicalVariance,
      isNullSet: nullSet, upperBeyondSearchRange: beyond, searchMaximum: tMax)
  }
}
