// SPDX-License-Identifier: GPL-3.0-or-later

// Written here (not taken from a library) because `--convergence metafor` must stop exactly
// where R's `uniroot` stops: the same iterates, the same stopping test. The algorithm is Brent's
// zeroin (Brent 1973, ch. 4) as R's `R_zeroin2` (src/library/stats/src/zeroin.c) runs it, with
// R's `uniroot(extendInt = "no")` wrapper: f at both ends given, tolerance tol_act =
// 2·ε·|b| + tol/2, interpolation accepted only inside the bracket and below half the step
// before last, and at most maxiter + 1 evaluations.

/// R's `uniroot(f, c(lower, upper), tol = tolerance, maxiter = maxIterations)` with
/// `extendInt = "no"`, given f(lower) and f(upper) (as R evaluates them first).
///
/// Returns nil when f(lower) and f(upper) have the same sign (R stops with "f() values at end
/// points not of opposite sign"). A search that runs out of iterations returns its last iterate
/// with `converged` false (R warns "_NOT_ converged" and returns it too).
@inlinable
func uniroot(
  lower: Double, upper: Double, fLower: Double, fUpper: Double, tolerance: Double, maxIterations: Int,
  _ f: (Double) -> Double
) -> RootResult? {
  guard fLower.sign != fUpper.sign || fLower == 0 || fUpper == 0, !fLower.isNaN, !fUpper.isNaN else { return nil }
  var a = lower, b = upper
  var fa = fLower, fb = fUpper
  var c = a, fc = fa
  if fa == 0 { return RootResult(root: a, iterations: 0, converged: true) }
  if fb == 0 { return RootResult(root: b, iterations: 0, converged: true) }
  var remaining = maxIterations + 1
  while remaining > 0 {
    remaining -= 1
    let previousStep = b - a
    if abs(fc) < abs(fb) {  // b is the best approximation so far
      a = b; b = c; c = a
      fa = fb; fb = fc; fc = fa
    }
    let tolAct = 2 * Double.ulpOfOne * abs(b) + tolerance / 2
    var step = (c - b) / 2
    if abs(step) <= tolAct || fb == 0 {
      return RootResult(root: b, iterations: maxIterations + 1 - remaining - 1, converged: true)
    }
    if abs(previousStep) >= tolAct && abs(fa) > abs(fb) {
      // Interpolation: secant with two distinct points, inverse quadratic with three; the step
      // is p/q, the division delayed until accepted.
      let cb = c - b
      var p: Double, q: Double
      if a == c {
        let t1 = fb / fa
        p = cb * t1
        q = 1 - t1
      } else {
        let qa = fa / fc, t1 = fb / fc, t2 = fb / fa
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1))
        q = (qa - 1) * (t1 - 1) * (t2 - 1)
      }
      if p > 0 { q = -q } else { p = -p }
      if p < 0.75 * cb * q - abs(tolAct * q) / 2 && p < abs(previousStep * q / 2) {
        step = p / q
      }
    }
    if abs(step) < tolAct { step = step > 0 ? tolAct : -tolAct }
    a = b; fa = fb
    b += step
    fb = f(b)
    if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
      c = a; fc = fa
    }
  }
  return RootResult(root: b, iterations: maxIterations, converged: false)
}
