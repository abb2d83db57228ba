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
/// with μ̂ = Σwᵢyᵢ/Σwᵢ. Two passes (mean first) keep the sums of squares accurate.
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

  @inlinable
  init(y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>, tau2: Double) {
    var sw = 0.0, swy = 0.0, sw2 = 0.0, sw3 = 0.0
    for i in 0..<y.count {
      let w = 1 / (v[i] + tau2)
      sw += w
      swy += w * y[i]
      let w2 = w * w
      sw2 += w2
      sw3 += w2 * w
    }
    let mean = swy / sw
    var q = 0.0, qw = 0.0
    for i in 0..<y.count {
      let w = 1 / (v[i] + tau2)
      let r = y[i] - mean
      let wr2 = w * r * r
      q += wr2
      qw += w * wr2
    }
    self.sw = sw; self.sw2 = sw2; self.sw3 = sw3; self.mean = mean; self.q = q; self.qw = qw
    traceP = sw - sw2 / sw
    tracePP = sw2 - 2 * sw3 / sw + (sw2 * sw2) / (sw * sw)
    // When one weight dominates, both differences cancel catastrophically (tr PP can even come
    // out negative). Recompute them from sums of non-negative terms in that rare case.
    if !(traceP > 1e-9 * sw) || !(tracePP > 1e-9 * sw2) {
      (traceP, tracePP) = Self.stableTraces(v: v, tau2: tau2, sw: sw)
    }
  }

  /// tr P = Σᵢ wᵢTᵢ/S and tr PP = Σᵢ wᵢ²(Tᵢ² + Uᵢ)/S², with Tᵢ = Σ_{j≠i} wⱼ and
  /// Uᵢ = Σ_{j≠i} wⱼ² from prefix and suffix sums (so no subtraction of nearly equal numbers).
  @usableFromInline
  static func stableTraces(v: UnsafeBufferPointer<Double>, tau2: Double, sw: Double) -> (Double, Double) {
    let k = v.count
    var suffix1 = [Double](repeating: 0, count: k + 1)
    var suffix2 = [Double](repeating: 0, count: k + 1)
    for i in stride(from: k - 1, through: 0, by: -1) {
      let w = 1 / (v[i] + tau2)
      suffix1[i] = suffix1[i + 1] + w
      suffix2[i] = suffix2[i + 1] + w * w
    }
    var prefix1 = 0.0, prefix2 = 0.0, tp = 0.0, tpp = 0.0
    for i in 0..<k {
      let w = 1 / (v[i] + tau2)
      let t = prefix1 + suffix1[i + 1]
      let u = prefix2 + suffix2[i + 1]
      tp += w * t
      tpp += w * w * (t * t + u)
      prefix1 += w
      prefix2 += w * w
    }
    return (tp / sw, tpp / (sw * sw))
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
    var sy = 0.0, sv = 0.0, sv2 = 0.0
    for i in 0..<y.count { sy += y[i]; sv += v[i]; sv2 += v[i] * v[i] }
    var mean = sy / Double(y.count)
    // One correction pass, as R's mean(): identical yᵢ then give ȳ = yᵢ exactly, so Σ(yᵢ − ȳ)² is
    // exactly 0 and SJ's τ₀² (hence τ̂²) is 0 rather than 10⁻⁶², as in metafor.
    var correction = 0.0
    for i in 0..<y.count { correction += y[i] - mean }
    mean += correction / Double(y.count)
    var ss = 0.0
    for i in 0..<y.count { let r = y[i] - mean; ss += r * r }
    self.mean = mean; self.ss = ss; self.sv = sv; self.sv2 = sv2
  }
}
