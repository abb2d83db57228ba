// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

import MetaProportion
import Testing
import _TestSupport

/// The hand-written Gauss–Hermite rules against lme4's tabulated `GHrule(n)` and against the
/// moments of the standard normal distribution.
struct GLMMGaussHermiteTests {
  @Test("matches lme4's GHrule", arguments: (try? GLMMFixtures.loadedShared.get())?.gauss_hermite_rules.map(\.n) ?? [])
  func matchesLme4(_ n: Int) throws {
    let reference = try #require(try GLMMFixtures.shared.gauss_hermite_rules.first { $0.n == n })
    let rule = try GaussHermiteRule(points: n)
    #expect(rule.count == n)
    for j in 0..<n {
      // lme4's middle node of an odd rule is 1.7e-17, not 0.
      #expect(abs(rule.nodes[j] - reference.z[j]) <= 1e-14 * max(1, abs(reference.z[j])), "node \(j) of \(n)")
      if let message = closenessFailure("weight \(j) of \(n)", rule.weights[j], reference.w[j], rtol: 1e-12) {
        Issue.record(Comment(rawValue: message))
      }
    }
  }

  /// Σwⱼzⱼ^m = E[Z^m] = (m−1)!! for even m and 0 for odd m, exactly for m ≤ 2n − 1.
  @Test("integrates normal moments exactly", arguments: [1, 2, 3, 4, 5, 7, 10, 15, 20, 25, 40, 60, 100])
  func moments(_ n: Int) throws {
    let rule = try GaussHermiteRule(points: n)
    for j in 1..<n { #expect(rule.nodes[j] > rule.nodes[j - 1]) }
    for j in 0..<n {
      #expect(rule.weights[j] > 0)
      #expect(rule.nodes[j] == -rule.nodes[n - 1 - j])
      #expect(rule.weights[j] == rule.weights[n - 1 - j])
    }
    var expected = 1.0  // (m−1)!!
    for m in 0...min(2 * n - 1, 12) {
      var sum = 0.0
      for j in 0..<n { sum += rule.weights[j] * pow(rule.nodes[j], Double(m)) }
      if m % 2 == 1 {
        #expect(abs(sum) < 1e-13 * expected, "odd moment \(m) of the \(n)-point rule: \(sum)")
      } else {
        if m > 0 { expected *= Double(m - 1) }
        #expect(abs(sum - expected) <= 1e-12 * expected, "moment \(m) of the \(n)-point rule: \(sum), expected \(expected)")
      }
    }
  }

  @Test func outOfRangeThrows() {
    #expect(throws: MetaAnalysisError.self) { try GaussHermiteRule(points: 0) }
    #expect(throws: MetaAnalysisError.self) { try GaussHermiteRule(points: 101) }
  }
}
