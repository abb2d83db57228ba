// SPDX-License-Identifier: GPL-3.0-or-later

/// The per-cohort binomial CIs of one set of cohorts for one method and level, computed once and
/// shared by many analyses of the same cohorts. The multiverse (`orrmeta multiverse`) fits about a
/// hundred models of one table; recomputing the Clopper–Pearson quantiles of every cohort for each
/// of them was half of its time. ``ProportionMetaAnalysis/analyze(studies:settings:presetTau2:cohortIntervals:)``
/// uses them only when the method, level and number of cohorts match its own settings, and
/// otherwise computes its own, so the result is the same either way (the same function gives the
/// same numbers).
public struct CohortIntervals: Sendable {
  /// The interval method.
  public let method: BinomialIntervalMethod
  /// The confidence level.
  public let level: ConfidenceLevel
  let lower: [Double]
  let upper: [Double]
  /// Whether the intervals were left out (``omitted(method:level:)``).
  public let isOmitted: Bool

  /// Computes the intervals of every cohort; `memo`: intervals computed before, reused for the
  /// same counts (the same numbers to the bit, ``BinomialIntervalMemo``).
  public init(
    studies: [ProportionStudy], method: BinomialIntervalMethod, level: ConfidenceLevel, memo: BinomialIntervalMemo? = nil
  ) throws(MetaAnalysisError) {
    self.method = method
    self.level = level
    isOmitted = false
    var lower: [Double] = [], upper: [Double] = []
    lower.reserveCapacity(studies.count)
    upper.reserveCapacity(studies.count)
    for s in studies {
      let ci = if let memo {
        try memo.interval(method, events: s.events, total: s.total, level: level)
      } else {
        try method.interval(events: s.events, total: s.total, level: level)
      }
      lower.append(ci.lower)
      upper.append(ci.upper)
    }
    self.lower = lower
    self.upper = upper
  }

  /// No intervals: an analysis given these reports every cohort's CI as not available (NaN)
  /// instead of computing it, for any number of cohorts. For callers whose output does not show
  /// the cohorts' CIs (`orrmeta batch` with `cohort_intervals = "none"`): their quantiles (two
  /// incomplete-beta inversions per cohort for Clopper–Pearson) are most of the cost of
  /// analysing a small file; nothing else of an analysis depends on them.
  public static func omitted(method: BinomialIntervalMethod, level: ConfidenceLevel) -> CohortIntervals {
    CohortIntervals(method: method, level: level)
  }

  private init(method: BinomialIntervalMethod, level: ConfidenceLevel) {
    self.method = method
    self.level = level
    lower = []
    upper = []
    isOmitted = true
  }

  /// Whether these are the intervals `settings` asks for, for `count` cohorts.
  func matches(_ settings: AnalysisSettings, count: Int) -> Bool {
    method == settings.studyInterval && level == settings.level && (isOmitted || lower.count == count)
  }

  /// The interval of cohort `i` (NaN, NaN when omitted).
  func interval(_ i: Int) -> (lower: Double, upper: Double) {
    isOmitted ? (.nan, .nan) : (lower[i], upper[i])
  }
}
