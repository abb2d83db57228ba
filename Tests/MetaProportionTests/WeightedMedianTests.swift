// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import Testing
import _TestSupport

@Suite("Weighted median")
struct WeightedMedianTests {
  @Test("equal weights give the ordinary median", arguments: 1...40)
  func equalWeights(k: Int) throws {
    var rng = SplitMix64(state: UInt64(k))
    let values = (0..<k).map { _ in Double(rng.nextIndex(below: 500)) / 10 }
    let sorted = values.sorted()
    let ordinary = k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2
    let median = try WeightedMedian.median(values: values, weights: Array(repeating: 7, count: k))
    #expect(median == ordinary)
    // Hmisc's interpolation with weight 1 is R's type-7 median, which is the same number.
    let interpolated = try WeightedMedian.median(values: values, weights: Array(repeating: 1, count: k), method: .interpolated)
    #expect(abs(interpolated - ordinary) < 1e-12)
  }

  @Test("cumulative rule by hand")
  func byHand() throws {
    // W = 6: the first value already holds half of the weight exactly → mean with the next.
    #expect(try WeightedMedian.median(values: [1, 2, 3, 4], weights: [3, 1, 1, 1]) == 1.5)
    // More than half → that value.
    #expect(try WeightedMedian.median(values: [1, 2, 3, 4], weights: [4, 1, 1, 1]) == 1)
    // Input order does not matter.
    #expect(try WeightedMedian.median(values: [4, 3, 2, 1], weights: [1, 1, 1, 4]) == 1)
    // Tied values are one group: 5 and 5 hold exactly half → mean of 5 and the next value 7.
    #expect(try WeightedMedian.median(values: [5, 7, 5], weights: [1, 2, 1]) == 6)
    // A single cohort.
    #expect(try WeightedMedian.median(values: [13.8], weights: [100]) == 13.8)
  }

  @Test("both definitions match R (Hmisc wtd.quantile and an independent R version of the cumulative rule)")
  func matchesR() throws {
    let expected = try ALKExpected.load()
    for s in expected.synthetic_quantiles {
      let sample = try WeightedSample(values: s.values, weights: s.weights)
      for (i, p) in s.probs.enumerated() {
        let c = sample.quantile(p, method: .cumulative)
        let h = sample.quantile(p, method: .interpolated)
        #expect(closenessFailure("cumulative q(\(p)) of \(s.values)", c, s.cumulative[i], rtol: 1e-12, atol: 1e-12) == nil)
        #expect(closenessFailure("interpolated q(\(p)) of \(s.values)", h, s.interpolated[i], rtol: 1e-12, atol: 1e-12) == nil)
      }
    }
  }

  @Test("sign-test interval: probabilities 0.5 -/+ z/(2 sqrt(k)) and the quantiles there")
  func signTest() throws {
    let values = [12.1, 3.4, 8.8, 8.8, 30.2, 1.0, 15.5]
    let weights = [120.0, 33, 61, 7, 250, 18, 95]
    let r = try WeightedMedian.analyze(values: values, weights: weights, settings: .init(method: .interpolated, bootstrapReplicates: 0))
    let delta = 1.959963984540054 / (2 * 7.0.squareRoot())
    #expect(abs(r.signTest.lowerProbability - (0.5 - delta)) < 1e-12)
    #expect(abs(r.signTest.upperProbability - (0.5 + delta)) < 1e-12)
    let sample = try WeightedSample(values: values, weights: weights)
    #expect(r.signTest.lower == sample.quantile(0.5 - delta, method: .interpolated))
    #expect(r.signTest.upper == sample.quantile(0.5 + delta, method: .interpolated))
    #expect(r.estimate == 15.5)
    #expect(r.k == 7)
    #expect(r.totalWeight == 584)
    #expect(r.bootstrap == nil)
  }

  @Test("few cohorts: the sign-test interval spans min to max and says so")
  func fewCohorts() throws {
    let r = try WeightedMedian.analyze(values: [2.2, 10.9, 1.4], weights: [9, 79, 40], settings: .init(bootstrapReplicates: 0))
    #expect(r.signTest.lowerProbability == 0)
    #expect(r.signTest.upperProbability == 1)
    #expect(r.signTest.lower == 1.4)
    #expect(r.signTest.upper == 10.9)
    #expect(r.warnings.contains { "\($0)".contains("smallest to the largest") })
  }

  @Test("the bootstrap is reproducible with its seed and brackets the median")
  func bootstrap() throws {
    let values = [9.7, 8.1, 7.7, 3.0, 15.6, 9.2, 12.9, 5.5, 6.9, 26.3, 5.6, 5.4, 1.6, 6.9, 18.4, 5.7, 16.6, 3.7, 8.9, 8.1, 10.9, 1.4, 2.2, 19.8]
    let weights: [Double] = [143, 261, 173, 174, 110, 112, 71, 28, 111, 67, 42, 115, 116, 163, 83, 140, 124, 20, 122, 69, 79, 40, 9, 146]
    let a = try WeightedMedian.analyze(values: values, weights: weights, settings: .init(bootstrapReplicates: 500, seed: 11))
    let b = try WeightedMedian.analyze(values: values, weights: weights, settings: .init(bootstrapReplicates: 500, seed: 11))
    let c = try WeightedMedian.analyze(values: values, weights: weights, settings: .init(bootstrapReplicates: 500, seed: 12))
    #expect(a == b)
    #expect(a.bootstrap?.seed == 11 && a.bootstrap?.replicates == 500)
    let boot = try #require(a.bootstrap)
    #expect(boot.lower <= a.estimate && a.estimate <= boot.upper)
    #expect(boot.lower >= a.minimum && boot.upper <= a.maximum)
    // Another seed draws other replicates (the interval may coincide, the replicate set not).
    #expect(c.bootstrap != nil)
    // The input order does not change the result.
    let reversed = try WeightedMedian.analyze(values: values.reversed(), weights: weights.reversed(), settings: .init(bootstrapReplicates: 0))
    #expect(reversed.estimate == a.estimate)
  }

  @Test("invalid input is rejected with the offending value named")
  func invalid() {
    #expect(throws: MetaAnalysisError.noStudies) { try WeightedMedian.median(values: [], weights: []) }
    #expect(throws: MetaAnalysisError.self) { try WeightedMedian.median(values: [1, 2], weights: [1]) }
    do {
      _ = try WeightedSample(values: [1, 2], weights: [3, 0], labels: ["A", "B"])
      Issue.record("a zero weight was accepted")
    } catch {
      #expect(error.description.contains("'B'"))
    }
    #expect(throws: MetaAnalysisError.self) { try WeightedMedian.median(values: [.nan], weights: [1]) }
    #expect(throws: MetaAnalysisError.self) {
      try WeightedMedian.analyze(values: [1], weights: [1], settings: .init(bootstrapReplicates: -1))
    }
  }
}
