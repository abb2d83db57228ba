// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

// Written here rather than taken from a library: no Swift package computes the distribution of
// a weighted sum of χ² variables, and `--profile meta` must reproduce R meta's Jackson (2013)
// CI for τ², which metafor computes with CompQuadForm's `farebrother` (Farebrother 1984,
// Algorithm AS 204, itself Ruben's 1962 series). Implementing the same series with the same
// β and stopping rule (not Davies' or Imhof's method) makes the truncation error the same, so
// the `uniroot` search over it takes the same steps as R's. Written from the published
// algorithm (Farebrother 1984), central case only (all multiplicities 1, no non-centrality).

/// The distribution of Q = Σ λⱼ χ²₁,ⱼ (independent central χ²₁ variables, λⱼ > 0) by Ruben's
/// (1962) series as Farebrother's (1984) Algorithm AS 204 evaluates it: with β = min λⱼ,
///
///   P(Q < c) = Σₘ aₘ · P(χ²_{r+2m} < c/β),
///   a₀ = Πⱼ (β/λⱼ)^{1/2},  aₘ = (1/m) Σ_{i=1}^{m} bᵢ aₘ₋ᵢ,  bᵢ = ½ Σⱼ (1 − β/λⱼ)ⁱ,
///
/// summed until both the remaining mass bound |P(χ²_{r+2m} < c/β)·(1/a₀ − Σaᵢ/a₀)| and the last
/// term are below ε/a₀ (ε = 1e-10, CompQuadForm's default), or ``maxIterations`` terms.
/// Agreement with CompQuadForm 1.4.3: Fixtures/quadform/generate_farebrother.R.
public enum WeightedChiSquareDistribution {
  /// The result of one evaluation.
  public struct Evaluation: Sendable, Hashable {
    /// P(Q < c).
    public var lowerTail: Double
    /// AS 204's fault indicator as CompQuadForm returns it: 4 when the series stopped (converged
    /// or out of terms: CompQuadForm does not tell them apart), 9 when the result fell outside
    /// [0, 1]; 1 when a₀ underflows (result 0), 2 for invalid arguments (c ≤ 0 included; result
    /// −2, so ``upperTail`` gives 3, not a probability, as CompQuadForm's `Qq` = 1 − result), −1 for a non-positive weight (result −7), 3 when rounding errors grew too large.
    public var fault: Int
  }

  /// P(Σ λⱼ χ²₁,ⱼ < c), as CompQuadForm's `1 - farebrother(c, lambda)$Qq` with `mode = 1`.
  public static func lowerTail(
    _ c: Double, weights lambda: [Double], epsilon: Double = 1e-10, maxIterations: Int = 100_000
  ) -> Evaluation {
    let n = lambda.count
    guard n >= 1, c > 0, maxIterations >= 1, epsilon > 0 else { return Evaluation(lowerTail: -2, fault: 2) }
    guard lambda.allSatisfy({ $0 > 0 }) else { return Evaluation(lowerTail: -7, fault: -1) }
    let beta = lambda.min()!
    var gamma = [Double](repeating: 0, count: n)
    var theta = [Double](repeating: 1, count: n)
    var product = 1.0
    for j in 0..<n {
      let ratio = beta / lambda[j]
      gamma[j] = 1 - ratio
      product *= ratio
    }
    let a0 = Double.exp(0.5 * Double.log(product))
    guard a0 > 0 else { return Evaluation(lowerTail: 0, fault: 1) }
    // P(χ²_r < z) and the χ² density term by the recurrence over the degrees of freedom,
    // on the log scale once the term is tiny (below e^−200), as AS 204.
    let z = c / beta
    let logFloor = -200.0
    var dof: Int
    var logTerm: Double
    var term: Double
    var cdf: Double
    if n % 2 == 0 {
      dof = 2
      logTerm = -0.5 * z
      term = Double.exp(logTerm)
      cdf = 1 - term
    } else {
      dof = 1
      logTerm = -0.5 * (z + Double.log(z)) - 0.22579135264473  // ln √(π/2)
      term = Double.exp(logTerm)
      let root = z.squareRoot()
      cdf = (try? Normal.standard.cdf(root) - Normal.standard.cdf(-root)) ?? .nan
    }
    func advance(_ j: Int) {
      if logTerm < logFloor {
        logTerm += Double.log(z / Double(j))
        term = Double.exp(logTerm)
      } else {
        term *= z / Double(j)
      }
      cdf -= term
    }
    var kk = n - 2
    var j = dof
    while j <= kk {
      advance(j)
      j += 2
    }
    var probability = cdf
    let eps2 = epsilon / a0
    let a0inv = 1 / a0
    var remaining = a0inv - 1
    var a = [Double](), b = [Double]()
    a.reserveCapacity(64); b.reserveCapacity(64)
    for m in 1...maxIterations {
      var s = 0.0
      for i in 0..<n {
        theta[i] *= gamma[i]
        s += theta[i]
      }
      s *= 0.5
      b.append(s)
      var i = m - 1
      while i >= 1 {
        s += b[i - 1] * a[m - i - 1]
        i -= 1
      }
      s /= Double(m)
      a.append(s)
      kk += 2
      advance(kk)
      remaining -= s
      let contribution = cdf * s
      probability += contribution
      if probability < -a0inv { return Evaluation(lowerTail: 0, fault: 3) }
      if abs(cdf * remaining) < eps2, abs(contribution) < eps2 { break }
    }
    probability *= a0
    return Evaluation(lowerTail: probability, fault: (0...1).contains(probability) ? 4 : 9)
  }

  /// P(Σ λⱼ χ²₁,ⱼ > c): CompQuadForm's `farebrother(c, lambda)$Qq` (1 − ``lowerTail``; 1 when
  /// AS 204 fails with fault 3, as CompQuadForm returns it).
  public static func upperTail(_ c: Double, weights lambda: [Double], epsilon: Double = 1e-10) -> Double {
    1 - lowerTail(c, weights: lambda, epsilon: epsilon).lowerTail
  }
}
