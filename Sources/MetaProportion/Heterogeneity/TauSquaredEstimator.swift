// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// Estimates τ² in an intercept-only model in O(k) per evaluation, following metafor's
/// `rma.uni` code paths (starting values, truncation, step-halving, log-likelihood check and the
/// standard errors of τ̂²), with the k×k matrices replaced by the sums of ``WeightedMoments``.
/// No heap allocation.
///
/// Requires k ≥ 2 and every vᵢ > 0 (k = 1 is handled by the model: τ² = 0).
public enum TauSquaredEstimator {
  /// Estimates τ² from yᵢ and vᵢ.
  ///
  /// - Parameters:
  ///   - y: the outcomes yᵢ.
  ///   - v: the sampling variances vᵢ (all > 0).
  ///   - method: the estimator.
  ///   - control: iteration settings.
  @inlinable
  public static func estimate(
    y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>,
    method: TauSquaredMethod, control: FitControl = .tight
  ) -> TauSquaredEstimate {
    var cache = MomentCache()
    return estimate(y: y, v: v, method: method, control: control, cache: &cache)
  }

  /// As ``estimate(y:v:method:control:)``, leaving the moments it computed at τ² = 0 and at τ̂²
  /// in `cache` for the model fit.
  @inlinable
  static func estimate(
    y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>,
    method: TauSquaredMethod, control: FitControl, cache: inout MomentCache
  ) -> TauSquaredEstimate {
    guard let yp = y.baseAddress, let vp = v.baseAddress, y.count >= 2 else {
      return TauSquaredEstimate(tau2: 0, standardError: .nan)
    }
    let n = y.count
    let k = Double(n)
    let df = k - 1
    switch method {
    case .EE:
      return TauSquaredEstimate(tau2: 0, standardError: .nan)

    case .DL:
      let m = WeightedMoments(y: yp, v: vp, count: n, tau2: 0)
      cache.atZero = m
      let trP = m.traceP
      let raw = (m.q - df) / trP
      let t = max(0, raw)
      let se = ((2 * df + 4 * t * trP + 2 * t * t * m.tracePP) / (trP * trP)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se, truncatedAtZero: raw < 0)

    case .HS:
      let m = WeightedMoments(y: yp, v: vp, count: n, tau2: 0)
      cache.atZero = m
      let raw = (m.q - k) / m.sw
      let t = max(0, raw)
      let se = ((2 * df + 4 * t * m.traceP + 2 * t * t * m.tracePP) / (m.sw * m.sw)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se, truncatedAtZero: raw < 0)

    case .HE:
      let u = UnweightedMoments(y: yp, v: vp, count: n)
      let raw = hedges(u, k: k)
      let t = max(0, raw)
      // tr(PV) = (1 − 1/k)Σv; tr(PVPV) = (1 − 2/k)Σv² + (Σv)²/k² with P = I − J/k.
      let trPV = (1 - 1 / k) * u.sv
      let trPVPV = (1 - 2 / k) * u.sv2 + (u.sv * u.sv) / (k * k)
      let se = ((2 * trPVPV + 4 * t * trPV + 2 * t * t * df) / (df * df)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se, truncatedAtZero: raw < 0)

    case .SJ:
      let u = UnweightedMoments(y: yp, v: vp, count: n)
      let t0 = u.ss / k
      let m = WeightedMoments(y: yp, v: vp, count: n, tau2: t0)
      let t = max(0, t0 * m.q / df)
      // sum(PV∘P) and tr(PVPV) with P from wᵢ = 1/(vᵢ + τ₀²).
      var sw2v = 0.0, sw3v = 0.0, sw2v2 = 0.0, sw3v2 = 0.0
      for i in 0..<n {
        let w = 1 / (v[i] + t0)
        let w2 = w * w
        sw2v += w2 * v[i]
        sw3v += w2 * w * v[i]
        sw2v2 += w2 * v[i] * v[i]
        sw3v2 += w2 * w * v[i] * v[i]
      }
      let s = m.sw
      let trPVPV = sw2v2 - 2 * sw3v2 / s + (sw2v * sw2v) / (s * s)
      let sumPVP = sw2v - 2 * sw3v / s + m.sw2 * sw2v / (s * s)
      // The sums above can cancel to a tiny negative when one weight dominates; the variance
      // they estimate is ≥ 0.
      let se = max(0, (t0 * t0 / (df * df)) * (2 * trPVPV + 4 * t * sumPVP + 2 * t * t * m.tracePP)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se)

    case .PM:
      return pauleMandel(y: yp, v: vp, count: n, control: control, cache: &cache)

    case .ML, .REML, .EB:
      return likelihood(y: yp, v: vp, count: n, method: method, control: control, cache: &cache)
    }
  }

  /// Hedges' estimator before truncation: Σ(yᵢ−ȳ)²/(k−1) − mean(vᵢ).
  @inlinable
  static func hedges(_ u: UnweightedMoments, k: Double) -> Double {
    (u.ss - (1 - 1 / k) * u.sv) / (k - 1)
  }

  /// The SE metafor gives EB, PM (and SJIT): √(2k²/(k−1)) / Σwᵢ at the final τ².
  @inlinable
  static func momentSE(k: Int, sw: Double) -> Double {
    let k = Double(k)
    return (2 * k * k / (k - 1)).squareRoot() / sw
  }

  /// Paule–Mandel: the root of Σwᵢ(yᵢ − μ̂(τ²))² = k − 1, or 0 when the left side is already
  /// below k − 1 at τ² = 0 (``PauleMandelRoot``).
  @inlinable
  static func pauleMandel(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int, control: FitControl,
    cache: inout MomentCache
  ) -> TauSquaredEstimate {
    let at0 = WeightedMoments(y: y, v: v, count: n, tau2: 0)
    cache.atZero = at0
    if at0.q < Double(n - 1) {
      cache.atEstimate = at0
      return TauSquaredEstimate(tau2: 0, standardError: momentSE(k: n, sw: at0.sw), truncatedAtZero: true)
    }
    let dl = (at0.q - Double(n - 1)) / at0.traceP
    let r = PauleMandelRoot.solve(y: y, v: v, count: n, shift: at0.mean, start: dl, control: control)
    let m = WeightedMoments(y: y, v: v, count: n, tau2: r.root)
    cache.atEstimate = m
    var estimate = TauSquaredEstimate(
      tau2: r.root, standardError: momentSE(k: n, sw: m.sw), converged: r.converged, iterations: r.iterations)
    estimate.beyondMetaforSearchRange = r.beyondMetaforRange
    return estimate
  }

  /// ML, REML and EB (``LikelihoodIteration``), with metafor's standard errors.
  @inlinable
  static func likelihood(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int,
    method: TauSquaredMethod, control: FitControl, cache: inout MomentCache
  ) -> TauSquaredEstimate {
    let r = LikelihoodIteration.solve(y: y, v: v, count: n, method: method, control: control)
    let m = WeightedMoments(y: y, v: v, count: n, tau2: r.tau2)
    cache.atEstimate = m
    if r.tau2 == 0 { cache.atZero = m }
    let se: Double
    switch method {
    case .ML: se = (2 / m.sw2).squareRoot()
    case .REML: se = (2 / m.tracePP).squareRoot()
    default: se = momentSE(k: n, sw: m.sw)
    }
    return TauSquaredEstimate(
      tau2: r.tau2, standardError: se, converged: r.converged, iterations: r.iterations,
      resetByLogLikelihoodCheck: r.reset)
  }

  /// The (restricted) log-likelihood of the intercept-only random-effects model at τ².
  ///
  /// ML: −½k·ln 2π − ½Σln(vᵢ+τ²) − ½Σwᵢ(yᵢ−μ̂)²;
  /// REML: −½(k−1)·ln 2π − ½Σln(vᵢ+τ²) − ½ln Σwᵢ − ½Σwᵢ(yᵢ−μ̂)².
  @inlinable
  public static func logLikelihood(
    y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>, tau2: Double, restricted: Bool
  ) -> Double {
    let k = Double(y.count)
    let m = WeightedMoments(y: y, v: v, tau2: tau2)
    var sumLog = 0.0
    for i in 0..<v.count { sumLog += Double.log(v[i] + tau2) }
    let twoPi = 2 * Double.pi
    if restricted {
      return -0.5 * (k - 1) * Double.log(twoPi) - 0.5 * sumLog - 0.5 * Double.log(m.sw) - 0.5 * m.q
    }
    return -0.5 * k * Double.log(twoPi) - 0.5 * sumLog - 0.5 * m.q
  }
}

/// The ``WeightedMoments`` an estimator computed at τ² = 0 and at its estimate τ̂², kept for the
/// model fit so that it does not recompute them (values are identical either way).
@usableFromInline
struct MomentCache {
  @usableFromInline var atZero: WeightedMoments?
  @usableFromInline var atEstimate: WeightedMoments?

  @inlinable
  init() {}
}
