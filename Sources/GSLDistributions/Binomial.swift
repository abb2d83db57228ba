// SPDX-License-Identifier: GPL-3.0-or-later

internal import CGSL

/// The binomial distribution Bin(n, p): the number of responders among n patients.
public struct Binomial: Sendable, Hashable {
  /// Number of trials n ≥ 0 (at most `UInt32.max`, GSL's `unsigned int`).
  public let trials: Int
  /// Success probability p ∈ [0, 1].
  public let probability: Double
  private let n: UInt32

  /// - Throws: when n is negative or too large for GSL, or p is outside [0, 1].
  public init(trials: Int, probability: Double) throws(DistributionError) {
    self.n = try gslCount(trials, name: "trials", distribution: "Binomial")
    guard probability >= 0, probability <= 1 else {
      throw .invalidParameter(distribution: "Binomial", name: "probability", value: probability, expected: "a probability in [0, 1]")
    }
    self.trials = trials
    self.probability = probability
  }

  private func count(_ k: Int, _ fn: String) throws(DistributionError) -> UInt32? {
    guard k >= 0 else { return nil }
    guard k <= trials else { return UInt32.max }
    return try gslCount(k, name: "k", distribution: "Binomial.\(fn)")
  }

  /// P(X = k). The corresponding GSL function is `gsl_ran_binomial_pdf`.
  public func pmf(_ k: Int) throws(DistributionError) -> Double {
    guard let kk = try count(k, "pmf"), kk != UInt32.max else { return 0 }
    return try checked("gsl_ran_binomial_pdf") { gsl_ran_binomial_pdf(kk, probability, n) }
  }

  /// P(X ≤ k). The corresponding GSL function is `gsl_cdf_binomial_P`.
  public func cdf(_ k: Int) throws(DistributionError) -> Double { try tail(k, upper: false) }

  /// P(X > k). The corresponding GSL function is `gsl_cdf_binomial_Q`.
  public func survival(_ k: Int) throws(DistributionError) -> Double { try tail(k, upper: true) }

  /// P(X ≤ k) or (`upper`) P(X > k). P(X ≤ k) = I_{1−p}(n − k, k + 1); GSL computes it through
  /// its beta CDF, so fall back the same way where that returns NaN (n ≳ 10⁷).
  private func tail(_ k: Int, upper: Bool) throws(DistributionError) -> Double {
    guard let kk = try count(k, upper ? "survival" : "cdf") else { return upper ? 1 : 0 }
    if kk == UInt32.max { return upper ? 0 : 1 }
    return try checked(upper ? "gsl_cdf_binomial_Q" : "gsl_cdf_binomial_P") {
      let g = upper ? gsl_cdf_binomial_Q(kk, probability, n) : gsl_cdf_binomial_P(kk, probability, n)
      return g.isNaN ? betaTail(1 - probability, Double(trials - k), Double(k + 1), upper: upper) : g
    }
  }

  /// The smallest k with P(X ≤ k) ≥ p (R's `qbinom`). GSL has no binomial quantile, so this
  /// searches the CDF, starting at the normal approximation.
  public func quantile(_ p: Double) throws(DistributionError) -> Int {
    try requireProbability(p, function: "Binomial.quantile")
    if p == 0 { return 0 }
    if p == 1 { return trials }
    let mu = Double(trials) * probability
    let sd = (mu * (1 - probability)).squareRoot()
    let z = try Normal.standard.quantile(p)
    var k = min(max(Int((mu + z * sd).rounded(.down)), 0), trials)
    // Guard against floating-point fuzz as R does (p * (1 + 64 ε)).
    let target = p * (1 - 64 * Double.ulpOfOne)
    while k > 0, try cdf(k - 1) >= target { k -= 1 }
    while k < trials, try cdf(k) < target { k += 1 }
    return k
  }
}
