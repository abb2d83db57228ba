// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import _TestSupport

/// The independent R computation on the sourced cohort table (`Fixtures/alk-nsclc/expected.R`,
/// committed output `expected.json`).
struct SourcedExpected: Decodable {
  struct Pooled: Decodable {
    var k: Int
    var trials: Int
    var events: Int
    var n: Int
    var proportion: Double
    var clopper_pearson: [Double]
    var wilson: [Double]
    var wald: [Double]
  }
  struct RandomEffects: Decodable {
    var k: Int
    var tau2: Double
    var i2: Double
    var proportion: Double
    var ci: [Double]
    var pi: [Double]
  }
  struct Quantiles: Decodable {
    var median: Double
    var sign_test: [Double]
  }
  struct WeightedMedian: Decodable {
    var k: Int
    var n: Double
    var left_out: Int
    var left_out_labels: [String]
    var sign_test_probabilities: [Double]
    var cumulative: Quantiles
    var interpolated: Quantiles
  }
  struct Subset: Decodable {
    var pooled: Pooled
    var random_effects: RandomEffects
    var weighted_median_pfs: WeightedMedian?
  }
  var sourced: [String: Subset]

  static func load() throws -> SourcedExpected {
    let data = try fixtureData("alk-nsclc/expected.json")
    return try JSONDecoder().decode(SourcedExpected.self, from: data)
  }
}
