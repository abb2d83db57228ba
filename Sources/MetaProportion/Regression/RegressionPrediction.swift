// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// A predicted outcome of a meta-regression at moderator values x (metafor
/// `predict(res, newmods = x)`), on the model's scale.
///
/// ```
/// ŷ = xᵀβ̂,  SE = √(xᵀ Var(β̂) x),  CI = ŷ ± c·SE,  PI = ŷ ± c·√(SE² + τ̂²)
/// ```
/// with c the normal quantile, or the t(k − p) quantile under `test = t` or `knha`.
public struct RegressionPrediction: Sendable, Hashable {
  /// The design row x (intercept first).
  public var x: [Double]
  public var estimate: Double
  public var standardError: Double
  public var ciLower: Double
  public var ciUpper: Double
  public var piLower: Double
  public var piUpper: Double
}

extension MetaRegressionFit {
  /// The prediction at the design row `x` (intercept first; `p` values).
  ///
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` when `x` has the wrong length.
  public func predict(_ x: [Double]) throws(MetaAnalysisError) -> RegressionPrediction {
    guard x.count == header.p else { throw .invalidSetting(name: "newmods", value: "\(x.count) values", expected: "\(header.p) (intercept first)") }
    var estimate = 0.0, variance = 0.0
    for j in 0..<header.p {
      estimate += x[j] * header.coefficients[j].estimate
      for l in 0..<header.p { variance += x[j] * header.covariance[j * header.p + l] * x[l] }
    }
    let se = max(0, variance).squareRoot()
    let crit: Double
    if let df = degreesOfFreedom, df > 0 {
      crit = try dist { () throws(DistributionError) in try StudentT(degreesOfFreedom: df).upperQuantile(header.alpha / 2) }
    } else {
      crit = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(header.alpha / 2) }
    }
    let piHalf = crit * (se * se + tau2.tau2).squareRoot()
    return RegressionPrediction(
      x: x, estimate: estimate, standardError: se, ciLower: estimate - crit * se, ciUpper: estimate + crit * se,
      piLower: estimate - piHalf, piUpper: estimate + piHalf)
  }
}

extension DesignMatrix {
  /// X = [1, moderators…, interactions…] as R's `model.matrix(~ m1 + m2 + m1:m2)`: each
  /// interaction `a:b` adds the products of every column of `a` with every column of `b`
  /// (R's order: `a`'s columns vary fastest), named `<a column>:<b column>`.
  ///
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for an interaction
  ///   naming a moderator that is not among `moderators`, or a moderator with itself.
  public init(k: Int, moderators: [Moderator], interactions: [(String, String)]) throws(MetaAnalysisError) {
    let main = try DesignMatrix(k: k, moderators: moderators)
    if interactions.isEmpty {
      self = main
      return
    }
    // The design columns of each moderator, in order (the intercept is column 0).
    var owned: [String: [Int]] = [:]
    var next = 1
    for m in moderators {
      let width: Int
      switch m {
      case .continuous: width = 1
      case let .categorical(_, values, levels):
        width = (levels ?? Array(Set(values))).count - 1
      }
      owned[m.name.lowercased()] = Array(next..<(next + width))
      next += width
    }
    var names = main.columnNames
    var columns: [[Double]] = (0..<main.columns).map { j in (0..<k).map { main.values[$0 * main.columns + j] } }
    for (a, b) in interactions {
      guard let ca = owned[a.lowercased()], let cb = owned[b.lowercased()], a.lowercased() != b.lowercased() else {
        throw .invalidSetting(name: "interaction", value: "\(a):\(b)", expected: "two different moderators among \(moderators.map(\.name))")
      }
      for jb in cb {
        for ja in ca {
          names.append(main.columnNames[ja] + ":" + main.columnNames[jb])
          columns.append((0..<k).map { columns[ja][$0] * columns[jb][$0] })
        }
      }
    }
    var values = [Double](repeating: 0, count: k * names.count)
    for (j, col) in columns.enumerated() {
      for i in 0..<k { values[i * names.count + j] = col[i] }
    }
    try self.init(columnNames: names, rows: k, values: values)
  }

  /// The distinct rows of the design, in order of first appearance (R's `unique(X)`).
  public var distinctRows: [[Double]] {
    var seen = Set<[Double]>()
    var out: [[Double]] = []
    for i in 0..<rows {
      let row = Array(values[(i * columns)..<((i + 1) * columns)])
      if seen.insert(row).inserted { out.append(row) }
    }
    return out
  }
}
