// SPDX-License-Identifier: GPL-3.0-or-later

/// Maximises the (restricted) log-likelihood of the three-level model over (σ²₁, σ²₂) ≥ 0.
///
/// Hand-written because the offline package list has no bound-constrained optimiser. The method
/// is projected average-information scoring (Gilmour, Thompson & Cullis 1995; the AI matrix is
/// positive semi-definite, so every step is an ascent direction) with a backtracking line
/// search on ℓ and an active set at the boundary: a component at 0 whose gradient points
/// below 0 is held there. Near the optimum the AI matrix equals the observed information up to
/// O(residual) terms, so convergence is fast; it stops when every free step is below
/// `tolerance` relative to the component (or to the sampling-variance scale for components
/// near 0) and the projected gradient no longer moves ℓ.
struct VarianceComponentOptimizer {
  /// Relative step tolerance.
  var tolerance: Double = 1e-11
  /// Iteration limit.
  var maxIterations: Int = 500

  struct Result {
    var sigma2: SIMD2<Double>
    var logLikelihood: Double
    var iterations: Int
    var converged: Bool
  }

  /// Maximises ℓ from `start`; components with `fixed[l]` stay at their start value.
  /// `scale` (a typical sampling variance) sets the absolute size below which a component
  /// counts as 0 in the stopping rule.
  func maximise(
    _ ws: MultilevelWorkspace, reml: Bool, start: SIMD2<Double>, fixed: (Bool, Bool) = (false, false), scale: Double
  ) -> Result? {
    var theta = SIMD2(max(0, start[0]), max(0, start[1]))
    guard ws.evaluate(sigma2Cluster: theta[0], sigma2Cohort: theta[1], reml: reml, derivatives: true) else { return nil }
    var ll = ws.logLikelihood
    let floor = 1e-10 * scale
    for iteration in 1...maxIterations {
      let grad = ws.gradient
      let info = ws.information
      // Free set: not fixed, and not at 0 with the gradient pointing down.
      let free0 = !fixed.0 && !(theta[0] <= 0 && grad[0] <= 0)
      let free1 = !fixed.1 && !(theta[1] <= 0 && grad[1] <= 0)
      var step = SIMD2<Double>(0, 0)
      if free0 && free1 {
        let det = info[0] * info[2] - info[1] * info[1]
        if det > 1e-14 * info[0] * info[2], info[0] > 0, info[2] > 0 {
          step = SIMD2((info[2] * grad[0] - info[1] * grad[1]) / det, (info[0] * grad[1] - info[1] * grad[0]) / det)
        } else {
          step = SIMD2(info[0] > 0 ? grad[0] / info[0] : 0, info[2] > 0 ? grad[1] / info[2] : 0)
        }
      } else if free0 {
        step[0] = info[0] > 0 ? grad[0] / info[0] : 0
      } else if free1 {
        step[1] = info[2] > 0 ? grad[1] / info[2] : 0
      }
      if !(step[0].isFinite && step[1].isFinite) { return nil }
      if step == .zero {
        return Result(sigma2: theta, logLikelihood: ll, iterations: iteration, converged: true)
      }
      // Backtracking on ℓ with projection onto σ² ≥ 0; a step beyond 0 is first cut at 0.
      var t = 1.0
      var accepted = false
      var next = theta
      for _ in 0..<60 {
        next = SIMD2(max(0, theta[0] + t * step[0]), max(0, theta[1] + t * step[1]))
        // The derivatives are computed with the trial point, so an accepted step (the usual
        // case) needs no second evaluation.
        guard ws.evaluate(sigma2Cluster: next[0], sigma2Cohort: next[1], reml: reml, derivatives: true) else { return nil }
        if ws.logLikelihood >= ll - 1e-13 * abs(ll) { accepted = true; break }
        t *= 0.5
      }
      let small0 = abs(next[0] - theta[0]) <= tolerance * max(theta[0], floor)
      let small1 = abs(next[1] - theta[1]) <= tolerance * max(theta[1], floor)
      if !accepted {
        // No ascent possible at machine precision: the current point is the maximum.
        _ = ws.evaluate(sigma2Cluster: theta[0], sigma2Cohort: theta[1], reml: reml, derivatives: true)
        return Result(sigma2: theta, logLikelihood: ll, iterations: iteration, converged: true)
      }
      theta = next
      ll = ws.logLikelihood
      if small0 && small1 {
        return Result(sigma2: theta, logLikelihood: ll, iterations: iteration, converged: true)
      }
    }
    return Result(sigma2: theta, logLikelihood: ll, iterations: maxIterations, converged: false)
  }
}
