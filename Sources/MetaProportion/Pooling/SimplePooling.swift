// SPDX-License-Identifier: GPL-3.0-or-later

/// Simple pooling: Σxᵢ / Σnᵢ with a binomial CI on Σnᵢ, as if all cohorts were one.
///
/// Many published pooled response rates are computed this way. It ignores between-cohort
/// heterogeneity, so its CI is too narrow whenever cohorts differ; orrmeta always warns.
public struct SimplePooling: Sendable, Hashable {
  /// Σxᵢ.
  public var events: Int
  /// Σnᵢ.
  public var total: Int
  /// Σxᵢ/Σnᵢ.
  public var proportion: Double
  /// CI lower bound.
  public var ciLower: Double
  /// CI upper bound.
  public var ciUpper: Double
  /// The interval method.
  public var method: BinomialIntervalMethod

  /// Pools the cohorts.
  public init(studies: [ProportionStudy], method: BinomialIntervalMethod, level: ConfidenceLevel) throws(MetaAnalysisError) {
    guard !studies.isEmpty else { throw .noStudies }
    var x = 0, n = 0
    for s in studies {
      let (nx, ox) = x.addingReportingOverflow(s.events)
      let (nn, on) = n.addingReportingOverflow(s.total)
      if ox || on { throw .invalidSetting(name: "total", value: "overflow", expected: "a total number of patients below \(Int.max)") }
      x = nx; n = nn
    }
    let ci = try method.interval(events: x, total: n, level: level)
    self.events = x
    self.total = n
    self.proportion = Double(x) / Double(n)
    self.ciLower = ci.lower
    self.ciUpper = ci.upper
    self.method = method
  }
}
