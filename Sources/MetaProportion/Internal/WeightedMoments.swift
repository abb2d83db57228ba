// SPDX-License-Identifier: GPL-3.0-or-later

/// The O(k) sums an intercept-only model needs at one value of τ², with wᵢ = 1/(vᵢ + τ²).
///
/// With P = W − wwᵀ/Σw (the intercept-only projection), metafor's matrix quantities reduce to:
/// ```
/// YᵀPY   = Σ wᵢ(yᵢ − μ̂)²                 (generalised Q)
/// YᵀPPY  = Σ wᵢ²(yᵢ − μ̂)²
/// tr(P)  = Σw − Σw²/Σw
/// tr(PP) = Σw² − 2Σw³/Σw + (Σw²)²/(Σw)²
/// ```
/// with μ̂ = Σwᵢyᵢ/Σwᵢ. Two passes (mean first) keep the sums of squares accurate; each pass runs
/// four SIMD lanes (``Lanes``). No allocation, also in the rare stable-trace fallback.
@usableFromInline
struct WeightedMoments {
  @usableFromInline var sw = 0.0
  @usableFromInline var sw2 = 0.0
  @usableFromInline var sw3 = 0.0
  @usableFromInline var mean = 0.0
  /// Σ wᵢ(yᵢ − μ̂)²
  @usableFromInline var q = 0.0
  /// Σ wᵢ²(yᵢ − μ̂)²
  @usableFromInline var qw = 0.0
  /// tr(P)
  @usableFromInline var traceP = 0.0
  /// tr(PP) = Σ Pᵢⱼ²
  @usableFromInline var tracePP = 0.0

  /// The moments at τ²; with `residuals` false only Σw, Σw², Σw³ and μ̂ (one pass; q, qw and
  /// the traces are NaN).
  @inlinable
  init(y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>, tau2: Double, residuals: Bool = true) {
    guard let yp = y.baseAddress, let vp = v.baseAddress, !y.isEmpty else {
      self.init()
      return
    }
    self.init(y: yp, v: vp, count: y.count, tau2: tau2, residuals: residuals)
  }

  /// All sums 0 (no cohorts).
  @inlinable
  init() {}

  @inlinable
  init(y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int, tau2: Double, residuals: Bool = true) {
    let t = SIMD4<Double>(repeating: tau2)
    let one = SIMD4<Double>(repeating: 1)
    var a1 = SIMD4<Double>(), ay = a1, a2 = a1, a3 = a1
    var i = 0
    while i &+ 4 <= n {
      let w = one / (Lanes.load(v, i) + t)
      a1 += w
      ay += w * Lanes.load(y, i)
      let w2 = w * w
      a2 += w2
      a3 += w2 * w
      i &+= 4
    }
    var sw = Lanes.sum(a1), swy = Lanes.sum(ay), sw2 = Lanes.sum(a2), sw3 = Lanes.sum(a3)
    let tail = i
    while i < n {
      let w = 1 / (v[i] + tau2)
      sw += w
      swy += w * y[i]
      let w2 = w * w
      sw2 += w2
      sw3 += w2 * w
      i &+= 1
    }
    let mean = swy / sw
    guard residuals else {
      self.sw = sw; self.sw2 = sw2; self.sw3 = sw3; self.mean = mean
      q = .nan; qw = .nan; traceP = .nan; tracePP = .nan
      return
    }
    let mu = SIMD4<Double>(repeating: mean)
    var aq = SIMD4<Double>(), aqw = aq
    i = 0
    while i < tail {
      let w = one / (Lanes.load(v, i) + t)
      let r = Lanes.load(y, i) - mu
      let wr2 = w * r * r
      aq += wr2
      aqw += w * wr2
      i &+= 4
    }
    var q = Lanes.sum(aq), qw = Lanes.sum(aqw)
    while i < n {
      let w = 1 / (v[i] + tau2)
      let r = y[i] - mean
      let wr2 = w * r * r
      q += wr2
      qw += w * wr2
      i &+= 1
    }
    self.sw = sw; self.sw2 = sw2; self.sw3 = sw3; self.mean = mean; self.q = q; self.qw = qw
    (traceP, tracePP) = Self.traces(v: v, count: n, tau2: tau2, sw: sw, sw2: sw2, sw3: sw3)
  }

  /// tr P and tr PP from Σw, Σw², Σw³; when one weight dominates, both differences cancel
  /// catastrophically (tr PP can even come out negative), and they are recomputed from sums of
  /// non-negative terms (``stableTraces(v:count:tau2:sw:)``) in that rare case.
  @inlinable @inline(__always)
  static func traces(
    v: UnsafePointer<Double>, count: Int, tau2: Double, sw: Double, sw2: Double, sw3: Double
  ) -> (Double, Double) {
    let tp = sw - sw2 / sw
    let tpp = sw2 - 2 * sw3 / sw + (sw2 * sw2) / (sw * sw)
    if !(tp > 1e-9 * sw) || !(tpp > 1e-9 * sw2) {
      return stableTraces(v: v, count: count, tau2: tau2, sw: sw)
    }
    return (tp, tpp)
  }

  /// tr P = Σᵢ wᵢTᵢ/S and tr PP = Σᵢ wᵢ²(Tᵢ² + Uᵢ)/S², with Tᵢ = Σ_{j≠i} wⱼ and
  /// Uᵢ = Σ_{j≠i} wⱼ² (S = Σw), so no nearly equal numbers are subtracted.
  ///
  /// Tᵢ = pᵢ + sᵢ and Uᵢ = pᵢ⁽²⁾ + sᵢ⁽²⁾ split into prefix sums (j < i) and suffix sums (j > i):
  /// a forward pass accumulates Σwᵢpᵢ, Σwᵢ²(pᵢ² + pᵢ⁽²⁾) and the cross term
  /// Σᵢwᵢ²pᵢsᵢ = Σₗ wₗ Σ_{i<l} wᵢ²pᵢ; a backward pass Σwᵢsᵢ and Σwᵢ²(sᵢ² + sᵢ⁽²⁾). Two passes,
  /// no storage.
  @usableFromInline
  static func stableTraces(v: UnsafePointer<Double>, count k: Int, tau2: Double, sw: Double) -> (Double, Double) {
    var prefix = 0.0, prefix2 = 0.0, cross = 0.0, crossAcc = 0.0
    var tp = 0.0, tpp = 0.0
    for i in 0..<k {
      let w = 1 / (v[i] + tau2)
      let w2 = w * w
      tp += w * prefix
      tpp += w2 * (prefix * prefix + prefix2)
      cross += w * crossAcc
      crossAcc += w2 * prefix
      prefix += w
      prefix2 += w2
    }
    var suffix = 0.0, suffix2 = 0.0
    for i in stride(from: k - 1, through: 0, by: -1) {
      let w = 1 / (v[i] + tau2)
      let w2 = w * w
      tp += w * suffix
      tpp += w2 * (suffix * suffix + suffix2)
      suffix += w
      suffix2 += w2
    }
    tpp += 2 * cross
    return (tp / sw, tpp / (sw * sw))
  }

  /// Stable traces for buffers (kept for callers holding buffers).
  @usableFromInline
  static func stableTraces(v: UnsafeBufferPointer<Double>, tau2: Double, sw: Double) -> (Double, Double) {
    guard let p = v.baseAddress, !v.isEmpty else { return (0, 0) }
    return stableTraces(v: p, count: v.count, tau2: tau2, sw: sw)
  }
}

/// Unweighted mean and sum of squared deviations of y, and sums of v (for HE and SJ).
@usableFromInline
struct UnweightedMoments {
  @usableFromInline var mean = 0.0
  /// Σ(yᵢ − ȳ)²
  @usableFromInline var ss = 0.0
  @usableFromInline var sv = 0.0
  @usableFromInline var sv2 = 0.0

  @inlinable
  init(y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>) {
    guard let yp = y.baseAddress, let vp = v.baseAddress, !y.isEmpty else {
      self.init()
      return
    }
    self.init(y: yp, v: vp, count: y.count)
  }

  /// All sums 0 (no cohorts).
  @inlinable
  init() {}

  @inlinable
  init(y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int) {
    var ay = SIMD4<Double>(), av = ay, av2 = ay
    var i = 0
    while i &+ 4 <= n {
      let vi = Lanes.load(v, i)
      ay += Lanes.load(y, i)
      av += vi
      av2 += vi * vi
      i &+= 4
    }
    var sy = Lanes.sum(ay), sv = Lanes.sum(av), sv2 = Lanes.sum(av2)
    let tail = i
    while i < n {
      sy += y[i]; sv += v[i]; sv2 += v[i] * v[i]
      i &+= 1
    }
    var mean = sy / Double(n)
    // One correction pass, as R's mean(): identical yᵢ then give ȳ = yᵢ exactly, so Σ(yᵢ − ȳ)² is
    // exactly 0 and SJ's τ₀² (hence τ̂²) is 0 rather than 10⁻⁶², as in metafor.
    var ac = SIMD4<Double>()
    let m0 = SIMD4<Double>(repeating: mean)
    i = 0
    while i < tail {
      ac += Lanes.load(y, i) - m0
      i &+= 4
    }
    var correction = Lanes.sum(ac)
    while i < n {
      correction += y[i] - mean
      i &+= 1
    }
    mean += correction / Double(n)
    let mu = SIMD4<Double>(repeating: mean)
    var ass = SIMD4<Double>()
    i = 0
    while i < tail {
      let r = Lanes.load(y, i) - mu
      ass += r * r
      i &+= 4
    }
    var ss = Lanes.sum(ass)
    while i < n {
      let r = y[i] - mean
      ss += r * r
      i &+= 1
    }
    self.mean = mean; self.ss = ss; self.sv = sv; self.sv2 = sv2
  }
}
