// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Sharded resampling (``ResamplingShard``): the parts of a seeded GOSH or bootstrap, computed
/// separately and combined, are bit for bit the single-process result.
@Suite("Resampling shards")
struct ResamplingShardTests {
  static func bits(_ a: [Double]) -> [UInt64] { a.map(\.bitPattern) }

  @Test func partsCoverEveryChunkOnceInOrder() {
    for total in [0, 1, 2, 5, 64, 1000] {
      for n in 1...9 {
        let ranges = (1...n).map { ResamplingShard(index: $0, count: n)!.chunks(of: total) }
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == total)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
      }
    }
    #expect(ResamplingShard(index: 0, count: 3) == nil && ResamplingShard(index: 4, count: 3) == nil)
  }

  @Test("bootstrap parts combine to the single-process bootstrap", arguments: [TauSquaredMethod.DL, .REML])
  func bootstrapParts(_ method: TauSquaredMethod) throws {
    let a = try SensitivityResamplingTests.alk(method: method)
    let b = 1000  // 15 full chunks of 64 and one of 40
    let one = try a.bootstrap(BootstrapOptions(resamples: b, seed: 7, threads: 2))
    for n in [1, 3, 7, 16, 20] {
      // Parts computed in any order, each with its own thread count, combined in any order.
      let parts = try (1...n).reversed().map { i in
        try a.bootstrapPart(BootstrapOptions(resamples: b, seed: 7, threads: i % 3 + 1), shard: ResamplingShard(index: i, count: n)!)
      }
      #expect(parts.map(\.estimates.count).reduce(0, +) == b)
      let merged = try a.combineBootstrap(parts)
      #expect(Self.bits(merged.estimates) == Self.bits(one.estimates), "\(n) parts")
      #expect(Self.bits(merged.tau2s) == Self.bits(one.tau2s))
      #expect(merged == one)
    }
    // Missing, repeated and foreign parts are refused.
    let p = (1...3).map { try! a.bootstrapPart(BootstrapOptions(resamples: b, seed: 7, threads: 1), shard: ResamplingShard(index: $0, count: 3)!) }
    #expect(throws: MetaAnalysisError.self) { try a.combineBootstrap([p[0], p[2]]) }
    #expect(throws: MetaAnalysisError.self) { try a.combineBootstrap([p[0], p[1], p[1], p[2]]) }
    var foreign = p[1]
    foreign.seed = 8
    #expect(throws: MetaAnalysisError.self) { try a.combineBootstrap([p[0], foreign, p[2]]) }
  }

  @Test("random GOSH parts combine to the single-process GOSH", arguments: [TauSquaredMethod.DL, .REML, .EE])
  func goshParts(_ method: TauSquaredMethod) throws {
    let a = try SensitivityResamplingTests.alk(method: method)
    let subsets = 3 * 4096 + 1234
    let one = try a.gosh(GoshOptions(maxSubsets: subsets, seed: 11, threads: 2))
    #expect(!one.exhaustive)
    for n in [1, 2, 3, 5] {
      let parts = try (1...n).map { i in
        try a.goshPart(GoshOptions(maxSubsets: subsets, seed: 11, threads: 1), shard: ResamplingShard(index: i, count: n)!)
      }
      let merged = try a.combineGosh(parts.shuffled())
      #expect(merged.membership == one.membership, "\(n) parts")
      #expect(merged.size == one.size)
      #expect(Self.bits(merged.estimate) == Self.bits(one.estimate))
      #expect(Self.bits(merged.q) == Self.bits(one.q))
      #expect(Self.bits(merged.i2) == Self.bits(one.i2))
      #expect(Self.bits(merged.h2) == Self.bits(one.h2))
      #expect(Self.bits(merged.tau2) == Self.bits(one.tau2))
      #expect(merged.summary(threads: 1) == one.summary(threads: 1))
    }
    let p = (1...2).map { try! a.goshPart(GoshOptions(maxSubsets: subsets, seed: 11, threads: 1), shard: ResamplingShard(index: $0, count: 2)!) }
    #expect(throws: MetaAnalysisError.self) { try a.combineGosh([p[1]]) }
    // Exhaustive GOSH (2^k − 1 ≤ subsets) has nothing random to split.
    let small = try SensitivityAnalysis(yi: [0.1, 0.4, -0.2, 0.3], vi: [0.04, 0.05, 0.03, 0.06], method: method)
    #expect(throws: MetaAnalysisError.self) {
      try small.goshPart(GoshOptions(maxSubsets: 100, seed: 1), shard: ResamplingShard(index: 1, count: 2)!)
    }
  }
}
