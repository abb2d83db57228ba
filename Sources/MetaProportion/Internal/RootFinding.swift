// SPDX-License-Identifier: GPL-3.0-or-later

// Hand-written because no package in the offline list offers a scalar root finder, and GSL's
// (gsl_root_fsolver) would need C callbacks outside the distributions shim.

/// The result of a root search.
@usableFromInline
struct RootResult {
  @usableFromInline var root: Double
  @usableFromInline var iterations: Int
  @usableFromInline var converged: Bool
  /// PM under ``RootSearch/uniroot``: the root lies beyond metafor's `tau2.max` and was
  /// found by the extended search (metafor stops there with an error).
  @usableFromInline var beyondMetaforRange = false

  @usableFromInline
  init(root: Double, iterations: Int, converged: Bool) {
    self.root = root; self.iterations = iterations; self.converged = converged
  }
}

/// Finds x in [lo, hi] with f(x) = target for a decreasing f, where f(lo) ≥ target ≥ f(hi).
///
/// Safeguarded Newton from `start` (default `lo`; a start outside (lo, hi) means `lo`): a Newton
/// step from the current point when it stays inside the bracket,
/// bisection otherwise; the bracket shrinks every iteration, so the search always converges.
/// Stops when the step or the bracket is below `tolerance` relative to |x| (τ² can be as small
/// as 10⁻⁹ on the raw-proportion scale, so an absolute tolerance would not do).
@inlinable
func solveDecreasing(
  lo: Double, hi: Double, target: Double, tolerance: Double, maxIterations: Int, start: Double? = nil,
  _ f: (Double) -> (value: Double, slope: Double)
) -> RootResult {
  var a = lo, b = hi
  var x = lo
  if let start, start > lo, start < hi { x = start }
  var (fx, dfx) = f(x)
  if fx == target { return RootResult(root: x, iterations: 0, converged: true) }
  if x > lo {
    if fx > target { a = x } else { b = x }
  }
  for iteration in 1...max(1, maxIterations) {
    var next = dfx < 0 ? x - (fx - target) / dfx : .nan
    if !(next > a && next < b) { next = 0.5 * (a + b) }
    let step = abs(next - x)
    x = next
    (fx, dfx) = f(x)
    if fx > target { a = x } else if fx < target { b = x } else {
      return RootResult(root: x, iterations: iteration, converged: true)
    }
    let scale = max(abs(x), Double.leastNormalMagnitude)
    if step <= tolerance * scale || (b - a) <= tolerance * scale {
      return RootResult(root: x, iterations: iteration, converged: true)
    }
  }
  return RootResult(root: x, iterations: maxIterations, converged: false)
}
