// SPDX-License-Identifier: GPL-3.0-or-later

// Written here: MetaProportion has no linear-algebra dependency, and the one symmetric matrix
// whose eigenvalues it needs (Jackson's generalised Q, ``GeneralisedQInterval``) is a diagonal
// matrix minus a rank-one matrix. Its eigenvalues are the roots of a scalar secular equation
// (Golub 1973; Bunch, Nielsen & Sorensen 1978), found here in O(k) memory and O(k²) time
// without forming the k × k matrix.

/// The eigenvalues of D − z zᵀ, D = diag(`diagonal`), given cᵢ = zᵢ² (`squaredUpdate`, cᵢ ≥ 0),
/// in decreasing order.
///
/// Deflation, exact: a run of m equal diagonal values d whose cᵢ sum to C is rotated into one
/// entry (a Householder reflection within the run leaves one component √C of z and zeros), so
/// d is an eigenvalue m − 1 times (m times when C = 0, which covers a single cᵢ = 0), and the
/// run keeps one pole (d, C) when C > 0.
///
/// Secular equation: with the n remaining poles p₁ < … < pₙ and their weights Cⱼ > 0,
/// det(D − z zᵀ − λI) = Πⱼ(pⱼ − λ) · f(λ), f(λ) = 1 − Σⱼ Cⱼ / (pⱼ − λ). f decreases from +∞
/// to −∞ between consecutive poles (f′ = −Σ Cⱼ/(pⱼ − λ)² < 0), so there is exactly one root in
/// each (pⱼ₋₁, pⱼ) and one in [p₁ − ΣC, p₁) (f(p₁ − ΣC) ≥ 0, f → 1 as λ → −∞ and f > 1 above pₙ,
/// so none elsewhere): the interlacing of Golub (1973). Each root is computed relative to the
/// pole it is nearer to (found from the sign of f at the interval's midpoint), as
/// λ = p_o + μ with the differences pⱼ − λ evaluated as (pⱼ − p_o) − μ, so a root close to
/// a pole keeps its relative accuracy (Bunch, Nielsen & Sorensen 1978, §4), by Newton's method
/// on f safeguarded by bisection of the bracket (a step outside it, or one that does not at
/// least halve it every second iteration, is replaced by the midpoint).
///
/// Golub GH (1973). Some modified matrix eigenvalue problems. SIAM Rev 15:318–334.
/// Bunch JR, Nielsen CP, Sorensen DC (1978). Rank-one modification of the symmetric
/// eigenproblem. Numer Math 31:31–48.
func rankOneDowndateEigenvalues(diagonal d: [Double], squaredUpdate c: [Double]) -> [Double] {
  precondition(d.count == c.count, "one squared update component per diagonal value")
  let order = d.indices.sorted { d[$0] < d[$1] }
  var eigenvalues: [Double] = []
  eigenvalues.reserveCapacity(d.count)
  var poles: [Double] = [], weights: [Double] = []
  var start = 0
  while start < order.count {
    let value = d[order[start]]
    // The run of values equal to `value` (at least its first element, so that every pass
    // moves on, even past a NaN, which equals nothing).
    var weight = c[order[start]], end = start + 1
    while end < order.count, d[order[end]] == value {
      weight += c[order[end]]
      end += 1
    }
    let multiplicity = end - start
    if weight > 0 {
      poles.append(value)
      weights.append(weight)
      eigenvalues.append(contentsOf: repeatElement(value, count: multiplicity - 1))
    } else {
      eigenvalues.append(contentsOf: repeatElement(value, count: multiplicity))
    }
    start = end
  }
  if !poles.isEmpty {
    let secular = SecularEquation(poles: poles, weights: weights)
    eigenvalues.append(secular.rootBelowSmallestPole())
    for j in poles.indices.dropFirst() { eigenvalues.append(secular.root(between: j - 1, and: j)) }
  }
  return eigenvalues.sorted(by: >)
}

/// f(λ) = 1 − Σⱼ Cⱼ / (pⱼ − λ) for increasing poles pⱼ and positive weights Cⱼ, and its roots.
private struct SecularEquation {
  let poles: [Double]
  let weights: [Double]

  /// f and f′ at λ = origin + μ, with the differences pⱼ − λ taken as (pⱼ − origin) − μ.
  func value(origin: Double, _ mu: Double) -> (f: Double, derivative: Double) {
    var f = 1.0, derivative = 0.0
    for j in poles.indices {
      let delta = (poles[j] - origin) - mu
      let term = weights[j] / delta
      f -= term
      derivative -= term / delta
    }
    return (f, derivative)
  }

  /// The root in (p_{left}, p_{right}), consecutive poles.
  func root(between left: Int, and right: Int) -> Double {
    let gap = poles[right] - poles[left]
    if value(origin: poles[left], 0.5 * gap).f >= 0 {
      // Past the midpoint (f decreases): nearer the right pole.
      return solve(origin: poles[right], lower: -0.5 * gap, upper: 0)
    }
    return solve(origin: poles[left], lower: 0, upper: 0.5 * gap)
  }

  /// The root in [p₁ − ΣC, p₁).
  func rootBelowSmallestPole() -> Double {
    solve(origin: poles[0], lower: -weights.reduce(0, +), upper: 0)
  }

  /// The root origin + μ with μ in [lower, upper], f(origin + lower) ≥ 0 ≥ f(origin + upper),
  /// to within a few units in the last place of the root.
  func solve(origin: Double, lower: Double, upper: Double) -> Double {
    var lo = lower, hi = upper
    var mu = lo + 0.5 * (hi - lo)
    var lastStep = hi - lo, stepBefore = hi - lo
    func tolerance() -> Double { 2 * Double.ulpOfOne * max(abs(origin + lo), abs(origin + hi)) }
    // A Newton step is taken only when it stays inside the bracket and is at most half the step
    // before the last one; otherwise the bracket is bisected. So the steps shrink geometrically
    // at worst and the loop ends long before its bound (2200 steps take any finite bracket of
    // doubles to adjacent doubles); Newton's quadratic convergence ends it in a few.
    for _ in 0..<2200 {
      let (f, derivative) = value(origin: origin, mu)
      if f == 0 { return origin + mu }
      if f > 0 { lo = mu } else { hi = mu }
      if hi - lo <= tolerance() { break }
      let newton = mu - f / derivative
      var next: Double
      if newton > lo, newton < hi, abs(newton - mu) <= 0.5 * stepBefore {
        next = newton
      } else {
        next = lo + 0.5 * (hi - lo)
        if next <= lo || next >= hi { break }  // no double strictly inside the bracket
      }
      stepBefore = lastStep
      lastStep = abs(next - mu)
      if lastStep <= tolerance() {
        // Converged unless the step was a tiny one next to a pole: accept it when f changes
        // sign across [next − t, next + t] (clipped to the bracket), else keep iterating.
        let t = tolerance()
        let left = max(lo, next - t), right = min(hi, next + t)
        let fLeft = left == lo ? 1 : value(origin: origin, left).f
        let fRight = right == hi ? -1 : value(origin: origin, right).f
        if fLeft >= 0, fRight <= 0 { return origin + next }
        if fLeft < 0 { hi = left } else { lo = right }
        next = lo + 0.5 * (hi - lo)
        if next <= lo || next >= hi { break }
      }
      mu = next
    }
    return origin + (lo + 0.5 * (hi - lo))
  }
}
