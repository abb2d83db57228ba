// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import MetaProportion
import Testing
import _TestSupport

/// The eigenvalues of D − z zᵀ from the secular equation (`rankOneDowndateEigenvalues`, the
/// Jackson interval's solver, Docs/methods.md) against a dense Jacobi solver that ignores the
/// structure (`denseSymmetricEigenvalues`), on random matrices with distinct, tied and nearly
/// tied diagonal values and zero update components, at 1e-12 relative to the largest
/// eigenvalue (the accuracy of any backward-stable symmetric solver is relative to the norm);
/// and the deflated cases whose eigenvalues are known exactly.
struct RankOneDowndateEigenvaluesTests {
  /// Seeded uniform doubles in [0, 1).
  struct Uniform {
    var rng: Xoshiro256StarStar
    init(seed: UInt64) { rng = Xoshiro256StarStar(seed: seed) }
    mutating func next() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
  }

  /// D − z zᵀ as a dense row-major matrix.
  static func dense(_ d: [Double], _ z: [Double]) -> [Double] {
    let k = d.count
    var m = [Double](repeating: 0, count: k * k)
    for i in 0..<k {
      for j in 0..<k { m[i * k + j] = (i == j ? d[i] : 0) - z[i] * z[j] }
    }
    return m
  }

  /// Both solvers on diag(d) − z zᵀ; the largest difference relative to the largest eigenvalue.
  static func expectAgreement(_ d: [Double], _ z: [Double], _ what: String) {
    let secular = rankOneDowndateEigenvalues(diagonal: d, squaredUpdate: z.map { $0 * $0 })
    let oracle = denseSymmetricEigenvalues(dense(d, z), n: d.count)
    #expect(secular.count == d.count, "\(what)")
    let scale = max(abs(oracle.first ?? 0), abs(oracle.last ?? 0))
    let worst = zip(secular, oracle).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-12 * scale, "\(what): \(worst / scale) relative\n\(secular)\n\(oracle)")
    #expect(secular == secular.sorted(by: >), "\(what): decreasing order")
  }

  @Test(arguments: 0..<40)
  func randomDistinctDiagonal(_ seed: Int) {
    var u = Uniform(seed: UInt64(seed))
    let k = 2 + seed % 38
    let d = (0..<k).map { _ in 0.05 + 20 * u.next() }
    let z = (0..<k).map { _ in 2 * u.next() - 1 }
    Self.expectAgreement(d, z, "k = \(k), seed \(seed)")
  }

  /// Diagonal values drawn from a few levels (exact ties), some exactly zero components of z,
  /// and pairs of values one part in 10¹⁰ apart (near ties, not deflated).
  @Test(arguments: 0..<40)
  func tiesZerosAndNearTies(_ seed: Int) {
    var u = Uniform(seed: UInt64(1000 + seed))
    let k = 3 + seed % 30
    let levels = (0..<(1 + seed % 4)).map { _ in 0.1 + 5 * u.next() }
    var d = (0..<k).map { _ in levels[Int(u.next() * Double(levels.count))] }
    if seed % 3 == 0 { d[k - 1] = d[0] * (1 + 1e-10) }
    let z = (0..<k).map { _ in u.next() < 0.2 ? 0 : 2 * u.next() - 1 }
    Self.expectAgreement(d, z, "k = \(k), seed \(seed), \(levels.count) levels")
  }

  /// Wide ranges of scale: diagonal values over ten orders of magnitude, tiny update components.
  @Test(arguments: 0..<20)
  func widelyScaled(_ seed: Int) {
    var u = Uniform(seed: UInt64(5000 + seed))
    let k = 2 + seed
    let d = (0..<k).map { _ in pow(10, 10 * u.next() - 5) }
    let z = (0..<k).map { _ in (2 * u.next() - 1) * pow(10, -6 * u.next()) }
    Self.expectAgreement(d, z, "k = \(k), seed \(seed)")
  }

  /// All diagonal values equal: d (k − 1 times) and d − Σzᵢ², exactly; a zero update leaves D.
  @Test func exactDeflation() {
    let z = [0.5, -1.0, 0.25, 2.0]
    let c = z.map { $0 * $0 }
    let e = rankOneDowndateEigenvalues(diagonal: [3, 3, 3, 3], squaredUpdate: c)
    #expect(e.prefix(3) == [3, 3, 3])
    #expect(isClose(e[3], 3 - c.reduce(0, +), rtol: 1e-15))
    #expect(rankOneDowndateEigenvalues(diagonal: [2, 5, 1], squaredUpdate: [0, 0, 0]) == [5, 2, 1])
    // A zero component deflates its own diagonal value exactly.
    let mixed = rankOneDowndateEigenvalues(diagonal: [1, 4, 2], squaredUpdate: [0.3, 0, 0.2])
    #expect(mixed.contains(4))
    #expect(rankOneDowndateEigenvalues(diagonal: [], squaredUpdate: []) == [])
  }

  /// The Jackson matrix S P S (P = A − a aᵀ/Σa, S = diag(√(vᵢ + τ²))), built densely as
  /// GeneralisedQInterval built it before, against its secular form, with equal variances
  /// among them: k − 1 positive eigenvalues and one zero.
  @Test(arguments: [0.0, 0.04, 0.7, 25])
  func jacksonMatrix(_ tau2: Double) throws {
    var u = Uniform(seed: 77)
    var vi = (0..<66).map { _ in 0.01 + 0.5 * u.next() }
    for i in stride(from: 0, to: 66, by: 7) { vi[i] = vi[3] }  // ties
    let k = vi.count
    let a = vi.map { 1 / $0.squareRoot() }
    let sa = a.reduce(0, +)
    var m = [Double](repeating: 0, count: k * k)
    for i in 0..<k {
      for j in 0..<k {
        m[i * k + j] = ((i == j ? a[i] : 0) - a[i] * a[j] / sa) * (vi[i] + tau2).squareRoot() * (vi[j] + tau2).squareRoot()
      }
    }
    let oracle = denseSymmetricEigenvalues(m, n: k)
    let secular = rankOneDowndateEigenvalues(
      diagonal: (0..<k).map { a[$0] * (vi[$0] + tau2) }, squaredUpdate: (0..<k).map { a[$0] * a[$0] * (vi[$0] + tau2) / sa })
    let scale = oracle[0]
    try #require(secular.count == k && oracle.count == k)
    for (x, y) in zip(secular, oracle) { #expect(abs(x - y) <= 1e-12 * scale, "τ² = \(tau2): \(x) vs \(y)") }
    #expect(abs(secular[k - 1]) <= 1e-12 * scale)
    #expect(secular.prefix(k - 1).allSatisfy { $0 > 0 })
  }

  @Test("a NaN diagonal value ends the search (every loop moves on); an infinite variance is refused")
  func nonFiniteInput() throws {
    let values = rankOneDowndateEigenvalues(diagonal: [1, .nan, 2, .nan], squaredUpdate: [0.1, 0.2, 0.1, 0.3])
    #expect(values.count == 4)
    #expect(throws: MetaAnalysisError.self) {
      try GeneralisedQInterval.compute(yi: [0.1, 0.5, -0.2], vi: [0.04, .infinity, 0.09], typicalVariance: 0.05, level: try ConfidenceLevel(95))
    }
  }
}
