// SPDX-License-Identifier: GPL-3.0-or-later

/// The profile-likelihood CI of one variance component of the three-level model, as metafor's
/// `confint(rma.mv, sigma2 = l)`: the σ²ₗ at which 2(ℓ̂ − ℓₚ(σ²ₗ)) = χ²₁,₁₋α, where ℓₚ
/// maximises ℓ over the other component with σ²ₗ fixed.
///
/// metafor searches in [0, vc.max] with vc.max = max(10, 100·σ̂²ₗ) (10 when σ̂²ₗ ≤ √ε); a bound
/// is the end of the interval when the profile does not cross the cut-off there. By the envelope
/// theorem dℓₚ/dσ²ₗ = ∂ℓ/∂σ²ₗ at the profile optimum, so the root search takes Newton steps.
/// Under ``RootSearch/uniroot`` (`--convergence metafor`) each bound is R's `uniroot` of
/// 2(ℓ̂ − ℓₚ(x)) − χ²₁,₁₋α on [0, σ̂²ₗ] and [σ̂²ₗ, vc.max] with tol = ``FitControl/rootTolerance``
/// and maxiter 1000, as metafor 3.8-1's `confint.rma.mv` calls it (`.profile.rma.mv` with
/// `confint = TRUE` returns that difference; `con$tol = .Machine$double.eps^0.25`), so the
/// bounds stop where metafor's (and R meta's) stop.
struct VarianceComponentProfile {
  let workspace: MultilevelWorkspace
  let reml: Bool
  let optimum: SIMD2<Double>
  let logLikelihood: Double
  let component: Int
  let scale: Double
  let control: FitControl

  /// (2(ℓ̂ − ℓₚ(x)), its derivative in x) with a warm start for the other component.
  private func deviance(_ x: Double, other: inout Double) -> (value: Double, slope: Double) {
    var start = optimum
    start[component] = x
    start[1 - component] = other
    let fixed = component == 0 ? (true, false) : (false, true)
    guard let r = VarianceComponentOptimizer().maximise(workspace, reml: reml, start: start, fixed: fixed, scale: scale) else {
      return (.nan, .nan)
    }
    other = r.sigma2[1 - component]
    return (2 * (logLikelihood - r.logLikelihood), -2 * workspace.gradient[component])
  }

  struct Interval {
    var lower: Double
    var upper: Double
    var upperAtLimit: Bool
    var converged: Bool
  }

  func interval(cutoff: Double) -> Interval {
    let hat = optimum[component]
    let vcMax = hat <= Double.ulpOfOne.squareRoot() ? 10 : max(10, 100 * hat)
    var converged = true
    // Lower bound.
    var other = optimum[1 - component]
    var lower = 0.0
    if hat > 0 {
      let atZero = deviance(0, other: &other)
      if atZero.value > cutoff {
        other = optimum[1 - component]
        if let r = metaforRoot(lower: 0, upper: hat, fLower: atZero.value - cutoff, fUpper: -cutoff, cutoff: cutoff, other: &other) {
          lower = r.root
          converged = converged && r.converged
        } else {
          let root = solveDecreasing(lo: 0, hi: hat, target: cutoff, tolerance: 1e-13, maxIterations: 200, start: 0.5 * hat) { x in
            let d = deviance(x, other: &other)
            return (d.value, d.slope)
          }
          lower = root.root
          converged = converged && root.converged
        }
      }
    }
    // Upper bound (the deviance increases on [σ̂², vc.max]: search its negative).
    other = optimum[1 - component]
    var upper = vcMax
    var atLimit = true
    let atMax = deviance(vcMax, other: &other)
    if atMax.value > cutoff {
      atLimit = false
      other = optimum[1 - component]
      if let r = metaforRoot(lower: hat, upper: vcMax, fLower: -cutoff, fUpper: atMax.value - cutoff, cutoff: cutoff, other: &other) {
        return Interval(lower: lower, upper: r.root, upperAtLimit: false, converged: converged && r.converged)
      }
      let start = hat > 0 ? 2 * hat : nil
      let root = solveDecreasing(lo: hat, hi: vcMax, target: -cutoff, tolerance: 1e-13, maxIterations: 200, start: start) { x in
        let d = deviance(x, other: &other)
        return (-d.value, -d.slope)
      }
      upper = root.root
      converged = converged && root.converged
    }
    return Interval(lower: lower, upper: upper, upperAtLimit: atLimit, converged: converged)
  }

  /// metafor's root search (``RootSearch/uniroot``): R's `uniroot` of the deviance minus the
  /// cut-off; nil under ``RootSearch/newton``. f(σ̂²ₗ) is −cut-off (the deviance is 0 at the
  /// optimum, where metafor's refit returns its own log-likelihood).
  private func metaforRoot(
    lower: Double, upper: Double, fLower: Double, fUpper: Double, cutoff: Double, other: inout Double
  ) -> RootResult? {
    guard control.rootSearch == .uniroot else { return nil }
    var o = other
    let r = uniroot(lower: lower, upper: upper, fLower: fLower, fUpper: fUpper, tolerance: control.rootTolerance, maxIterations: 1000) { x in
      deviance(x, other: &o).value - cutoff
    }
    other = o
    return r
  }
}
