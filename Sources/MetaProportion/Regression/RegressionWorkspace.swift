// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// Scratch memory and the O(k·p²) kernels of the weighted regression yᵢ = xᵢᵀβ + uᵢ + εᵢ with
/// wᵢ = 1/(vᵢ + τ²) and few coefficients p (metafor's `rma.uni` with `mods`).
///
/// The k×k matrices of metafor's code are never formed. With A = (XᵀWX)⁻¹, β̂ = AXᵀWy and
/// residuals rᵢ = yᵢ − xᵢᵀβ̂, the projection P = W − WXAXᵀW enters only through
/// ```
/// YᵀPY   = Σ wᵢ rᵢ²                 YᵀPPY = Σ wᵢ² rᵢ²        (because PY = W r)
/// tr(P)  = Σ wᵢ − tr(A·XᵀW²X)
/// tr(PP) = Σ wᵢ² − 2 tr(A·XᵀW³X) + tr(A·XᵀW²X·A·XᵀW²X)
/// ```
/// and the analogous forms with V = diag(vᵢ) for the HE and SJ standard errors.
///
/// One workspace per thread; no allocation after `init`.
final class RegressionWorkspace {
  let p: Int
  let capacity: Int
  /// The current number of rows k (≤ capacity).
  var k: Int = 0
  /// Weights wᵢ, residuals rᵢ and a per-row scratch diagonal.
  let w: UnsafeMutablePointer<Double>
  let r: UnsafeMutablePointer<Double>
  let d: UnsafeMutablePointer<Double>
  /// p×p matrices (row-major): XᵀWX, its Cholesky factor, A = (XᵀWX)⁻¹, and scratch.
  let m: UnsafeMutablePointer<Double>
  let chol: UnsafeMutablePointer<Double>
  let a: UnsafeMutablePointer<Double>
  let b: UnsafeMutablePointer<Double>
  let c: UnsafeMutablePointer<Double>
  let t1: UnsafeMutablePointer<Double>
  let t2: UnsafeMutablePointer<Double>
  /// β̂ and XᵀWy.
  let beta: UnsafeMutablePointer<Double>
  let u: UnsafeMutablePointer<Double>

  // Results of the last `weightedFit`.
  var sw = 0.0, sw2 = 0.0
  /// Σwr² (= YᵀPY).
  var rss = 0.0
  /// Σw²r² (= YᵀPPY).
  var rssw = 0.0
  /// ln det(XᵀWX).
  var logDet = 0.0

  init(p: Int, capacity: Int) {
    self.p = p
    self.capacity = max(capacity, 1)
    func alloc(_ n: Int) -> UnsafeMutablePointer<Double> {
      let ptr = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
      ptr.initialize(repeating: 0, count: max(n, 1))
      return ptr
    }
    w = alloc(capacity); r = alloc(capacity); d = alloc(capacity)
    m = alloc(p * p); chol = alloc(p * p); a = alloc(p * p); b = alloc(p * p); c = alloc(p * p)
    t1 = alloc(p * p); t2 = alloc(p * p)
    beta = alloc(p); u = alloc(p)
  }

  deinit {
    for ptr in [w, r, d, m, chol, a, b, c, t1, t2, beta, u] { ptr.deallocate() }
  }

  /// Xᵀ·diag(dᵢ)·X into `out` (p×p, symmetric, full).
  @inline(__always)
  func crossProduct(_ x: UnsafePointer<Double>, diagonal dd: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
    let p = self.p
    out.update(repeating: 0, count: p * p)
    for i in 0..<k {
      let row = x + i * p
      let di = dd[i]
      for s in 0..<p {
        let xs = row[s] * di
        for t in s..<p { out[s * p + t] += xs * row[t] }
      }
    }
    for s in 0..<p { for t in 0..<s { out[s * p + t] = out[t * p + s] } }
  }

  /// Cholesky factor of `src` into `chol` and inverse into `inv`; returns ln det, or nil when
  /// `src` is not positive definite (rank-deficient design).
  @inline(__always)
  func invertSPD(_ src: UnsafePointer<Double>, into inv: UnsafeMutablePointer<Double>) -> Double? {
    let p = self.p
    let l = chol
    var logDet = 0.0
    for j in 0..<p {
      var s = src[j * p + j]
      for q in 0..<j { s -= l[j * p + q] * l[j * p + q] }
      // metafor stops when an eigenvalue of XᵀX is ≤ 1e-7; here a non-positive pivot.
      guard s > 0, s.isFinite else { return nil }
      let ljj = s.squareRoot()
      l[j * p + j] = ljj
      logDet += 2 * Double.log(ljj)
      for i in (j + 1)..<max(p, j + 1) {
        var t = src[i * p + j]
        for q in 0..<j { t -= l[i * p + q] * l[j * p + q] }
        l[i * p + j] = t / ljj
      }
    }
    // inv = L⁻ᵀ L⁻¹, column by column: solve L z = e_c, then Lᵀ x = z.
    for col in 0..<p {
      for i in 0..<p {
        var s = i == col ? 1.0 : 0.0
        for q in 0..<i { s -= l[i * p + q] * t1[q] }
        t1[i] = s / l[i * p + i]
      }
      var i = p - 1
      while i >= 0 {
        var s = t1[i]
        for q in (i + 1)..<max(p, i + 1) { s -= l[q * p + i] * inv[q * p + col] }
        inv[i * p + col] = s / l[i * p + i]
        i -= 1
      }
    }
    return logDet
  }

  /// tr(S·T) for p×p matrices.
  @inline(__always)
  func traceProduct(_ s: UnsafePointer<Double>, _ t: UnsafePointer<Double>) -> Double {
    var acc = 0.0
    for i in 0..<p { for j in 0..<p { acc += s[i * p + j] * t[j * p + i] } }
    return acc
  }

  /// out = S·T for p×p matrices.
  @inline(__always)
  func multiply(_ s: UnsafePointer<Double>, _ t: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
    for i in 0..<p {
      for j in 0..<p {
        var acc = 0.0
        for q in 0..<p { acc += s[i * p + q] * t[q * p + j] }
        out[i * p + j] = acc
      }
    }
  }

  /// Weighted least squares at τ² (weights wᵢ = 1/(vᵢ + τ²)): fills w, A = (XᵀWX)⁻¹ (in `a`),
  /// β̂, r, Σw, Σw², Σwr², Σw²r², ln det XᵀWX. Returns false when XᵀWX is singular.
  @discardableResult
  func weightedFit(x: UnsafePointer<Double>, y: UnsafePointer<Double>, v: UnsafePointer<Double>, tau2: Double) -> Bool {
    var sw = 0.0, sw2 = 0.0
    for i in 0..<k {
      let wi = 1 / (v[i] + tau2)
      w[i] = wi
      sw += wi
      sw2 += wi * wi
    }
    self.sw = sw
    self.sw2 = sw2
    return solve(x: x, y: y)
  }

  /// As ``weightedFit(x:y:v:tau2:)`` with the weights already in `w` (Σw, Σw² already set).
  func solve(x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Bool {
    let p = self.p
    crossProduct(x, diagonal: w, into: m)
    for s in 0..<p { u[s] = 0 }
    for i in 0..<k {
      let row = x + i * p
      let wy = w[i] * y[i]
      for s in 0..<p { u[s] += row[s] * wy }
    }
    guard let ld = invertSPD(m, into: a) else { return false }
    logDet = ld
    for s in 0..<p {
      var acc = 0.0
      for t in 0..<p { acc += a[s * p + t] * u[t] }
      beta[s] = acc
    }
    var rss = 0.0, rssw = 0.0
    for i in 0..<k {
      let row = x + i * p
      var fitted = 0.0
      for s in 0..<p { fitted += row[s] * beta[s] }
      let ri = y[i] - fitted
      r[i] = ri
      let wr2 = w[i] * ri * ri
      rss += wr2
      rssw += w[i] * wr2
    }
    self.rss = rss
    self.rssw = rssw
    return true
  }

  /// tr(P) after `weightedFit` (uses `b` = XᵀW²X).
  func traceP(x: UnsafePointer<Double>) -> Double {
    for i in 0..<k { d[i] = w[i] * w[i] }
    crossProduct(x, diagonal: d, into: b)
    return sw - traceProduct(a, b)
  }

  /// tr(PP) after `traceP` (uses `b`, fills `c` = XᵀW³X).
  func tracePP(x: UnsafePointer<Double>) -> Double {
    for i in 0..<k { d[i] = w[i] * w[i] * w[i] }
    crossProduct(x, diagonal: d, into: c)
    multiply(a, b, into: t2)  // AB
    return sw2 - 2 * traceProduct(a, c) + traceProduct(t2, t2)
  }

  /// tr(PVPV) and Σ(PV∘P) = tr(PPV) after `traceP` (P from the current weights; uses b, c, t2).
  func varianceTraces(x: UnsafePointer<Double>, v: UnsafePointer<Double>) -> (trPVPV: Double, sumPVP: Double) {
    var sw2v2 = 0.0, sw2v = 0.0
    for i in 0..<k {
      let w2 = w[i] * w[i]
      sw2v2 += w2 * v[i] * v[i]
      sw2v += w2 * v[i]
    }
    multiply(a, b, into: t2)  // AB, B = XᵀW²X
    // E = XᵀW²VX
    for i in 0..<k { d[i] = w[i] * w[i] * v[i] }
    crossProduct(x, diagonal: d, into: c)
    multiply(a, c, into: t1)  // AE
    let trABAE = traceProduct(t2, t1)
    let trAEAE = traceProduct(t1, t1)
    // XᵀW³V²X and XᵀW³VX
    for i in 0..<k { d[i] = w[i] * w[i] * w[i] * v[i] * v[i] }
    crossProduct(x, diagonal: d, into: c)
    let trA_w3v2 = traceProduct(a, c)
    for i in 0..<k { d[i] = w[i] * w[i] * w[i] * v[i] }
    crossProduct(x, diagonal: d, into: c)
    let trA_w3v = traceProduct(a, c)
    return (sw2v2 - 2 * trA_w3v2 + trAEAE, sw2v - 2 * trA_w3v + trABAE)
  }
}
