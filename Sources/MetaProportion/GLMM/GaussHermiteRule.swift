// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

// Hand-written: no package available offline (swift-numerics, GSL through the distributions
// shim) offers Gauss–Hermite nodes. GSL's `gsl_integration_fixed` could, but only through the
// C module, which only GSLDistributions may import; the Newton iteration below is short and is
// checked against lme4's tabulated rules (`GHrule`) in the tests.

/// An n-point Gauss–Hermite rule for the standard normal density φ:
/// ```
/// ∫ f(z) φ(z) dz ≈ Σⱼ wⱼ f(zⱼ),   φ(z) = e^(−z²/2)/√(2π)
/// ```
/// exact when f is a polynomial of degree ≤ 2n − 1. These are lme4's `GHrule(n)` (nodes zⱼ,
/// weights wⱼ with Σwⱼ = 1); the physicists' rule (weight e^(−x²)) has xⱼ = zⱼ/√2 and
/// weights wⱼ√π.
///
/// The nodes are the roots of the Hermite polynomial Hₙ, found by Newton's method on the
/// orthonormal recurrence
/// ```
/// h₀ = π^(−1/4),  h₋₁ = 0,  hⱼ(x) = x √(2/j) hⱼ₋₁(x) − √((j−1)/j) hⱼ₋₂(x)
/// ```
/// with hₙ′ = √(2n) hₙ₋₁ and the physicists' weight 2/hₙ′(x)², started from the asymptotic
/// guesses of Numerical Recipes' `gauher` (Press et al. 2007, §4.6). Odd n has a node at 0.
public struct GaussHermiteRule: Sendable, Hashable {
  /// The nodes zⱼ, in increasing order, symmetric about 0.
  public let nodes: [Double]
  /// The weights wⱼ > 0, summing to 1.
  public let weights: [Double]

  /// The number of points n.
  public var count: Int { nodes.count }

  /// The largest supported number of points.
  public static let maximumPoints = 100

  /// The coefficients √(2/j) and √((j−1)/j) of the orthonormal recurrence, j = 1 … maximumPoints
  /// (entry 0 unused): computed once per process rather than in every step of every root's
  /// Newton iteration (two square roots and two divisions per step, most of a rule's cost).
  private static let recurrence: [(a: Double, b: Double)] = (0...maximumPoints).map { (j: Int) -> (a: Double, b: Double) in
    guard j > 0 else { return (0, 0) }
    let jj = Double(j)
    return ((2 / jj).squareRoot(), ((jj - 1) / jj).squareRoot())
  }

  /// Computes the n-point rule.
  /// - Parameter points: n, 1 through ``maximumPoints`` (lme4 allows up to 25).
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for n outside that range.
  public init(points n: Int) throws(MetaAnalysisError) {
    guard n >= 1, n <= Self.maximumPoints else {
      throw .invalidSetting(name: "nAGQ", value: "\(n)", expected: "an integer from 1 to \(Self.maximumPoints)")
    }
    var x = [Double](repeating: 0, count: n)
    var w = [Double](repeating: 0, count: n)
    let piMinusQuarter = 0.7511255444649425  // π^(−1/4)
    let m = (n + 1) / 2
    var z = 0.0
    for i in 0..<m {
      // Initial guesses for the i-th largest root (Numerical Recipes, gauher).
      switch i {
      case 0:
        let s = Double(2 * n + 1)
        z = s.squareRoot() - 1.85575 * Double.pow(s, -0.16667)
      case 1:
        z -= 1.14 * Double.pow(Double(n), 0.426) / z
      case 2:
        z = 1.86 * z - 0.86 * x[0]
      case 3:
        z = 1.91 * z - 0.91 * x[1]
      default:
        z = 2 * z - x[i - 2]
      }
      var derivative = 0.0
      var iteration = 0
      while true {
        var p1 = piMinusQuarter, p2 = 0.0
        for j in 1...max(n, 1) {
          let p3 = p2
          p2 = p1
          p1 = z * Self.recurrence[j].a * p2 - Self.recurrence[j].b * p3
        }
        derivative = (2 * Double(n)).squareRoot() * p2
        let step = p1 / derivative
        z -= step
        iteration += 1
        // Newton converges quadratically; one more step after the step is at rounding level.
        if abs(step) <= 1e-15 * max(1, abs(z)) || iteration >= 100 { break }
      }
      if n % 2 == 1, i == m - 1 { z = 0 }  // the middle root of an odd rule is exactly 0
      x[i] = z
      x[n - 1 - i] = -z
      w[i] = 2 / (derivative * derivative)
      w[n - 1 - i] = w[i]
    }
    // Physicists' rule → standard normal: z = √2·x, w = w/√π; increasing order.
    let rootTwo = 2.0.squareRoot()
    let rootPi = Double.pi.squareRoot()
    var nodes = [Double](repeating: 0, count: n)
    var weights = [Double](repeating: 0, count: n)
    for j in 0..<n {
      nodes[n - 1 - j] = rootTwo * x[j]
      weights[n - 1 - j] = w[j] / rootPi
    }
    self.nodes = nodes
    self.weights = weights
  }
}
