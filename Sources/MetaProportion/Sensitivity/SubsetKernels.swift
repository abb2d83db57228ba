// SPDX-License-Identifier: GPL-3.0-or-later

/// Single-pass sums of the intercept-only model at τ² (wᵢ = 1/(vᵢ + τ²)), for the resampling
/// loops (GOSH, bootstrap). y is centred by the caller, which limits the cancellation in the
/// one-pass forms
/// ```
/// YᵀPY  = Σwy² − (Σwy)²/Σw          YᵀPPY = Σw²y² − 2μ̂Σw²y + μ̂²Σw²
/// tr P  = Σw − Σw²/Σw              tr PP = Σw² − 2Σw³/Σw + (Σw²)²/(Σw)²
/// ```
struct InterceptSums {
  var s1 = 0.0, s2 = 0.0, s3 = 0.0
  var wy = 0.0, w2y = 0.0, w2y2 = 0.0, wy2 = 0.0

  @inline(__always)
  init(y: UnsafePointer<Double>, w: UnsafePointer<Double>, m: Int) {
    for i in 0..<m {
      let wi = w[i]
      let wyi = wi * y[i]
      let w2 = wi * wi
      s1 += wi
      s2 += w2
      s3 += w2 * wi
      wy += wyi
      wy2 += wyi * y[i]
      w2y += wi * wyi
      w2y2 += wi * wyi * y[i]
    }
  }

  @inline(__always) var mean: Double { wy / s1 }
  @inline(__always) var ypy: Double { max(0, wy2 - wy * mean) }
  @inline(__always) var yppy: Double {
    let mu = mean
    return max(0, w2y2 - 2 * mu * w2y + mu * mu * s2)
  }
  @inline(__always) var traceP: Double { s1 - s2 / s1 }
  @inline(__always) var tracePP: Double { s2 - 2 * s3 / s1 + (s2 * s2) / (s1 * s1) }
}

/// The iterative τ² estimators for one subset, through the same iterations as
/// ``TauSquaredEstimator`` (``LikelihoodIteration``, ``PauleMandelRoot``: same start values,
/// steps, step halving, stopping rule, ll(0) check and root search), without the standard error.
enum FastIntercept {
  /// Fits the subset (m ≥ 2) given centred y, v and the sums at τ² = 0. Returns nil when the
  /// iteration did not converge.
  @inline(__always)
  static func tau2(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, m: Int, zero: ScoringSums, traceP: Double,
    method: TauSquaredMethod, control: FitControl
  ) -> Double? {
    switch method {
    case .PM:
      if zero.ypy < Double(m - 1) { return 0 }
      let dl = (zero.ypy - Double(m - 1)) / traceP
      let r = PauleMandelRoot.solve(y: y, v: v, count: m, shift: zero.mean, start: dl, control: control)
      return r.converged ? r.root : nil

    case .ML, .REML, .EB:
      let r = LikelihoodIteration.solve(
        y: y, v: v, count: m, method: method, control: control, zero: (zero.sw, zero.ypy))
      return r.converged ? r.tau2 : nil

    default:
      return nil
    }
  }
}
