// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// Errors of the statistics module. Each message names the offending setting or cohort.
public enum MetaAnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A cohort's counts are impossible.
  case invalidStudy(label: String, reason: String)
  /// No cohorts were given.
  case noStudies
  /// A setting is outside its domain (level, add, …).
  case invalidSetting(name: String, value: String, expected: String)
  /// The chosen measure cannot be computed for a cohort (e.g. logit of 0 events with `to = none`).
  case undefinedEffectSize(label: String, measure: EffectMeasure, reason: String)
  /// A sampling variance is not positive and finite, which the chosen estimator needs.
  case nonPositiveVariance(label: String, value: Double)
  /// The model cannot be fitted (too few cohorts, non-convergence treated as fatal, …).
  case fitFailed(reason: String)
  /// A distribution function failed (bad parameter or numerical failure in GSL).
  case distribution(DistributionError)
  /// The binomial-normal GLMM could not be fitted; carries the optimizer's last state.
  case glmmFailed(GLMMFailure)

  public var description: String {
    switch self {
    case let .invalidStudy(label, reason): return "cohort '\(label)': \(reason)"
    case .noStudies: return "no cohorts to analyse"
    case let .invalidSetting(name, value, expected): return "\(name) = \(value) is invalid; expected \(expected)"
    case let .undefinedEffectSize(label, measure, reason):
      return "cohort '\(label)': measure \(measure.rawValue) is undefined (\(reason))"
    case let .nonPositiveVariance(label, value):
      return "cohort '\(label)': sampling variance \(value) is not positive and finite"
    case let .fitFailed(reason): return "model fit failed: \(reason)"
    case let .distribution(error): return "distribution error: \(error)"
    case let .glmmFailed(failure): return failure.description
    }
  }
}

/// Runs a distribution call, converting its error into ``MetaAnalysisError/distribution(_:)``.
@inline(__always)
func dist<T>(_ body: () throws(DistributionError) -> T) throws(MetaAnalysisError) -> T {
  do { return try body() } catch { throw .distribution(error) }
}
