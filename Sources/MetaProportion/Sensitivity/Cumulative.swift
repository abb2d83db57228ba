// SPDX-License-Identifier: GPL-3.0-or-later

extension SensitivityAnalysis {
  /// Cumulative meta-analysis (metafor `cumul`): step j fits the model to the first j cohorts
  /// in `order`. JSON: `cumulative`, one element per step, labelled by the cohort added.
  ///
  /// - Parameter order: the cohort indices (0-based) in the order in which they are added — a
  ///   permutation of 0..<k; `nil` keeps the input order. (metafor's `order` argument is a sort
  ///   key; pass the indices that sort by it, with ties kept in input order, to reproduce it.)
  /// - Returns: k rows; row j is the model fitted to cohorts order[0...j] (step 1 has k = 1:
  ///   τ² = 0 and, under knha/t, no CI).
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` when `order` is not a
  ///   permutation of 0..<k.
  public func cumulative(order: [Int]? = nil) throws(MetaAnalysisError) -> [LeaveOneOutRow] {
    let order = order ?? Array(0..<k)
    var seen = [Bool](repeating: false, count: k)
    guard order.count == k else {
      throw .invalidSetting(name: "order", value: "\(order.count) indices", expected: "a permutation of the \(k) cohorts")
    }
    for i in order {
      guard i >= 0, i < k, !seen[i] else {
        throw .invalidSetting(name: "order", value: "\(order)", expected: "a permutation of 0..<\(k)")
      }
      seen[i] = true
    }
    var y = [Double](), v = [Double]()
    y.reserveCapacity(k)
    v.reserveCapacity(k)
    var rows = [LeaveOneOutRow]()
    rows.reserveCapacity(k)
    for j in 0..<k {
      rows.append(row(label: labels[order[j]], fitSubset(order[0...j], y: &y, v: &v)))
    }
    return rows
  }
}
