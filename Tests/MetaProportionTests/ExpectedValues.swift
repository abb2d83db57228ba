// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import _TestSupport

/// The values of `Fixtures/alk-nsclc/expected.json` (written by `Fixtures/alk-nsclc/expected.R`
/// with R, metafor and Hmisc) that the statistics tests compare against.
struct ALKExpected: Decodable {
  struct Synthetic: Decodable {
    var values: [Double]
    var weights: [Double]
    var probs: [Double]
    var cumulative: [Double]
    var interpolated: [Double]
  }
  struct PooledORR: Decodable {
    var patients: Int
    var percent_counts: [Int]
    var consistent_counts: [Int]
    var counts_by_method: [String: [Int]]
    var representative: Int
    var representative_intervals: [String: [Double]]
  }
  struct Partition: Decodable {
    struct Representative: Decodable {
      var total_events: Int
      var naive: [Int]
      var pretreated: [Int]
    }
    var solutions: Int
    var naive_patients: [Int]
    var naive_events: [Int]
    var pretreated_patients: [Int]
    var pretreated_events: [Int]
    var representative: Representative
  }
  struct Check: Decodable {
    var pooled_orr: PooledORR
    var partition: Partition
  }
  var check: Check
  var synthetic_quantiles: [Synthetic]

  static func load() throws -> ALKExpected {
    let data = try fixtureData("alk-nsclc/expected.json")
    return try JSONDecoder().decode(ALKExpected.self, from: data)
  }
}

/// `Fixtures/reference-trials/binom_test_expected.json` (R `binom.test`, `prop.test`).
struct BinomExpected: Decodable {
  struct Case: Decodable {
    var name: String
    var events: Int
    var n: Int
    var level: Double
    var proportion: Double
    var clopper_pearson: [Double]
    var wilson: [Double]
    var wilson_cc: [Double]
  }
  var cases: [Case]

  static func load() throws -> BinomExpected {
    let data = try fixtureData("reference-trials/binom_test_expected.json")
    return try JSONDecoder().decode(BinomExpected.self, from: data)
  }
}
