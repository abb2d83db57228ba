// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing

/// The cluster bootstrap and GOSH over clusters (ClusterResampling): thread invariance, seeds,
/// and properties that can be checked by hand.
@Suite("Cluster bootstrap and GOSH over clusters")
struct ClusterResamplingTests {
  nonisolated(unsafe) static let cases = fixtureCases("multilevel/sensitivity.json")

  static func konstantopoulos() throws -> (yi: [Double], vi: [Double], clusters: ClusterStructure) {
    let c = try #require(cases.first { $0.string("name") == "konstantopoulos2011" })
    return (c.doubles("yi"), c.doubles("vi"), ClusterStructure(clusters: c.strings("cluster")))
  }

  static func bits(_ x: [Double]) -> [UInt64] { x.map(\.bitPattern) }

  @Test("bootstrap: bit-identical for 1, 2 and 4 threads and for the same seed twice; another seed differs")
  func bootstrapDeterminism() throws {
    let d = try Self.konstantopoulos()
    func run(_ threads: Int, seed: UInt64 = 7) throws -> ClusterBootstrapResult {
      try ClusterResampling.bootstrap(
        yi: d.yi, vi: d.vi, clusters: d.clusters, resamples: 150, options: ClusterResamplingOptions(seed: seed, threads: threads))
    }
    let one = try run(1)
    for t in [2, 4, 1] {
      let r = try run(t)
      #expect(Self.bits(r.estimates) == Self.bits(one.estimates))
      #expect(Self.bits(r.sigma2Cluster) == Self.bits(one.sigma2Cluster))
      #expect(Self.bits(r.sigma2Cohort) == Self.bits(one.sigma2Cohort))
      #expect(r.ciLower.bitPattern == one.ciLower.bitPattern && r.ciUpper.bitPattern == one.ciUpper.bitPattern)
    }
    let other = try run(1, seed: 8)
    #expect(Self.bits(other.estimates) != Self.bits(one.estimates))
    // 11 districts: a resample with one distinct district has probability 11/11^11; none here.
    #expect(one.unfittable == 0 && one.failed == 0)
    #expect(one.estimateSummary.count == 150)
    // The percentile CI brackets the full-data estimate μ̂ = 0.1847 and lies inside the range.
    #expect(one.ciLower < 0.1847 && 0.1847 < one.ciUpper)
    #expect(one.estimateSummary.min <= one.ciLower && one.ciUpper <= one.estimateSummary.max)
    #expect(one.standardError > 0.03 && one.standardError < 0.2, "\(one.standardError)")
  }

  @Test("bootstrap: clusters with identical cohorts give zero spread at the full-data estimate")
  func identicalClustersHaveNoSpread() throws {
    let y = [0.12, 0.45, -0.3], v = [0.02, 0.05, 0.03]
    let m = 6
    let yi = (0..<m).flatMap { _ in y }, vi = (0..<m).flatMap { _ in v }
    let clusters = ClusterStructure(clusters: (0..<m).flatMap { c in Array(repeating: "T\(c)", count: 3) })
    let full = try ThreeLevelModel.fit(yi: yi, vi: vi, clusters: clusters, profileIntervals: false)
    let b = try ClusterResampling.bootstrap(
      yi: yi, vi: vi, clusters: clusters, resamples: 100, options: ClusterResamplingOptions(seed: 3, threads: 2))
    #expect(b.estimateSummary.count + b.unfittable + b.failed == 100)
    #expect(b.estimateSummary.count >= 99)
    // Every fitted resample is the full data, cluster for cluster: the same numbers bit for bit.
    #expect(b.estimateSummary.min == full.estimate && b.estimateSummary.max == full.estimate)
    #expect(b.ciLower == full.estimate && b.ciUpper == full.estimate)
    #expect(b.sigma2Summary[1].min == b.sigma2Summary[1].max)
    // The mean of identical values can be an ulp off: bias and SE are zero to rounding.
    #expect(abs(b.bias) <= 1e-15 && b.standardError <= 1e-15)
  }

  @Test("bootstrap: resamples with one distinct cluster are counted as unfittable, not dropped")
  func unfittableResamplesAreCounted() throws {
    // Two clusters of two cohorts: a resample draws the same cluster twice with probability 1/2.
    let yi = [0.1, 0.4, -0.2, 0.3], vi = [0.02, 0.03, 0.04, 0.05]
    let clusters = ClusterStructure(clusters: ["A", "A", "B", "B"])
    let b = try ClusterResampling.bootstrap(
      yi: yi, vi: vi, clusters: clusters, resamples: 200, options: ClusterResamplingOptions(seed: 11, threads: 1))
    #expect(b.unfittable > 60 && b.unfittable < 140, "\(b.unfittable)")
    #expect(b.estimateSummary.count + b.unfittable + b.failed == 200)
    #expect(b.estimates.filter(\.isNaN).count == b.unfittable + b.failed)
    #expect(throws: MetaAnalysisError.self) {
      _ = try ClusterResampling.bootstrap(yi: yi, vi: vi, clusters: clusters, resamples: 1)
    }
  }

  @Test("GOSH exhaustive: every admissible subset once, by size; all clusters reproduce the full fit")
  func goshExhaustive() throws {
    let d = try Self.konstantopoulos()
    let m = d.clusters.count
    let g = try ClusterResampling.gosh(
      yi: d.yi, vi: d.vi, clusters: d.clusters, maxSubsets: 1 << m, options: ClusterResamplingOptions(threads: 2))
    #expect(g.exhaustive && g.seed == nil && g.clusters == m)
    // Admissible: ≥ 2 clusters and ≥ 3 cohorts (the districts have ≥ 3 schools each, so every
    // subset of ≥ 2 districts): 2^11 − 1 − 11 = 2036.
    #expect(g.subsets == 2036 && g.rejected == 11)
    #expect(zip(g.clusterCount, g.clusterCount.dropFirst()).allSatisfy { $0 <= $1 })
    #expect(g.failed == 0)
    let full = try ThreeLevelModel.fit(yi: d.yi, vi: d.vi, clusters: d.clusters, profileIntervals: false)
    let last = g.subsets - 1
    #expect(g.clusterCount[last] == m && g.cohorts[last] == d.yi.count)
    #expect(abs(g.estimate[last] - full.estimate) <= 1e-12 * abs(full.estimate))
    #expect(abs(g.sigma2Cluster[last] - full.levels[0].sigma2) <= 1e-9 * full.levels[0].sigma2)
    #expect(abs(g.sigma2Cohort[last] - full.levels[1].sigma2) <= 1e-9 * full.levels[1].sigma2)
    #expect(abs(g.i2Total[last] - full.i2Total) <= 1e-9 * full.i2Total)
    // A leave-one-district-out subset is the leave-one-cluster-out refit (district 71: μ = 0.1215).
    let i71 = try #require(d.clusters.labels.firstIndex(of: "71"))
    let s = try #require((0..<g.subsets).first { g.clusterCount[$0] == m - 1 && !g.includes(subset: $0, cluster: i71) })
    #expect(abs(g.estimate[s] - 0.1215) < 5e-5, "\(g.estimate[s])")
  }

  @Test("GOSH random: admissible subsets only, bit-identical for 1, 2 and 4 threads")
  func goshRandom() throws {
    let d = try Self.konstantopoulos()
    func run(_ threads: Int) throws -> ClusterGoshResult {
      try ClusterResampling.gosh(
        yi: d.yi, vi: d.vi, clusters: d.clusters, maxSubsets: 300, options: ClusterResamplingOptions(seed: 5, threads: threads))
    }
    let one = try run(1)
    #expect(!one.exhaustive && one.subsets == 300 && one.seed == 5)
    #expect(one.clusterCount.allSatisfy { $0 >= 2 } && one.cohorts.allSatisfy { $0 >= 3 })
    #expect(one.membership.allSatisfy { $0 < 1 << 11 })
    for t in [2, 4] {
      let r = try run(t)
      #expect(r.membership == one.membership)
      #expect(Self.bits(r.estimate) == Self.bits(one.estimate))
      #expect(Self.bits(r.sigma2Cluster) == Self.bits(one.sigma2Cluster))
      #expect(Self.bits(r.i2Total) == Self.bits(one.i2Total))
    }
    // Each district is in about half of the subsets.
    for c in 0..<11 {
      let n = (0..<300).filter { one.includes(subset: $0, cluster: c) }.count
      #expect(n > 110 && n < 190, "district \(c): \(n)")
    }
  }
}
