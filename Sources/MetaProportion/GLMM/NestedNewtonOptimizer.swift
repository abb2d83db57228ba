// SPDX-License-Identifier: GPL-3.0-or-later

/// Newton's method on the three-level binomial-normal log-likelihood over θ = (μ, σ₁, σ₂),
/// with some coordinates optionally held fixed (boundary models and likelihood profiles).
///
/// Hand-written (as the one-level ``BinomialNormalModel``'s): three parameters, an analytic Hessian
/// (exact for the Laplace approximation, fixed-node for the quadrature) and a likelihood that is even in σ₁ and σ₂ make a short Newton
/// iteration with reflection (σ → |σ|) faster and more predictable than a general bounded
/// optimizer. Where −H is not positive definite the step solves (−H + λI)d = ∇ℓ with λ just
/// large enough; steps are capped at `maxStep` and accepted by a backtracking (Armijo) search.
struct NestedNewtonOptimizer {
  /// The result of one maximisation.
  struct Maximum {
    var theta: SIMD3<Double>
    var evaluation: NestedEvaluation
    var iterations: Int
    var converged: Bool
    /// Why the search stopped when it did not converge.
    var failure: String?
    /// Whether the search ended at θ + step (``extrapolationTolerance``): `evaluation` is then
    /// the previous point's, with ℓ raised to Newton's quadratic model.
    var extrapolated = false
  }

  /// Converged when −H (free block) is positive definite and the Newton step, scaled as
  /// |Δθ|/(1 + |θ|), is below this.
  var stepTolerance = 1e-9
  /// When set: a positive-definite Newton step below this (scaled as ``stepTolerance``) ends
  /// the search at θ + step, unevaluated. Newton converges quadratically, so θ + step is within
  /// about the step's square of the maximum; the returned evaluation is θ's, with ℓ raised to
  /// Newton's quadratic model (ℓ + ½∇ℓ·step, whose error is of the order of the step's cube),
  /// and the maximum is marked ``Maximum/extrapolated``. It saves each search the evaluation
  /// that would confirm the step; a caller that needs the gradient or Hessian at the maximum
  /// evaluates there.
  var extrapolationTolerance: Double? = nil
  var maxIterations = 200
  var maxStep = 1.0

  /// Maximises `f` from `start` over the coordinates with `free[i]`.
  /// - Parameters:
  ///   - f: ℓ(θ) with gradient and Hessian (`derivatives: false` may skip them).
  ///   - startEvaluation: `f(start, true)` when already known (saves one evaluation).
  func maximize(
    _ f: (SIMD3<Double>, Bool) -> NestedEvaluation, start: SIMD3<Double>, free: SIMD3<Double> = .one,
    startEvaluation: NestedEvaluation? = nil
  ) -> Maximum {
    var theta = SIMD3(start[0], abs(start[1]), abs(start[2]))
    var ev = theta == start ? startEvaluation ?? f(theta, true) : f(theta, true)
    guard ev.value.isFinite else {
      return Maximum(theta: theta, evaluation: ev, iterations: 0, converged: false, failure: "the log-likelihood is not finite at the start")
    }
    var iteration = 0
    while iteration < maxIterations {
      iteration += 1
      let g = ev.gradient * free
      let a = Self.negatedFreeHessian(ev, free: free)
      var d = Self.choleskySolve(a, g)
      let positiveDefinite = d != nil
      if let step = d {
        let size = (abs(step) / (1 + abs(theta))).max()
        if size < stepTolerance {
          // θ is within the tolerance of the maximum (Newton converges quadratically, so the
          // step is the remaining error): return it with its evaluation rather than paying one
          // more for a change far below the tolerance.
          return Maximum(theta: theta, evaluation: ev, iterations: iteration, converged: true, failure: nil)
        }
        if let limit = extrapolationTolerance, size < limit {
          var next = theta + step
          next[1] = abs(next[1])
          next[2] = abs(next[2])
          var extrapolated = ev
          extrapolated.value += 0.5 * (g * step).sum()
          return Maximum(theta: next, evaluation: extrapolated, iterations: iteration, converged: true, failure: nil, extrapolated: true)
        }
      } else {
        // On a boundary σ = 0 where ℓ curves upwards in σ (∂ℓ/∂σ = 0 there by symmetry, so no
        // step would leave it): step off.
        var moved = false
        for i in 1...2 where free[i] == 1 && theta[i] == 0 && a[i][i] < 0 {
          theta[i] = 0.1
          moved = true
        }
        if moved {
          ev = f(theta, true)
          continue
        }
        var shift = 1e-8 + 1e-3 * (abs(a[0][0]) + abs(a[1][1]) + abs(a[2][2]))
        for _ in 0..<60 {
          var b = a
          for i in 0..<3 where free[i] == 1 { b[i][i] += shift }
          if let s = Self.choleskySolve(b, g) {
            d = s
            break
          }
          shift *= 4
        }
      }
      guard var step = d else {
        return Maximum(theta: theta, evaluation: ev, iterations: iteration, converged: false, failure: "no ascent direction")
      }
      let longest = abs(step).max()
      if longest > maxStep { step *= maxStep / longest }
      let slope = (g * step).sum()
      var t = 1.0
      var accepted = false
      if positiveDefinite, (abs(step) / (1 + abs(theta))).max() < 1e-4 {
        // Near the maximum ℓ changes by less than its rounding error: take the full step.
        var next = theta + step
        next[1] = abs(next[1])
        next[2] = abs(next[2])
        let trial = f(next, true)
        if trial.value.isFinite, trial.value >= ev.value - 1e-9 * (1 + abs(ev.value)) {
          theta = next
          ev = trial
          continue
        }
      }
      for _ in 0..<40 {
        var next = theta + t * step
        next[1] = abs(next[1])
        next[2] = abs(next[2])
        let trial = f(next, true)
        if trial.value.isFinite, trial.value >= ev.value + 1e-4 * t * slope {
          theta = next
          ev = trial
          accepted = true
          break
        }
        t *= 0.5
      }
      if !accepted {
        // At the maximum within rounding (a nearly singular −H can keep the Newton step above
        // the tolerance while ℓ no longer changes): converged when the gradient vanishes.
        if ((g * g).sum()).squareRoot() < 1e-6 {
          return Maximum(theta: theta, evaluation: ev, iterations: iteration, converged: true, failure: nil)
        }
        return Maximum(theta: theta, evaluation: ev, iterations: iteration, converged: false, failure: "the line search found no ascent along the Newton direction")
      }
      if abs(theta[0]) > 100 || theta[1] > 100 || theta[2] > 100 {
        return Maximum(theta: theta, evaluation: ev, iterations: iteration, converged: false, failure: "the estimates diverge (|mu| or a sigma above 100)")
      }
    }
    return Maximum(theta: theta, evaluation: ev, iterations: iteration, converged: false, failure: "no convergence within \(maxIterations) Newton iterations")
  }

  /// −H restricted to the free coordinates (fixed rows and columns replaced by the identity).
  static func negatedFreeHessian(_ ev: NestedEvaluation, free: SIMD3<Double>) -> [SIMD3<Double>] {
    var a = [-ev.hessian.0, -ev.hessian.1, -ev.hessian.2]
    for i in 0..<3 {
      for j in 0..<3 where free[i] == 0 || free[j] == 0 { a[i][j] = i == j ? 1 : 0 }
    }
    return a
  }

  /// Solves A d = g for symmetric A by Cholesky; nil when A is not positive definite.
  static func choleskySolve(_ a: [SIMD3<Double>], _ g: SIMD3<Double>) -> SIMD3<Double>? {
    var l = [SIMD3<Double>](repeating: .zero, count: 3)
    for i in 0..<3 {
      for j in 0...i {
        var s = a[i][j]
        for m in 0..<j { s -= l[i][m] * l[j][m] }
        if i == j {
          guard s > 0, s.isFinite else { return nil }
          l[i][i] = s.squareRoot()
        } else {
          l[i][j] = s / l[j][j]
        }
      }
    }
    var y = SIMD3<Double>.zero
    for i in 0..<3 {
      var s = g[i]
      for m in 0..<i { s -= l[i][m] * y[m] }
      y[i] = s / l[i][i]
    }
    var d = SIMD3<Double>.zero
    for i in stride(from: 2, through: 0, by: -1) {
      var s = y[i]
      for m in (i + 1)..<3 { s -= l[m][i] * d[m] }
      d[i] = s / l[i][i]
    }
    return d
  }

  /// Inverse of a symmetric positive-definite 3×3 matrix (columns by Cholesky solves).
  static func inverse(_ a: [SIMD3<Double>]) -> [SIMD3<Double>]? {
    var columns: [SIMD3<Double>] = []
    for e in [SIMD3<Double>(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)] {
      guard let c = choleskySolve(a, e) else { return nil }
      columns.append(c)
    }
    return columns
  }
}

extension SIMD3 where Scalar == Double {
  /// (1, 1, 1): every coordinate free.
  static var one: SIMD3<Double> { SIMD3(repeating: 1) }
}

/// |v| elementwise.
@inline(__always)
func abs(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(abs(v[0]), abs(v[1]), abs(v[2])) }
