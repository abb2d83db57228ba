// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import Testing
import _TestSupport

/// Quantiles where GSL's own inverses fail (Docs/robustness.md, "Numerical limits").
@Suite("Robustness: quantiles beyond GSL's inverse functions")
struct RobustQuantileTests {
  @Test("chi-square quantiles for 5*10^4 to 10^6 degrees of freedom equal R's qchisq")
  func chiSquaredLargeDF() throws {
    // R: qchisq(c(0.025, 0.975), df). GSL 2.7's gsl_cdf_chisq_Qinv is wrong from ν ≈ 5·10⁴
    // (132864.87 for ν = 99999) and gsl_cdf_chisq_Pinv is NaN at ν = 10⁶.
    let expected: [(df: Double, lower: Double, upper: Double)] = [
      (5e4, 49382.101443275023, 50621.687157589819),
      (99999, 99124.377683278668, 100877.410923034200),
      (1e6, 997230.08714329009, 1002773.70146792603),
    ]
    for e in expected {
      let c = try ChiSquared(degreesOfFreedom: e.df)
      #expect(isClose(try c.quantile(0.025), e.lower, rtol: 1e-12), "df \(e.df): lower")
      #expect(isClose(try c.upperQuantile(0.025), e.upper, rtol: 1e-12), "df \(e.df): upper")
    }
    let big = try ChiSquared(degreesOfFreedom: 1e7)
    #expect(isClose(try big.cdf(try big.quantile(0.025)), 0.025, rtol: 1e-9))
  }

  @Test("t quantiles stay right for 10^5 to 10^8 degrees of freedom")
  func studentTLargeDF() throws {
    for df in [1e5, 1e6, 1e8] {
      let t = try StudentT(degreesOfFreedom: df)
      let q = try t.upperQuantile(0.025)
      #expect(isClose(try t.survival(q), 0.025, rtol: 1e-9), "df \(df): \(q)")
      #expect(q > 1.9599 && q < 1.9601)
    }
  }

  /// x is within 16 ulps of the root of tail(x) = target (or hits it to 1e-9): the tail 16 ulps
  /// either side brackets the target. (Near 1 a double has only ~10⁻¹⁶ absolute resolution, so
  /// a quantile 1 − 10⁻¹⁰ cannot be checked to a relative tolerance on the probability.)
  static func nearRoot(_ x: Double, _ target: Double, _ tail: (Double) throws -> Double) rethrows -> Bool {
    let here = try tail(x)
    if abs(here - target) <= 1e-9 * target { return true }
    var lo = x, hi = x
    for _ in 0..<16 { lo = lo.nextDown; hi = hi.nextUp }
    let a = try tail(max(0, lo)), b = try tail(min(1, hi))
    return min(a, b) <= target && target <= max(a, b)
  }

  @Test("beta quantiles invert the CDF for shapes up to 10^12", arguments: [1.0, 27, 1e4, 5e5, 5e8, 5e11])
  func betaRoundTrip(_ a: Double) throws {
    for b in [1.0, 9974, 1e6, 1e9 - a + 1, 1e12] where b > 0 {
      let d = try BetaDistribution(a: a, b: b)
      for p in [1e-6, 0.025, 0.5, 0.975] {
        let x = try d.quantile(p)
        #expect(x >= 0 && x <= 1)
        #expect(try Self.nearRoot(x, p, d.cdf), "Beta(\(a), \(b)) quantile(\(p)) = \(x)")
        let u = try d.upperQuantile(p)
        #expect(try Self.nearRoot(u, p, d.survival), "Beta(\(a), \(b)) upperQuantile(\(p)) = \(u)")
      }
    }
  }
}
