// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// Estimates τ² in an intercept-only model in O(k) per evaluation, following metafor's
/// `rma.uni` code paths (starting values, truncation, step-halving, log-likelihood check and the
/// standard errors of τ̂²), with the k×k matrices replaced by the sums of ``WeightedMoments``.
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
    let k = Double(y.count)
    let df = k - 1
    switch method {
    case .EE:
      return TauSquaredEstimate(tau2: 0, standardError: .nan)

    case .DL:
      let m = WeightedMoments(y: y, v: v, tau2: 0)
      let trP = m.traceP
      let raw = (m.q - df) / trP
      let t = max(0, raw)
      let se = ((2 * df + 4 * t * trP + 2 * t * t * m.tracePP) / (trP * trP)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se, truncatedAtZero: raw < 0)

    case .HS:
      let m = WeightedMoments(y: y, v: v, tau2: 0)
      let raw = (m.q - k) / m.sw
      let t = max(0, raw)
      let se = ((2 * df + 4 * t * m.traceP + 2 * t * t * m.tracePP) / (m.sw * m.sw)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se, truncatedAtZero: raw < 0)

    case .HE:
      let u = UnweightedMoments(y: y, v: v)
      let raw = hedges(u, k: k)
      let t = max(0, raw)
      // tr(PV) = (1 − 1/k)Σv; tr(PVPV) = (1 − 2/k)Σv² + (Σv)²/k² with P = I − J/k.
      let trPV = (1 - 1 / k) * u.sv
      let trPVPV = (1 - 2 / k) * u.sv2 + (u.sv * u.sv) / (k * k)
      let se = ((2 * trPVPV + 4 * t * trPV + 2 * t * t * df) / (df * df)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se, truncatedAtZero: raw < 0)

    case .SJ:
      let u = UnweightedMoments(y: y, v: v)
      let t0 = u.ss / k
      let m = WeightedMoments(y: y, v: v, tau2: t0)
      let t = max(0, t0 * m.q / df)
      // sum(PV∘P) and tr(PVPV) with P from wᵢ = 1/(vᵢ + τ₀²).
      var sw2v = 0.0, sw3v = 0.0, sw2v2 = 0.0, sw3v2 = 0.0
      for i in 0..<y.count {
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
      return pauleMandel(y: y, v: v, control: control)

    case .ML, .REML, .EB:
      return fisherScoring(y: y, v: v, method: method, control: control)
    }
  }

  /// Hedges' estimator before truncation: Σ(yᵢ−ȳ)²/(k−1) − mean(vᵢ).
  @inlinable
  static func hedges(_ u: UnweightedMoments, k: Double) -> Double {
    (u.ss - (1 - 1 / k) * u.sv) / (k - 1)
  }

  /// The SE metafor gives EB, PM (and SJIT): √(2k²/(k−1)) / Σwᵢ at the final τ².
  @inlinable
  static func momentSE(y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>, tau2: Double) -> Double {
    let k = Double(y.count)
    var sw = 0.0
    for i in 0..<v.count { sw += 1 / (v[i] + tau2) }
    return (2 * k * k / (k - 1)).squareRoot() / sw
  }

  /// Paule–Mandel: the root of Σwᵢ(yᵢ − μ̂(τ²))² = k − 1, or 0 when the left side is already
  /// below k − 1 at τ² = 0. dQ/dτ² = −Σwᵢ²(yᵢ − μ̂)², so the search is a safeguarded Newton
  /// iteration on a bracket that is doubled until it contains the root.
  @inlinable
  static func pauleMandel(
    y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>, control: FitControl
  ) -> TauSquaredEstimate {
    let target = Double(y.count - 1)
    let at0 = WeightedMoments(y: y, v: v, tau2: 0)
    if at0.q < target {
      return TauSquaredEstimate(
        tau2: 0, standardError: momentSE(y: y, v: v, tau2: 0), truncatedAtZero: true)
    }
    // metafor searches [0, max(100, 10·mad(y)²)]; the bracket here grows until it holds the root.
    var hi = 100.0
    var expansions = 0
    while WeightedMoments(y: y, v: v, tau2: hi).q > target, expansions < 60 {
      hi *= 10
      expansions += 1
    }
    let r = solveDecreasing(
      lo: 0, hi: hi, target: target, tolerance: control.rootTolerance,
      maxIterations: control.maxIterations
    ) { t in
      let m = WeightedMoments(y: y, v: v, tau2: t)
      return (m.q, -m.qw)
    }
    let t = max(0, r.root)
    return TauSquaredEstimate(
      tau2: t, standardError: momentSE(y: y, v: v, tau2: t), converged: r.converged,
      iterations: r.iterations)
  }

  /// ML, REML and EB by Fisher scoring, as metafor: start at max(0, HE); step
  /// Δ = (YᵀPPY − Σw)/Σw² (ML), (YᵀPPY − tr P)/tr(PP) (REML), (YᵀPY·k/(k−1) − k)/Σw (EB);
  /// halve Δ while τ² + Δ < 0; stop when |Δ| < threshold.
  @inlinable
  static func fisherScoring(
    y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>,
    method: TauSquaredMethod, control: FitControl
  ) -> TauSquaredEstimate {
    let k = Double(y.count)
    var tau2 = max(0, hedges(UnweightedMoments(y: y, v: v), k: k))
    var change = control.threshold + 1
    var iterations = 0
    var converged = true
    while change > control.threshold {
      iterations += 1
      let old = tau2
      let m = WeightedMoments(y: y, v: v, tau2: tau2)
      var adj: Double
      switch method {
      case .ML: adj = (m.qw - m.sw) / m.sw2
      case .EB: adj = (m.q * k / (k - 1) - k) / m.sw
      default: adj = (m.qw - m.traceP) / m.tracePP
      }
      if adj.isNaN { adj = 0 }
      if tau2 + adj < 0 {
        if tau2 == 0 { adj = 0 } else { while tau2 + adj < 0 { adj /= 2 } }
      }
      tau2 += adj
      change = abs(old - tau2)
      if iterations > control.maxIterations {
        converged = false
        break
      }
    }
    var reset = false
    if converged, method != .EB, control.logLikelihoodCheck {
      let ll0 = logLikelihood(y: y, v: v, tau2: 0, restricted: method == .REML)
      let ll = logLikelihood(y: y, v: v, tau2: tau2, restricted: method == .REML)
      if ll0 - ll > control.logLikelihoodTolerance, tau2 > control.threshold {
        tau2 = 0
        reset = true
      }
    }
    tau2 = max(0, tau2)
    let se: Double
    switch method {
    case .ML:
      let m = WeightedMoments(y: y, v: v, tau2: tau2)
      se = (2 / m.sw2).squareRoot()
    case .REML:
      let m = WeightedMoments(y: y, v: v, tau2: tau2)
      se = (2 / m.tracePP).squareRoot()
    default:
      se = momentSE(y: y, v: v, tau2: tau2)
    }
    return TauSquaredEstimate(
      tau2: tau2, standardError: se, converged: converged, iterations: iterations,
      resetByLogLikelihoodCheck: reset)
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
