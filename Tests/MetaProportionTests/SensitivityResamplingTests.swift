// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import PropertyBased
import Testing
import _TestSupport

/// GOSH against metafor's `gosh()` (exhaustive, k = 8) and determinism of the seeded
/// resampling analyses across thread counts.
@Suite("GOSH, bootstrap and determinism")
struct SensitivityResamplingTests {
  static func bits(_ a: [Double]) -> [UInt64] { a.map(\.bitPattern) }

  static func alk(method: TauSquaredMethod) throws -> SensitivityAnalysis {
    let file = try JSONObject.load("alk_PLO.json")
    let d = file["data"]!
    return try SensitivityAnalysis(
      yi: d.doubles("yi"), vi: d.doubles("vi"), labels: d.strings("label"), sampleSizes: d.doubles("ni"),
      method: method, control: metaforTight, backTransformation: .inverseLogit)
  }

  @Test("exhaustive GOSH matches metafor (k = 8)", arguments: ["DL", "REML", "PM", "EE"])
  func goshExhaustive(_ methodName: String) throws {
    let file = try JSONObject.load("gosh_pritz8_PLO.json")
    let d = file["data"]!
    let ref = file.objects("cases").first { $0.string("method") == methodName }!
    let a = try SensitivityAnalysis(
      yi: d.doubles("yi"), vi: d.doubles("vi"), method: TauSquaredMethod(rawValue: methodName)!,
      control: metaforTight, backTransformation: .inverseLogit)
    let g = try a.gosh(GoshOptions(threads: 2))
    #expect(g.exhaustive)
    #expect(g.subsets == 255)
    #expect(g.membership == ref.doubles("mask").map { UInt64($0) })
    #expect(g.size == ref.doubles("k").map { Int($0) })
    let cmp = Comparison(rtol: 1e-6, atol: 1e-10)
    cmp.check("estimate", g.estimate, ref.doubles("estimate"))
    cmp.check("Q", g.q, ref.doubles("q"))
    cmp.check("I2", g.i2, ref.doubles("i2"))
    cmp.check("H2", g.h2, ref.doubles("h2"))
    cmp.check("tau2", g.tau2, ref.doubles("tau2"))
    print("[sensitivity] GOSH \(methodName): max rel deviation \(cmp.maxRelative) at \(cmp.maxWhere)")
    #expect(cmp.failures.isEmpty, "\(cmp.failures.prefix(6))")
    // Membership helper agrees with the size.
    for s in [0, 100, 254] {
      #expect((0..<8).filter { g.includes(subset: s, cohort: $0) }.count == g.size[s])
    }
  }

  @Test("exhaustive GOSH is the same for 1 and 3 threads", arguments: [TauSquaredMethod.DL, .REML])
  func goshExhaustiveThreads(_ method: TauSquaredMethod) throws {
    let a = try Self.alk(method: method)
    let sub = try SensitivityAnalysis(
      yi: Array(a.yi.prefix(13)), vi: Array(a.vi.prefix(13)), method: method, control: metaforTight)
    let g1 = try sub.gosh(GoshOptions(threads: 1))
    let g3 = try sub.gosh(GoshOptions(threads: 3))
    #expect(g1.subsets == 8191)
    #expect(Self.bits(g1.estimate) == Self.bits(g3.estimate))
    #expect(Self.bits(g1.tau2) == Self.bits(g3.tau2))
    #expect(g1.membership == g3.membership)
    // The full set is the last subset and reproduces the model.
    #expect(isClose(g1.estimate.last!, sub.fit.estimate, rtol: 1e-9))
    #expect(isClose(g1.tau2.last!, sub.fit.tau2.tau2, rtol: 1e-9, atol: 1e-12))
  }

  @Test("random GOSH: 1 and 4 threads bit-identical; seeds differ", arguments: [TauSquaredMethod.DL, .REML])
  func goshRandom(_ method: TauSquaredMethod) throws {
    let a = try Self.alk(method: method)
    let g1 = try a.gosh(GoshOptions(maxSubsets: 20_000, seed: 42, threads: 1))
    let g4 = try a.gosh(GoshOptions(maxSubsets: 20_000, seed: 42, threads: 4))
    let other = try a.gosh(GoshOptions(maxSubsets: 20_000, seed: 43, threads: 4))
    #expect(!g1.exhaustive)
    #expect(g1.subsets == 20_000)
    #expect(g1.wordsPerSubset == 1)
    #expect(g1.membership == g4.membership)
    #expect(g1.size == g4.size)
    for (x, y) in [(g1.estimate, g4.estimate), (g1.q, g4.q), (g1.i2, g4.i2), (g1.h2, g4.h2), (g1.tau2, g4.tau2)] {
      #expect(Self.bits(x) == Self.bits(y))
    }
    #expect(g1.membership != other.membership)
    #expect(Self.bits(g1.estimate) != Self.bits(other.estimate))
    // sizes sorted, within 1...k, mean near k/2
    #expect(g1.size == g1.size.sorted())
    #expect(g1.size.first! >= 1 && g1.size.last! <= a.k)
    let meanSize = Double(g1.size.reduce(0, +)) / Double(g1.subsets)
    #expect(abs(meanSize - Double(a.k) / 2) < 0.2)
    // the summary median of the estimate is near the full-data estimate
    let s = g1.summary()
    #expect(s.failed == 0)
    #expect(abs(s.estimate.median - a.fit.estimate) < 0.1)
    // each subset's size equals its membership count
    for i in stride(from: 0, to: g1.subsets, by: 997) {
      #expect(g1.membership[i].nonzeroBitCount == g1.size[i])
    }
  }

  @Test("bootstrap: 1 and 4 threads bit-identical; seeds differ", arguments: [TauSquaredMethod.DL, .REML, .PM])
  func bootstrapDeterminism(_ method: TauSquaredMethod) throws {
    let a = try Self.alk(method: method)
    let b1 = try a.bootstrap(BootstrapOptions(resamples: 500, seed: 7, threads: 1))
    let b4 = try a.bootstrap(BootstrapOptions(resamples: 500, seed: 7, threads: 4))
    let other = try a.bootstrap(BootstrapOptions(resamples: 500, seed: 8, threads: 4))
    #expect(Self.bits(b1.estimates) == Self.bits(b4.estimates))
    #expect(Self.bits(b1.tau2s) == Self.bits(b4.tau2s))
    #expect(b1.ciLower.bitPattern == b4.ciLower.bitPattern)
    #expect(Self.bits(b1.estimates) != Self.bits(other.estimates))
    #expect(b1.failed == 0)
    #expect(b1.ciLower < a.fit.estimate && a.fit.estimate < b1.ciUpper)
    #expect(b1.proportionCILower < b1.proportionCIUpper)
    #expect(b1.tau2CILower <= b1.tau2CIUpper)
    // the bootstrap SE is of the order of the model SE
    #expect(b1.standardError > 0.5 * a.fit.standardError && b1.standardError < 2 * a.fit.standardError)
  }

  @Test("type-7 quantiles match R")
  func quantiles() {
    // R: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), c(0, .025, .25, .5, .75, .975, 1))
    let s = DistributionSummary([3, 1, 4, 1, 5, 9, 2, 6, .nan])
    let expected = [1.0, 1.0, 1.75, 3.5, 5.25, 8.475, 9]
    let got = [s.min, s.q025, s.q25, s.median, s.q75, s.q975, s.max]
    for (g, e) in zip(got, expected) { #expect(isClose(g, e, rtol: 1e-12)) }
    #expect(s.missing == 1)
    #expect(s.count == 8)
  }

  @Test("quantile selection agrees with sorting")
  func quantileProperty() async {
    await propertyCheck(input: Gen.double(in: -100...100).array(of: 1...200)) { values in
      let s = DistributionSummary(values)
      let sorted = values.sorted()
      let n = sorted.count
      for (p, got) in zip(DistributionSummary.probabilities, [s.min, s.q025, s.q25, s.median, s.q75, s.q975, s.max]) {
        let h = Double(n - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(Int(h.rounded(.up)), n - 1)
        let f = h - Double(lo)
        let e = sorted[lo] == sorted[hi] ? sorted[lo] : (1 - f) * sorted[lo] + f * sorted[hi]
        #expect(got == e)
      }
    }
  }

  @Test("Xoshiro256** reference output and unbiased bounded integers")
  func generator() {
    var g = Xoshiro256StarStar(seed: 1, stream: 0)
    var h = Xoshiro256StarStar(seed: 1, stream: 0)
    #expect((0..<10).map { _ in g.next() } == (0..<10).map { _ in h.next() })
    var a = Xoshiro256StarStar(seed: 1, stream: 1)
    var b = Xoshiro256StarStar(seed: 2, stream: 0)
    #expect(a.next() != b.next())
    var r = Xoshiro256StarStar(seed: 99)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { counts[r.nextIndex(below: 7)] += 1 }
    #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
  }
}
