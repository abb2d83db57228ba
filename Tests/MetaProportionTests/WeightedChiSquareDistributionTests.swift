// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// ``WeightedChiSquareDistribution`` against CompQuadForm 1.4.3's `farebrother` (the same
/// AS 204 series, defaults eps = 1e-10, mode = 1): Fixtures/quadform/farebrother.json
/// (generate_farebrother.R), 304 (q, λ) cases with 1–30 weights spread over five decades, q
/// from the 1% to the 99% point. The same series with the same truncation leaves only
/// rounding: P(Q > q) to 1e-12 absolute + 1e-10 relative.
@Suite("Weighted chi-square distribution (Farebrother AS 204)")
struct WeightedChiSquareDistributionTests {
  nonisolated(unsafe) static let fixture: [String: Any] =
    ((try? loadFixtureJSON("quadform/farebrother.json")) as? [String: Any]) ?? [:]

  @Test func againstCompQuadForm() throws {
    #expect(Self.fixture["compquadform_version"] as? String == "1.4.3")
    let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
    #expect(cases.count >= 300)
    var worst = 0.0
    for (i, c) in cases.enumerated() {
      let q = try #require(c["q"] as? Double)
      let lambda = try #require(c["lambda"] as? [Double])
      let want = try #require(c["Qq"] as? Double)
      let got = WeightedChiSquareDistribution.upperTail(q, weights: lambda)
      let err = abs(got - want)
      worst = max(worst, err)
      #expect(err <= 1e-12 + 1e-10 * abs(want), "case \(i + 1): q \(q), k \(lambda.count): \(got) vs \(want)")
    }
    #expect(worst <= 1e-12, "largest absolute deviation \(worst) (1.6e-13 when written)")
  }

  /// One weight: Q/λ is χ²₁, so P(Q > q) = P(χ²₁ > q/λ) exactly (R: pchisq(2.5, 1, lower = FALSE)).
  @Test func singleWeightIsChiSquare() {
    let got = WeightedChiSquareDistribution.upperTail(5, weights: [2])
    #expect(abs(got - 0.11384629800665812) < 1e-14)
  }
}
