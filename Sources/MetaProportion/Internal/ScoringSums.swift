// SPDX-License-Identifier: GPL-3.0-or-later

/// The sums of one iteration of an iterative τ² estimator (ML, REML, EB, PM) in a single pass,
/// with wᵢ = 1/(vᵢ + τ²) and the outcomes shifted by a constant c, dᵢ = yᵢ − c:
/// ```
/// Σw, Σw², Σw³, Σwd, Σwd², Σw²d, Σw²d²  (and for Newton steps Σw³d, Σw³d²)
/// ```
/// With δ = Σwd/Σw (so μ̂ = c + δ) and rᵢ = yᵢ − μ̂ = dᵢ − δ:
/// ```
/// YᵀPY   = Σwr²  = Σwd² − δΣwd
/// YᵀPPY  = Σw²r² = Σw²d² − 2δΣw²d + δ²Σw²
/// YᵀPPPY = Σw³r² − (Σw²r)²/Σw,  Σw³r² = Σw³d² − 2δΣw³d + δ²Σw³,  Σw²r = Σw²d − δΣw²
/// ```
/// (PY = w∘r, so YᵀPPY = Σw²r² and YᵀPPPY = (PY)ᵀP(PY).) The iterations pass the previous μ̂ as
/// the shift, so δ is tiny and the one-pass forms lose nothing to cancellation; the final
/// quantities of a fit still come from the two-pass ``WeightedMoments``.
@usableFromInline
struct ScoringSums {
  @usableFromInline var sw = 0.0, sw2 = 0.0, sw3 = 0.0
  @usableFromInline var swd = 0.0, swd2 = 0.0, sw2d = 0.0, sw2d2 = 0.0, sw3d = 0.0, sw3d2 = 0.0
  @usableFromInline var shift = 0.0

  /// One pass over `count` cohorts. `curvature` adds Σw³d and Σw³d² (for ``ypppy``).
  @inlinable @inline(__always)
  init(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, count n: Int, tau2: Double, shift: Double,
    curvature: Bool
  ) {
    self.shift = shift
    let t = SIMD4<Double>(repeating: tau2), c = SIMD4<Double>(repeating: shift)
    let one = SIMD4<Double>(repeating: 1)
    var a1 = SIMD4<Double>(), a2 = a1, a3 = a1, b1 = a1, b2 = a1, c1 = a1, c2 = a1, e1 = a1, e2 = a1
    var i = 0
    if curvature {
      while i &+ 4 <= n {
        let w = one / (Lanes.load(v, i) + t)
        let d = Lanes.load(y, i) - c
        let wd = w * d, w2 = w * w
        let w2d = w * wd, w3d = w2 * wd
        a1 += w; a2 += w2; a3 += w2 * w
        b1 += wd; b2 += wd * d
        c1 += w2d; c2 += w2d * d
        e1 += w3d; e2 += w3d * d
        i &+= 4
      }
    } else {
      while i &+ 4 <= n {
        let w = one / (Lanes.load(v, i) + t)
        let d = Lanes.load(y, i) - c
        let wd = w * d, w2 = w * w
        let w2d = w * wd
        a1 += w; a2 += w2; a3 += w2 * w
        b1 += wd; b2 += wd * d
        c1 += w2d; c2 += w2d * d
        i &+= 4
      }
    }
    sw = Lanes.sum(a1); sw2 = Lanes.sum(a2); sw3 = Lanes.sum(a3)
    swd = Lanes.sum(b1); swd2 = Lanes.sum(b2); sw2d = Lanes.sum(c1); sw2d2 = Lanes.sum(c2)
    sw3d = Lanes.sum(e1); sw3d2 = Lanes.sum(e2)
    while i < n {
      let w = 1 / (v[i] + tau2)
      let d = y[i] - shift
      let wd = w * d, w2 = w * w
      let w2d = w * wd, w3d = w2 * wd
      sw += w; sw2 += w2; sw3 += w2 * w
      swd += wd; swd2 += wd * d
      sw2d += w2d; sw2d2 += w2d * d
      if curvature { sw3d += w3d; sw3d2 += w3d * d }
      i &+= 1
    }
  }

  /// δ = μ̂ − c.
  @inlinable var delta: Double { swd / sw }
  /// μ̂ = Σwy/Σw.
  @inlinable var mean: Double { shift + swd / sw }
  /// YᵀPY = Σw(y − μ̂)² (the generalised Q).
  @inlinable var ypy: Double { max(0, swd2 - delta * swd) }
  /// YᵀPPY = Σw²(y − μ̂)².
  @inlinable var yppy: Double {
    let d = delta
    return max(0, sw2d2 - 2 * d * sw2d + d * d * sw2)
  }
  /// YᵀPPPY = Σw³r² − (Σw²r)²/Σw (needs `curvature`).
  @inlinable var ypppy: Double {
    let d = delta
    let w3r2 = sw3d2 - 2 * d * sw3d + d * d * sw3
    let w2r = sw2d - d * sw2
    return max(0, w3r2 - w2r * w2r / sw)
  }

  /// tr P and tr PP (with the stable fallback of ``WeightedMoments``).
  @inlinable @inline(__always)
  func traces(v: UnsafePointer<Double>, count: Int, tau2: Double) -> (traceP: Double, tracePP: Double) {
    WeightedMoments.traces(v: v, count: count, tau2: tau2, sw: sw, sw2: sw2, sw3: sw3)
  }
}
