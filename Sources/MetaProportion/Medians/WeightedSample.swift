// SPDX-License-Identifier: GPL-3.0-or-later

/// Values with positive weights, sorted by value (ties keep their input order): the input of
/// every weighted quantile. For a weighted median of cohort medians, the values are the cohorts'
/// median PFS and the weights their sample sizes.
public struct WeightedSample: Sendable, Hashable {
  /// The values in ascending order.
  public let values: [Double]
  /// The weight of each value in ``values``.
  public let weights: [Double]
  /// For each sorted position, the index of the value in the input.
  public let inputIndices: [Int]

  /// Sorts and checks the values.
  ///
  /// - Parameters:
  ///   - values: finite values (at least one).
  ///   - weights: one positive, finite weight per value.
  ///   - labels: optional names of the values, used only in error messages.
  /// - Throws: ``MetaAnalysisError/noStudies`` when `values` is empty and
  ///   ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for a non-finite value, a weight
  ///   that is not positive and finite, or mismatched lengths.
  public init(values: [Double], weights: [Double], labels: [String]? = nil) throws(MetaAnalysisError) {
    guard !values.isEmpty else { throw .noStudies }
    guard weights.count == values.count else {
      throw .invalidSetting(name: "weights", value: "\(weights.count) values", expected: "one per value (\(values.count))")
    }
    func name(_ i: Int) -> String { labels.map { i < $0.count ? "'\($0[i])'" : "#\(i + 1)" } ?? "#\(i + 1)" }
    for i in values.indices {
      guard values[i].isFinite else {
        throw .invalidSetting(name: "value of \(name(i))", value: "\(values[i])", expected: "a finite number")
      }
      guard weights[i] > 0, weights[i].isFinite else {
        throw .invalidSetting(name: "weight of \(name(i))", value: "\(weights[i])", expected: "a positive, finite weight")
      }
    }
    let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    self.values = order.map { values[$0] }
    self.weights = order.map { weights[$0] }
    self.inputIndices = order
  }

  /// The number of values k.
  public var count: Int { values.count }

  /// W = Σwᵢ.
  public var totalWeight: Double { weights.reduce(0, +) }

  /// The weighted p-quantile (0 ≤ p ≤ 1) by `method`.
  public func quantile(_ p: Double, method: WeightedMedianMethod) -> Double {
    WeightedQuantile.quantile(values: values, weights: weights, probability: p, method: method)
  }

  /// The weighted median, the ½-quantile.
  public func median(method: WeightedMedianMethod) -> Double { quantile(0.5, method: method) }
}
