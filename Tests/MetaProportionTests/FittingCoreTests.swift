// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import MetaProportion
import Testing
import _TestSupport

/// The fitting core's arithmetic (Docs/methods.md §2.1, Docs/performance.md): SIMD sums against
/// plain loops, one-pass shifted sums against two-pass moments, the allocation-free stable traces,
/// and Newton steps against metafor's Fisher scoring (same root inside, same path at the boundary).
struct FittingCoreTests {
  /// Logit outcomes of seeded synthetic cohorts (n uniform on 20…200, true logit −0.2 + s·z).
  static func data(k: Int, spread: Double = 0.6, seed: UInt64 = 7) -> (y: [Double], v: [Double]) {
    var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(k))
    func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    var y = [Double](), v = [Double]()
    for _ in 0..<k {
      let n = 20 + rng.nextIndex(below: 181)
      let z = (-2 * Foundation.log(1 - uniform())).squareRoot() * Foundation.cos(2 * Double.pi * uniform())
      let p = 1 / (1 + Foundation.exp(-(-0.2 + spread * z)))
      var x = 0
      for _ in 0..<n where uniform() < p { x += 1 }
      let a = x == 0 || x == n ? 0.5 : 0
      let o = EffectSizes.outcome(measure: .PLO, x: Double(x) + a, m: Double(n - x) + a)
      y.append(o.y)
      v.append(o.v)
    }
    return (y, v)
  }

  @Test("SIMD moments equal plain two-pass loops for every k mod 4", arguments: [1, 2, 3, 4, 5, 6, 7, 9, 66, 1001])
  func moments(k: Int) {
    let (y, v) = Self.data(k: k)
    for tau2 in [0.0, 0.37] {
      var sw = 0.0, swy = 0.0, sw2 = 0.0, sw3 = 0.0
      for i in 0..<k {
        let w = 1 / (v[i] + tau2)
        sw += w; swy += w * y[i]; sw2 += w * w; sw3 += w * w * w
      }
      let mean = swy / sw
      var q = 0.0, qw = 0.0
      for i in 0..<k {
        let w = 1 / (v[i] + tau2)
        q += w * (y[i] - mean) * (y[i] - mean)
        qw += w * w * (y[i] - mean) * (y[i] - mean)
      }
      let m = y.withUnsafeBufferPointer { yb in v.withUnsafeBufferPointer { vb in WeightedMoments(y: yb, v: vb, tau2: tau2) } }
      #expect(isClose(m.sw, sw, rtol: 1e-14) && isClose(m.sw2, sw2, rtol: 1e-14) && isClose(m.sw3, sw3, rtol: 1e-14))
      #expect(isClose(m.mean, mean, rtol: 1e-12))
      if k > 1 {
        #expect(isClose(m.q, q, rtol: 1e-10) && isClose(m.qw, qw, rtol: 1e-10))
      }
    }
  }

  @Test("one-pass shifted sums agree with two-pass moments", arguments: [2, 5, 66, 1000])
  func scoringSums(k: Int) {
    let (y, v) = Self.data(k: k)
    y.withUnsafeBufferPointer { yb in
      v.withUnsafeBufferPointer { vb in
        for tau2 in [0.0, 0.2, 3.0] {
          let m = WeightedMoments(y: yb, v: vb, tau2: tau2)
          for shift in [m.mean, m.mean + 0.3, 0] {
            let s = ScoringSums(y: yb.baseAddress!, v: vb.baseAddress!, count: k, tau2: tau2, shift: shift, curvature: true)
            #expect(isClose(s.mean, m.mean, rtol: 1e-12))
            #expect(isClose(s.ypy, m.q, rtol: 1e-9))
            #expect(isClose(s.yppy, m.qw, rtol: 1e-9))
            // YᵀPPPY = Σw³r² − (Σw²r)²/Σw, directly.
            var w3r2 = 0.0, w2r = 0.0
            for i in 0..<k {
              let w = 1 / (v[i] + tau2), r = y[i] - m.mean
              w3r2 += w * w * w * r * r
              w2r += w * w * r
            }
            #expect(isClose(s.ypppy, w3r2 - w2r * w2r / m.sw, rtol: 1e-8))
          }
        }
      }
    }
  }

  @Test("stable traces: the same as the closed forms when those are accurate, non-negative when one weight dominates")
  func stableTraces() {
    let (_, v) = Self.data(k: 37)
    v.withUnsafeBufferPointer { vb in
      for tau2 in [0.0, 0.5] {
        var sw = 0.0, sw2 = 0.0, sw3 = 0.0
        for x in v { let w = 1 / (x + tau2); sw += w; sw2 += w * w; sw3 += w * w * w }
        let (tp, tpp) = WeightedMoments.stableTraces(v: vb, tau2: tau2, sw: sw)
        #expect(isClose(tp, sw - sw2 / sw, rtol: 1e-12))
        #expect(isClose(tpp, sw2 - 2 * sw3 / sw + sw2 * sw2 / (sw * sw), rtol: 1e-10))
      }
    }
    let dominant: [Double] = [1e-14, 1, 2, 3, 0.5]
    dominant.withUnsafeBufferPointer { vb in
      let w = dominant.map { 1 / $0 }
      let sw = w.reduce(0, +)
      // Direct sums of non-negative terms: tr P = 2Σ_{i<j} wᵢwⱼ/S; tr PP = Σᵢⱼ Pᵢⱼ² with
      // Pᵢᵢ = wᵢTᵢ/S (Tᵢ = Σ_{j≠i} wⱼ) and Pᵢⱼ = −wᵢwⱼ/S.
      var tp = 0.0, tpp = 0.0
      for i in 0..<w.count {
        var t = 0.0
        for j in 0..<w.count where j != i {
          t += w[j]
          if j > i { tp += 2 * w[i] * w[j] / sw }
          tpp += (w[i] * w[j] / sw) * (w[i] * w[j] / sw)
        }
        tpp += (w[i] * t / sw) * (w[i] * t / sw)
      }
      let (a, b) = WeightedMoments.stableTraces(v: vb, tau2: 0, sw: sw)
      #expect(isClose(a, tp, rtol: 1e-12))
      #expect(isClose(b, tpp, rtol: 1e-12))
      // The closed forms cancel catastrophically here; the moments fall back to the stable sums.
      let m = [0.1, 0.2, 0.3, 0.4, 0.5].withUnsafeBufferPointer { yb in WeightedMoments(y: yb, v: vb, tau2: 0) }
      #expect(m.traceP == a && m.tracePP == b)
    }
  }

  @Test("Newton steps reach Fisher scoring's root in fewer iterations", arguments: [TauSquaredMethod.ML, .REML, .EB])
  func newtonInterior(method: TauSquaredMethod) {
    for (k, seed) in [(10, UInt64(1)), (66, 2), (300, 3)] {
      let (y, v) = Self.data(k: k, seed: seed)
      let newton = FitControl(threshold: 1e-12)
      let fisher = FitControl(threshold: 1e-12, algorithm: .fisherScoring)
      let (a, b) = y.withUnsafeBufferPointer { yb in
        v.withUnsafeBufferPointer { vb in
          (TauSquaredEstimator.estimate(y: yb, v: vb, method: method, control: newton),
           TauSquaredEstimator.estimate(y: yb, v: vb, method: method, control: fisher))
        }
      }
      #expect(a.converged && b.converged)
      #expect(b.tau2 > 0)
      #expect(isClose(a.tau2, b.tau2, rtol: 1e-9), "k = \(k): \(a.tau2) vs \(b.tau2)")
      #expect(isClose(a.standardError, b.standardError, rtol: 1e-8))
      #expect(a.iterations <= b.iterations, "k = \(k): Newton \(a.iterations), Fisher \(b.iterations)")
    }
  }

  @Test("at the τ² = 0 boundary Newton hands over to Fisher scoring and ends where metafor ends", arguments: [TauSquaredMethod.ML, .REML, .EB])
  func newtonBoundary(method: TauSquaredMethod) {
    // Nearly homogeneous outcomes whose Hedges start is positive but whose maximum is at 0.
    var found = 0
    for seed in UInt64(1)...60 {
      let (y, v) = Self.data(k: 8, spread: 0.05, seed: seed)
      let (a, b) = y.withUnsafeBufferPointer { yb in
        v.withUnsafeBufferPointer { vb in
          (TauSquaredEstimator.estimate(y: yb, v: vb, method: method, control: FitControl(threshold: 1e-12)),
           TauSquaredEstimator.estimate(
            y: yb, v: vb, method: method, control: FitControl(threshold: 1e-12, algorithm: .fisherScoring)))
        }
      }
      if b.tau2 < 1e-9, b.iterations > 1 {  // Fisher scoring crept towards the boundary
        found += 1
        #expect(a.tau2 == b.tau2, "seed \(seed): \(a.tau2) vs \(b.tau2)")
        #expect(a.resetByLogLikelihoodCheck == b.resetByLogLikelihoodCheck)
        #expect(a.iterations > b.iterations)
      }
      #expect(abs(a.tau2 - b.tau2) <= 1e-10)
    }
    #expect(found > 0)
  }

  @Test("metafor's control still takes Fisher-scoring steps")
  func metaforControl() {
    #expect(FitControl.metafor.algorithm == .fisherScoring)
    #expect(FitControl.tight.algorithm == .newton)
  }

  @Test("Paule–Mandel started at DerSimonian–Laird finds the same root as from 0")
  func pauleMandelStart() {
    for k in [3, 10, 66, 500] {
      let (y, v) = Self.data(k: k, seed: UInt64(k))
      let est = y.withUnsafeBufferPointer { yb in v.withUnsafeBufferPointer { vb in
        TauSquaredEstimator.estimate(y: yb, v: vb, method: .PM, control: .tight)
      } }
      // Q(τ̂²) = k − 1 at the root.
      let m = y.withUnsafeBufferPointer { yb in v.withUnsafeBufferPointer { vb in WeightedMoments(y: yb, v: vb, tau2: est.tau2) } }
      if est.tau2 > 0 { #expect(isClose(m.q, Double(k - 1), rtol: 1e-10), "k = \(k)") }
      let r = y.withUnsafeBufferPointer { yb in v.withUnsafeBufferPointer { vb in
        solveDecreasing(lo: 0, hi: 1e4, target: Double(k - 1), tolerance: 1e-13, maxIterations: 1000) { t in
          let w = WeightedMoments(y: yb, v: vb, tau2: t)
          return (w.q, -w.qw)
        }
      } }
      if est.tau2 > 0 { #expect(isClose(est.tau2, r.root, rtol: 1e-11), "k = \(k): \(est.tau2) vs \(r.root)") }
    }
  }
}
