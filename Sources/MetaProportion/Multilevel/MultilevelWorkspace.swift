// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// The O(k·p²) kernels of the three-level model yᵢⱼ = xᵢⱼᵀβ + uᵢ + wᵢⱼ + eᵢⱼ,
/// uᵢ ~ N(0, σ²₁) (cluster), wᵢⱼ ~ N(0, σ²₂) (cohort), eᵢⱼ ~ N(0, vᵢⱼ).
///
/// The marginal covariance is block-diagonal, one compound-symmetric block per cluster,
/// Vᵢ = Dᵢ + σ²₁·11ᵀ with Dᵢ = diag(vᵢⱼ + σ²₂). By Sherman–Morrison, with dⱼ = vᵢⱼ + σ²₂,
/// sᵢ = Σⱼ 1/dⱼ and cᵢ = σ²₁/(1 + σ²₁sᵢ):
/// ```
/// Vᵢ⁻¹z = D⁻¹z − cᵢ (1ᵀD⁻¹z) D⁻¹1        ln det Vᵢ = Σⱼ ln dⱼ + ln(1 + σ²₁sᵢ)
/// ```
/// so XᵀV⁻¹X, XᵀV⁻¹y, β̂, rᵀV⁻¹r, the (restricted) log-likelihood, its gradient
/// ∂ℓ/∂σ²ₗ = −½ tr(P Vₗ) + ½ yᵀP Vₗ P y (ML: V⁻¹ in place of P in the trace) and the
/// average-information matrix ½ (Vₗ P y)ᵀ P (Vₘ P y) take one or two passes over the rows.
/// No k×k matrix is formed. One workspace per thread; no allocation after `init`.
final class MultilevelWorkspace {
  let k: Int
  let p: Int
  let clusters: Int
  /// Rows in cluster order: outcomes, sampling variances, design rows (row-major k×p).
  let y: UnsafeMutablePointer<Double>
  let v: UnsafeMutablePointer<Double>
  let x: UnsafeMutablePointer<Double>
  let offsets: UnsafeMutablePointer<Int>
  /// Per row: 1/dⱼ, residual rⱼ, u = V⁻¹r (= Py).
  let w: UnsafeMutablePointer<Double>
  let r: UnsafeMutablePointer<Double>
  let u: UnsafeMutablePointer<Double>
  /// A p-vector: one row of V⁻¹X.
  let rowScratch: UnsafeMutablePointer<Double>
  /// Per cluster: sᵢ, cᵢ and gᵢ = Σⱼ xⱼ/dⱼ (clusters×p).
  let s: UnsafeMutablePointer<Double>
  let c: UnsafeMutablePointer<Double>
  let g: UnsafeMutablePointer<Double>
  /// p-vectors: XᵀV⁻¹y, β̂, scratch.
  let xty: UnsafeMutablePointer<Double>
  let beta: UnsafeMutablePointer<Double>
  let pv: UnsafeMutablePointer<Double>
  let pv2: UnsafeMutablePointer<Double>
  /// p×p: XᵀV⁻¹X, scratch for the gradient's trace terms.
  let m: UnsafeMutablePointer<Double>
  let e: UnsafeMutablePointer<Double>
  let f: UnsafeMutablePointer<Double>
  /// The p×p algebra (Cholesky, inverse: A = (XᵀV⁻¹X)⁻¹ in `algebra.a`).
  let algebra: RegressionWorkspace

  // Results of the last `evaluate`.
  var logLikelihood = 0.0
  /// rᵀV⁻¹r.
  var rss = 0.0
  /// ln det (XᵀV⁻¹X).
  var logDetM = 0.0
  /// Gradient (σ²₁, σ²₂).
  var gradient = SIMD2<Double>(0, 0)
  /// Average-information matrix entries (11, 12, 22).
  var information = SIMD3<Double>(0, 0, 0)
  /// Σ over rows and clusters of the row sums of V⁻¹ (= 1ᵀV⁻¹1).
  var sumRowSums = 0.0

  /// ½ ln det(XᵀX) (metafor's REML log-likelihood includes it) and the constant −½(k−p') ln 2π.
  var halfLogDetXtX = 0.0

  init(y yIn: UnsafeBufferPointer<Double>, v vIn: UnsafeBufferPointer<Double>, x xIn: UnsafeBufferPointer<Double>, p: Int, structure: ClusterStructure) {
    k = structure.rows
    self.p = p
    clusters = structure.count
    func alloc(_ n: Int) -> UnsafeMutablePointer<Double> {
      let ptr = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
      ptr.initialize(repeating: 0, count: max(n, 1))
      return ptr
    }
    y = alloc(k); v = alloc(k); x = alloc(k * p)
    w = alloc(k); r = alloc(k); u = alloc(k); rowScratch = alloc(p)
    s = alloc(clusters); c = alloc(clusters); g = alloc(clusters * p)
    xty = alloc(p); beta = alloc(p); pv = alloc(p); pv2 = alloc(p)
    m = alloc(p * p); e = alloc(p * p); f = alloc(p * p)
    offsets = UnsafeMutablePointer<Int>.allocate(capacity: clusters + 1)
    for i in 0...clusters { offsets[i] = structure.offsets[i] }
    for (dst, src) in structure.order.enumerated() {
      y[dst] = yIn[src]
      v[dst] = vIn[src]
      for q in 0..<p { x[dst * p + q] = xIn[src * p + q] }
    }
    algebra = RegressionWorkspace(p: p, capacity: k)
    algebra.k = k
    // ½ ln det XᵀX
    for i in 0..<k { algebra.d[i] = 1 }
    algebra.crossProduct(x, diagonal: algebra.d, into: algebra.m)
    halfLogDetXtX = 0.5 * (algebra.invertSPD(algebra.m, into: algebra.b) ?? .nan)
  }

  deinit {
    for ptr in [y, v, x, w, r, u, rowScratch, s, c, g, xty, beta, pv, pv2, m, e, f] { ptr.deallocate() }
    offsets.deallocate()
  }

  /// A = (XᵀV⁻¹X)⁻¹ of the last evaluation.
  var a: UnsafeMutablePointer<Double> { algebra.a }

  /// Evaluates the model at (σ²₁, σ²₂): β̂, A, residuals, ℓ (ML or REML, metafor's
  /// constants), and optionally the gradient and the average-information matrix.
  /// Returns false when XᵀV⁻¹X is singular.
  @discardableResult
  func evaluate(sigma2Cluster b: Double, sigma2Cohort aa: Double, reml: Bool, derivatives: Bool) -> Bool {
    let p = self.p
    m.update(repeating: 0, count: p * p)
    for q in 0..<p { xty[q] = 0 }
    var logDetV = 0.0
    var product = 1.0  // Π dⱼ, folded into logDetV before it can overflow
    for i in 0..<clusters {
      var si = 0.0, hi = 0.0
      let gi = g + i * p
      for q in 0..<p { gi[q] = 0 }
      for j in offsets[i]..<offsets[i + 1] {
        let dj = v[j] + aa
        product *= dj
        if product > 1e250 || product < 1e-250 { logDetV += Double.log(product); product = 1 }
        let wj = 1 / dj
        w[j] = wj
        si += wj
        let yw = y[j] * wj
        hi += yw
        let row = x + j * p
        for q in 0..<p {
          let xq = row[q] * wj
          gi[q] += xq
          xty[q] += xq * y[j]
          for t in q..<p { m[q * p + t] += xq * row[t] }
        }
      }
      let ci = b / (1 + b * si)
      s[i] = si
      c[i] = ci
      logDetV += Double.log(onePlus: b * si)
      for q in 0..<p {
        xty[q] -= ci * gi[q] * hi
        for t in q..<p { m[q * p + t] -= ci * gi[q] * gi[t] }
      }
    }
    logDetV += Double.log(product)
    for q in 0..<p { for t in 0..<q { m[q * p + t] = m[t * p + q] } }
    guard let ld = algebra.invertSPD(m, into: algebra.a) else { return false }
    logDetM = ld
    let a = algebra.a
    for q in 0..<p {
      var acc = 0.0
      for t in 0..<p { acc += a[q * p + t] * xty[t] }
      beta[q] = acc
    }
    // Residuals, u = V⁻¹r, rᵀV⁻¹r
    var rss = 0.0
    for i in 0..<clusters {
      var ti = 0.0
      for j in offsets[i]..<offsets[i + 1] {
        let row = x + j * p
        var fitted = 0.0
        for q in 0..<p { fitted += row[q] * beta[q] }
        let rj = y[j] - fitted
        r[j] = rj
        ti += rj * w[j]
      }
      let ci = c[i]
      for j in offsets[i]..<offsets[i + 1] {
        let uj = w[j] * (r[j] - ci * ti)
        u[j] = uj
        rss += r[j] * uj
      }
    }
    self.rss = rss
    let log2pi = Double.log(2 * Double.pi)
    if reml {
      logLikelihood = -0.5 * (Double(k - p) * log2pi + logDetV + ld + rss) + halfLogDetXtX
    } else {
      logLikelihood = -0.5 * (Double(k) * log2pi + logDetV + rss)
    }
    if derivatives { computeDerivatives(b: b, reml: reml) }
    return true
  }

  /// Gradient and average information at the last evaluation, in one pass over the rows.
  ///
  /// With u = V⁻¹r = Py, z₂ = V₂u = u and z₁ = V₁u (the block sum Uᵢ = 1ᵀuᵢ on every row of
  /// block i): V⁻¹z₂ = wⱼ(uⱼ − cᵢΣwu) and V⁻¹z₁ = wⱼUᵢ/(1 + σ²₁sᵢ), so the three quadratic
  /// forms zₗᵀPzₘ = zₗᵀV⁻¹zₘ − (XᵀV⁻¹zₗ)ᵀA(XᵀV⁻¹zₘ) need one pass.
  private func computeDerivatives(b: Double, reml: Bool) {
    let p = self.p
    let a = algebra.a
    var trB = 0.0, trA = 0.0, quadB = 0.0, quadA = 0.0
    var i11 = 0.0, i12 = 0.0, i22 = 0.0
    if reml {
      e.update(repeating: 0, count: p * p)
      f.update(repeating: 0, count: p * p)
      for q in 0..<p { pv[q] = 0; pv2[q] = 0 }
    }
    for i in 0..<clusters {
      let si = s[i], ci = c[i]
      let gi = g + i * p
      let scale = 1 / (1 + b * si)
      trB += si * scale
      var ui = 0.0, sw2 = 0.0, swu = 0.0
      for j in offsets[i]..<offsets[i + 1] {
        let wj = w[j]
        sw2 += wj * wj
        ui += u[j]
        swu += wj * u[j]
        quadA += u[j] * u[j]
        if reml {
          // row j of V⁻¹X: wⱼ(xⱼ − cᵢgᵢ)
          let row = x + j * p
          for q in 0..<p { rowScratch[q] = wj * (row[q] - ci * gi[q]) }
          for q in 0..<p { for t in q..<p { e[q * p + t] += rowScratch[q] * rowScratch[t] } }
        }
      }
      trA += si - ci * sw2
      quadB += ui * ui
      // Quadratic forms: q₂ = V⁻¹z₂ (cohort level), q₁ = V⁻¹z₁ (cluster level).
      var sumQ2 = 0.0
      for j in offsets[i]..<offsets[i + 1] {
        let q2 = w[j] * (u[j] - ci * swu)
        let q1 = w[j] * ui * scale
        i22 += u[j] * q2
        sumQ2 += q2
        if reml {
          let row = x + j * p
          for q in 0..<p { pv[q] += row[q] * q2; pv2[q] += row[q] * q1 }
        }
      }
      i11 += ui * ui * si * scale
      i12 += ui * sumQ2
      if reml {
        let sc2 = scale * scale
        for q in 0..<p { for t in q..<p { f[q * p + t] += sc2 * gi[q] * gi[t] } }
      }
    }
    if reml {
      for q in 0..<p { for t in 0..<q { e[q * p + t] = e[t * p + q]; f[q * p + t] = f[t * p + q] } }
      trA -= algebra.traceProduct(a, e)
      trB -= algebra.traceProduct(a, f)
      // − (XᵀV⁻¹zₗ)ᵀ A (XᵀV⁻¹zₘ)
      var a22 = 0.0, a11 = 0.0, a12 = 0.0
      for q in 0..<p {
        var t2 = 0.0, t1 = 0.0
        for r in 0..<p { t2 += a[q * p + r] * pv[r]; t1 += a[q * p + r] * pv2[r] }
        a22 += pv[q] * t2
        a11 += pv2[q] * t1
        a12 += pv2[q] * t2
      }
      i22 -= a22
      i11 -= a11
      i12 -= a12
    }
    gradient = SIMD2(0.5 * (quadB - trB), 0.5 * (quadA - trA))
    information = SIMD3(0.5 * i11, 0.5 * i12, 0.5 * i22)
  }

  /// Row sums of V⁻¹ at the last evaluation, in cluster order (wⱼ/(1 + σ²₁sᵢ)), into `out`
  /// (indexed by the original row through `order`); returns their total 1ᵀV⁻¹1.
  func rowSums(sigma2Cluster b: Double, order: [Int], into out: inout [Double]) -> Double {
    var total = 0.0
    for i in 0..<clusters {
      let scale = 1 / (1 + b * s[i])
      for j in offsets[i]..<offsets[i + 1] {
        let rs = w[j] * scale
        out[order[j]] = rs
        total += rs
      }
    }
    return total
  }
}
