// SPDX-License-Identifier: GPL-3.0-or-later

/// A moderator (covariate) of a meta-regression.
public enum Moderator: Sendable, Hashable {
  /// A numeric moderator, entered as one column.
  case continuous(name: String, values: [Double])
  /// A categorical moderator, dummy coded as R's `factor` with treatment contrasts: one column
  /// per level except the first (the reference), named `<name><level>`.
  ///
  /// `levels` fixes the order of the levels (the first is the reference). When nil, the levels
  /// are the distinct values sorted by Unicode code points — R's `factor()` sorts in the
  /// locale's collation, so the two agree for R run with `LC_COLLATE=C` or whenever the labels
  /// sort the same way in both (e.g. all lower case).
  case categorical(name: String, values: [String], levels: [String]? = nil)

  /// The moderator's name.
  public var name: String {
    switch self {
    case let .continuous(name, _), let .categorical(name, _, _): return name
    }
  }

  /// Number of cohorts.
  public var count: Int {
    switch self {
    case let .continuous(_, values): return values.count
    case let .categorical(_, values, _): return values.count
    }
  }
}

/// The k×p design matrix X of a meta-regression (intercept first), row-major.
public struct DesignMatrix: Sendable, Hashable {
  /// Column names: "intrcpt", then one per continuous moderator and per non-reference level.
  public let columnNames: [String]
  /// Number of rows k.
  public let rows: Int
  /// Number of columns p.
  public var columns: Int { columnNames.count }
  /// The entries, row-major (xᵢⱼ at `values[i * columns + j]`).
  public let values: [Double]

  /// Builds X = [1, moderators…] as R's `model.matrix(~ m1 + m2 + …)`.
  ///
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` when a moderator's
  ///   length differs from k, a value is not finite, or an explicit level list misses a value.
  public init(k: Int, moderators: [Moderator]) throws(MetaAnalysisError) {
    var names = ["intrcpt"]
    var cols: [[Double]] = [[Double](repeating: 1, count: k)]
    for mod in moderators {
      guard mod.count == k else {
        throw .invalidSetting(name: "moderator \(mod.name)", value: "\(mod.count) values", expected: "one per cohort (\(k))")
      }
      switch mod {
      case let .continuous(name, values):
        for (i, x) in values.enumerated() where !x.isFinite {
          throw .invalidSetting(name: "\(name)[\(i + 1)]", value: "\(x)", expected: "a finite number")
        }
        names.append(name)
        cols.append(values)
      case let .categorical(name, values, levels):
        let lv = levels ?? Array(Set(values)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        for value in values where !lv.contains(value) {
          throw .invalidSetting(name: "moderator \(name)", value: value, expected: "one of the levels \(lv)")
        }
        for level in lv.dropFirst() {
          names.append(name + level)
          cols.append(values.map { $0 == level ? 1 : 0 })
        }
      }
    }
    var vals = [Double](repeating: 0, count: k * names.count)
    for (j, col) in cols.enumerated() {
      for i in 0..<k { vals[i * names.count + j] = col[i] }
    }
    self.columnNames = names
    self.rows = k
    self.values = vals
  }

  /// A design matrix from explicit columns (the first must be the intercept column of ones).
  public init(columnNames: [String], rows: Int, values: [Double]) throws(MetaAnalysisError) {
    guard values.count == rows * columnNames.count, !columnNames.isEmpty else {
      throw .invalidSetting(name: "design", value: "\(values.count) values", expected: "\(rows) × \(columnNames.count)")
    }
    for i in 0..<rows where values[i * columnNames.count] != 1 {
      throw .invalidSetting(name: "design", value: "first column", expected: "an intercept column of ones")
    }
    self.columnNames = columnNames
    self.rows = rows
    self.values = values
  }
}
