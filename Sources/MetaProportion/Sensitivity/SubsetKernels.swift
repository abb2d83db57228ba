// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

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
  init(y: UnsafePointer<Double>, v: UnsafePointer<Double>, m: Int, tau2: Double) {
    for i in 0..<m {
      let w = 1 / (v[i] + tau2)
      let wyi = w * y[i]
      let w2 = w * w
      s1 += w
      s2 += w2
      s3 += w2 * w
      wy += wyi
      wy2 += wyi * y[i]
      w2y += w * wyi
      w2y2 += w * wyi * y[i]
    }
  }

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

/// The iterative τ² estimators for one subset in one pass per iteration, with the same start
/// values, steps, step halving, stopping rule, ll(0) check and root search as
/// ``TauSquaredEstimator`` (which runs two passes per evaluation and is used everywhere else).
enum FastIntercept {
  /// Fits the subset (m ≥ 2) given centred y, v and w₀ = 1/v. Returns nil when the iteration
  /// did not converge.
  @inline(__always)
  static func tau2(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, m: Int, fe: InterceptSums,
    method: TauSquaredMethod, control: FitControl
  ) -> Double? {
    let md = Double(m)
    switch method {
    case .PM:
      let target = md - 1
      if fe.ypy < target { return 0 }
      var hi = 100.0
      var expansions = 0
      while InterceptSums(y: y, v: v, m: m, tau2: hi).ypy > target, expansions < 60 {
        hi *= 10
        expansions += 1
      }
      let r = solveDecreasing(
        lo: 0, hi: hi, target: target, tolerance: control.rootTolerance, maxIterations: control.maxIterations
      ) { t in
        let s = InterceptSums(y: y, v: v, m: m, tau2: t)
        return (s.ypy, -s.yppy)
      }
      return r.converged ? max(0, r.root) : nil

    case .ML, .REML, .EB:
      // Hedges start: (Σ(y − ȳ)² − (1 − 1/m)Σv)/(m − 1)
      var sy = 0.0, sv = 0.0
      for i in 0..<m { sy += y[i]; sv += v[i] }
      let ybar = sy / md
      var ss = 0.0
      for i in 0..<m { ss += (y[i] - ybar) * (y[i] - ybar) }
      var tau2 = max(0, (ss - (1 - 1 / md) * sv) / (md - 1))
      var change = control.threshold + 1
      var iterations = 0
      while change > control.threshold {
        iterations += 1
        let old = tau2
        let s = InterceptSums(y: y, v: v, m: m, tau2: tau2)
        var adj: Double
        switch method {
        case .ML: adj = (s.yppy - s.s1) / s.s2
        case .EB: adj = (s.ypy * md / (md - 1) - md) / s.s1
        default: adj = (s.yppy - s.traceP) / s.tracePP
        }
        if adj.isNaN { adj = 0 }
        if tau2 + adj < 0 {
          if tau2 == 0 { adj = 0 } else { while tau2 + adj < 0 { adj /= 2 } }
        }
        tau2 += adj
        change = abs(old - tau2)
        if iterations > control.maxIterations { return nil }
      }
      if method != .EB, control.logLikelihoodCheck, tau2 > control.threshold {
        // ll(0) − ll(τ²) = ½Σln(1 + τ²/vᵢ) [+ ½ln(Σw/Σw₀) for REML] + ½(YᵀPY(τ²) − YᵀPY(0))
        let s = InterceptSums(y: y, v: v, m: m, tau2: tau2)
        var logSum = 0.0
        var product = 1.0
        for i in 0..<m {
          product *= 1 + tau2 / v[i]
          if product > 0x1p500 {
            logSum += Double.log(product)
            product = 1
          }
        }
        logSum += Double.log(product)
        var diff = 0.5 * logSum + 0.5 * (s.ypy - fe.ypy)
        if method == .REML { diff += 0.5 * Double.log(s.s1 / fe.s1) }
        if diff > control.logLikelihoodTolerance { tau2 = 0 }
      }
      return max(0, tau2)

    default:
      return nil
    }
  }
}
