// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// The outcome of an iterative τ² search.
@usableFromInline
struct IterationResult {
  @usableFromInline var tau2: Double
  @usableFromInline var iterations: Int
  @usableFromInline var converged: Bool
  /// metafor's log-likelihood check reset τ̂² to 0.
  @usableFromInline var reset: Bool

  @inlinable
  init(tau2: Double, iterations: Int, converged: Bool, reset: Bool = false) {
    self.tau2 = tau2; self.iterations = iterations; self.converged = converged; self.reset = reset
  }
}

/// ML, REML and EB for the intercept-only model, as metafor's `rma.uni`: start at max(0, τ̂²_HE);
/// a step Δ (Fisher scoring or Newton, ``LikelihoodAlgorithm``); halve Δ while τ² + Δ < 0 (no
/// step from τ² = 0 towards negative values); stop when |Δ| < threshold; then, for ML and REML,
/// the log-likelihood check. One pass over the cohorts per iteration (``ScoringSums``, shifted
/// by the previous μ̂); no allocation. Shared by ``TauSquaredEstimator`` and the resampling
/// kernels (GOSH, bootstrap).
///
/// Newton steps are used while the iteration stays in the interior: a Newton step that would
/// cross τ² = 0 means the maximum is at (or very near) the boundary, where the result is decided
/// by how the iteration creeps towards 0, so the search starts again from the same start value
/// with metafor's Fisher scoring and ends exactly where metafor's does. The iterations of both
/// phases are counted.
@usableFromInline
enum LikelihoodIteration {
  /// Runs the iteration on `count` ≥ 2 cohorts.
  ///
  /// - Parameter zero: Σw and YᵀPY at τ² = 0 when the caller already has them (for the
  ///   log-likelihood check).
  @inlinable
  static func solve(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int, method: TauSquaredMethod,
    control: FitControl, zero: (sw: Double, q: Double)? = nil
  ) -> IterationResult {
    let u = UnweightedMoments(y: y, v: v, count: n)
    let start = max(0, TauSquaredEstimator.hedges(u, k: Double(n)))
    var result: IterationResult
    var shift = u.mean
    if control.algorithm == .newton {
      result = iterate(y: y, v: v, count: n, method: method, control: control, start: start, newton: true, shift: &shift)
      if result.reset {  // a Newton step crossed 0: metafor's Fisher scoring from the start
        let newtonIterations = result.iterations
        shift = u.mean
        result = iterate(y: y, v: v, count: n, method: method, control: control, start: start, newton: false, shift: &shift)
        result.iterations += newtonIterations
      }
    } else {
      result = iterate(y: y, v: v, count: n, method: method, control: control, start: start, newton: false, shift: &shift)
    }
    var tau2 = result.tau2
    if result.converged, method != .EB, control.logLikelihoodCheck, tau2 > control.threshold {
      var z: (sw: Double, q: Double)
      if let zero {
        z = zero
      } else {
        // Shifted by μ̂(0), not by the last iterate's μ̂(τ²): when one weight is 10¹² times the
        // others the two are far apart and YᵀPY(0) would cancel to noise (PR 1/10¹², 2/2 was
        // reset to τ² = 0 although τ² = 0.32 is far more likely).
        let rough = ScoringSums(y: y, v: v, count: n, tau2: 0, shift: shift, curvature: false)
        let s0 = ScoringSums(y: y, v: v, count: n, tau2: 0, shift: rough.mean, curvature: false)
        z = (s0.sw, s0.ypy)
      }
      let s = ScoringSums(y: y, v: v, count: n, tau2: tau2, shift: shift, curvature: false)
      // ll(0) − ll(τ²) = ½Σln(1 + τ²/vᵢ) [+ ½ln(Σw/Σw₀) for REML] + ½(YᵀPY(τ²) − YᵀPY(0))
      var diff = 0.5 * logSumOnePlusRatio(v: v, count: n, tau2: tau2) + 0.5 * (s.ypy - z.q)
      if method == .REML { diff += 0.5 * Double.log(s.sw / z.sw) }
      if diff > control.logLikelihoodTolerance {
        tau2 = 0
        return IterationResult(tau2: 0, iterations: result.iterations, converged: true, reset: true)
      }
    }
    return IterationResult(tau2: max(0, tau2), iterations: result.iterations, converged: result.converged)
  }

  /// The iteration proper. With `newton`, returns as soon as a step would cross τ² = 0 from
  /// τ² > 0, with `reset` set (the caller then runs Fisher scoring); otherwise `reset` is false.
  @inlinable
  static func iterate(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int, method: TauSquaredMethod,
    control: FitControl, start: Double, newton: Bool, shift: inout Double
  ) -> IterationResult {
    let k = Double(n)
    var tau2 = start
    var change = control.threshold + 1
    var iterations = 0
    while change > control.threshold {
      iterations += 1
      let old = tau2
      let s = ScoringSums(y: y, v: v, count: n, tau2: tau2, shift: shift, curvature: newton && method != .EB)
      var adj: Double
      switch method {
      case .ML:
        let score = s.yppy - s.sw
        adj = score / s.sw2
        if newton {
          let curvature = 2 * s.ypppy - s.sw2
          if curvature > s.sw2 / 16 { adj = score / curvature }
        }
      case .EB:
        let q = s.ypy
        adj = (q * k / (k - 1) - k) / s.sw
        if newton {
          let slope = s.yppy  // −dQ/dτ²
          if slope > 0 { adj = (q - (k - 1)) / slope }
        }
      default:
        let (trP, trPP) = s.traces(v: v, count: n, tau2: tau2)
        let score = s.yppy - trP
        adj = score / trPP
        if newton {
          let curvature = 2 * s.ypppy - trPP
          if curvature > trPP / 16 { adj = score / curvature }
        }
      }
      if adj.isNaN { adj = 0 }
      if tau2 + adj < 0 {
        if tau2 == 0 {
          adj = 0
        } else if newton {
          return IterationResult(tau2: tau2, iterations: iterations, converged: false, reset: true)
        } else {
          adj = feasibleStep(from: tau2, adj)
        }
      }
      tau2 += adj
      shift = s.mean
      change = abs(old - tau2)
      if iterations > control.maxIterations {
        return IterationResult(tau2: tau2, iterations: iterations, converged: false)
      }
    }
    return IterationResult(tau2: tau2, iterations: iterations, converged: true)
  }

  /// metafor's step-halving: Δ halved while τ² + Δ < 0, for τ² > 0 and τ² + Δ < 0. Bounded:
  /// Δ = −∞ (a trace of P that overflows when one sampling variance is 10¹² times the others,
  /// e.g. PAS with 0/10¹², 0/1, 0/2) never becomes feasible by halving — that loop never ended —
  /// and neither does a finite Δ after 2100 halvings (beyond the range of a double); the step
  /// then goes to the boundary τ² = 0.
  @inlinable
  static func feasibleStep(from tau2: Double, _ adj: Double) -> Double {
    var adj = adj
    var halvings = 0
    while tau2 + adj < 0, halvings < 2100 {
      adj /= 2
      halvings += 1
    }
    return tau2 + adj < 0 ? -tau2 : adj
  }

  /// Σ ln(1 + τ²/vᵢ) as the logarithm of a product (four lanes, folded into logarithms before
  /// they could overflow): a handful of logarithms instead of k.
  @inlinable
  static func logSumOnePlusRatio(v: UnsafePointer<Double>, count n: Int, tau2: Double) -> Double {
    let one = SIMD4<Double>(repeating: 1), t = SIMD4<Double>(repeating: tau2)
    var p = one
    var logs = 0.0
    var i = 0
    while i &+ 4 <= n {
      p *= one + t / Lanes.load(v, i)
      if p.max() > 0x1p500 {
        logs += Double.log(p[0]) + Double.log(p[1]) + Double.log(p[2]) + Double.log(p[3])
        p = one
      }
      i &+= 4
    }
    var tail = 1.0
    while i < n {
      tail *= 1 + tau2 / v[i]
      i &+= 1
    }
    logs += (Double.log(p[0]) + Double.log(p[2])) + (Double.log(p[1]) + Double.log(p[3])) + Double.log(tail)
    if logs.isFinite { return logs }
    var direct = 0.0
    for j in 0..<n { direct += Double.log(1 + tau2 / v[j]) }
    return direct
  }
}

/// Paule–Mandel: the root of Q(τ²) = Σwᵢ(yᵢ − μ̂(τ²))² = k − 1 by the safeguarded Newton search
/// of ``solveDecreasing(lo:hi:target:tolerance:maxIterations:_:)`` on [0, hi], hi grown from
/// 100 by factors of 10 until Q(hi) ≤ k − 1 (dQ/dτ² = −Σwᵢ²(yᵢ − μ̂)²). One pass per
/// evaluation; no allocation.
@usableFromInline
enum PauleMandelRoot {
  /// The root for `count` ≥ 2 cohorts whose Q at τ² = 0 is at least k − 1; `shift` is a value
  /// near μ̂ (e.g. the common-effect estimate). The Newton search starts at `start` (e.g. the
  /// DerSimonian–Laird estimate, which costs nothing once Q(0) is known) when it lies inside the
  /// bracket, otherwise at 0.
  @inlinable
  static func solve(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int, shift initialShift: Double,
    start: Double? = nil, control: FitControl
  ) -> RootResult {
    let target = Double(n - 1)
    var shift = initialShift
    let beyond = control.rootSearch == .uniroot
    if beyond, let r = metaforUniroot(y: y, v: v, count: n, shift: &shift, control: control) {
      return r
    }
    var hi = 100.0
    var expansions = 0
    while ScoringSums(y: y, v: v, count: n, tau2: hi, shift: shift, curvature: false).ypy > target, expansions < 60 {
      hi *= 10
      expansions += 1
    }
    // Beyond metafor's range metafor has no answer to reproduce: the exact root.
    var r = solveDecreasing(
      lo: 0, hi: hi, target: target, tolerance: beyond ? FitControl.tight.rootTolerance : control.rootTolerance,
      maxIterations: beyond ? FitControl.tight.maxIterations : control.maxIterations,
      start: start
    ) { t in
      let s = ScoringSums(y: y, v: v, count: n, tau2: t, shift: shift, curvature: false)
      shift = s.mean
      return (s.ypy, -s.yppy)
    }
    r.root = max(0, r.root)
    r.beyondMetaforRange = beyond
    return r
  }

  /// metafor's search (`rma.uni`, `method = "PM"`): `uniroot` of Q(τ²) − (k − 1) on
  /// [0, max(100, 10·mad(y)²)]. Nil when Q at the upper end still exceeds k − 1 (metafor stops
  /// there with "Value of 'tau2.max' too low"); the caller then searches further.
  @inlinable
  static func metaforUniroot(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int, shift: inout Double, control: FitControl
  ) -> RootResult? {
    let target = Double(n - 1)
    let spread = medianAbsoluteDeviation(y, count: n)
    let hi = max(100, 10 * spread * spread)
    func g(_ t: Double) -> Double {
      let s = ScoringSums(y: y, v: v, count: n, tau2: t, shift: shift, curvature: false)
      shift = s.mean
      return s.ypy - target
    }
    let fLower = g(0), fUpper = g(hi)
    guard fUpper <= 0, var r = uniroot(
      lower: 0, upper: hi, fLower: fLower, fUpper: fUpper, tolerance: control.rootTolerance,
      maxIterations: control.maxIterations, g)
    else { return nil }
    r.root = max(0, r.root)
    return r
  }

  /// R's `mad(y)`: 1.4826 · median |yᵢ − median(y)|.
  @inlinable
  static func medianAbsoluteDeviation(_ y: UnsafePointer<Double>, count n: Int) -> Double {
    func median(_ x: [Double]) -> Double {
      let s = x.sorted()
      return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    let values = Array(UnsafeBufferPointer(start: y, count: n))
    let m = median(values)
    return 1.4826 * median(values.map { abs($0 - m) })
  }
}
