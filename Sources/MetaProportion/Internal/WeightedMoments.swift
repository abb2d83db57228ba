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
  }

  /// tr(P)
  @inlinable var traceP: Double { sw - sw2 / sw }
  /// tr(PP) = Σ Pᵢⱼ²
  @inlinable var tracePP: Double { sw2 - 2 * sw3 / sw + (sw2 * sw2) / (sw * sw) }
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
    let mean = sy / Double(y.count)
    var ss = 0.0
    for i in 0..<y.count { let r = y[i] - mean; ss += r * r }
    self.mean = mean; self.ss = ss; self.sv = sv; self.sv2 = sv2
  }
}
