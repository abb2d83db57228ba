// SPDX-License-Identifier: GPL-3.0-or-later

/// A condition that does not stop an analysis but that its reader must know about.
/// Each is reported in the output's `warnings`.
public enum AnalysisWarning: Sendable, Hashable, CustomStringConvertible {
  /// An iterative τ² estimator did not converge within the iteration limit.
  case notConverged(method: TauSquaredMethod, iterations: Int)
  /// τ̂² is 0 under a random-effects method: the model reduces to the common-effect model.
  case tau2AtZero(method: TauSquaredMethod)
  /// metafor's log-likelihood check found a higher likelihood at τ² = 0 and reset τ̂² to 0.
  case logLikelihoodReset(method: TauSquaredMethod)
  /// k = 1: τ² cannot be estimated and was set to 0; no heterogeneity test.
  case singleStudy
  /// Few cohorts for the chosen inference.
  case fewStudies(k: Int, detail: String)
  /// Hartung–Knapp with 0 degrees of freedom: no CI.
  case undefinedInference(reason: String)
  /// Hartung–Knapp (or t) is not meant for the common-effect model (metafor warns likewise).
  case knhaWithCommonEffect
  /// A back-transformed bound fell outside [0, 1] and was clamped.
  case clamped(what: String, value: Double)
  /// Freeman–Tukey back-transformation uses the harmonic mean of n (Schwarzer et al. 2019).
  case freemanTukeyBackTransform(harmonicMeanN: Double)
  /// Simple pooling ignores between-cohort heterogeneity.
  case simplePoolingIgnoresHeterogeneity
  /// The τ² confidence interval could not be determined (search limits or empty set).
  case tau2IntervalIssue(String)
  /// Every cohort has 0 responders (or every patient responded): the inverse-variance estimate
  /// is produced by the continuity correction alone. Carries what the count-based methods give
  /// instead: Σx/Σn with its exact (Clopper–Pearson) CI at `levelPercent`; the GLMM has no
  /// finite maximum-likelihood estimate (its proportion is Σx/Σn, logit ∓∞).
  case continuityCorrectionOnly(allResponded: Bool, events: Int, total: Int, estimate: Double, exactLower: Double, exactUpper: Double, levelPercent: Double)
  /// Any other note.
  case note(String)

  public var description: String {
    switch self {
    case let .notConverged(method, iterations):
      return "\(method.rawValue) estimator of tau^2 did not converge after \(iterations) iterations; results are not reliable"
    case let .tau2AtZero(method):
      return "tau^2 estimated at the boundary 0 (\(method.rawValue)); the random-effects model equals the common-effect model"
    case let .logLikelihoodReset(method):
      return "\(method.rawValue) Fisher scoring reached a point with lower likelihood than tau^2 = 0; tau^2 set to 0 (as metafor does)"
    case .singleStudy:
      return "k = 1: tau^2 cannot be estimated and is set to 0; no heterogeneity test"
    case let .fewStudies(k, detail):
      return "only k = \(k) cohorts: \(detail)"
    case let .undefinedInference(reason):
      return reason
    case .knhaWithCommonEffect:
      return "the Knapp-Hartung method is not meant to be used with the common-effect (EE) model"
    case let .clamped(what, value):
      return "\(what) = \(value) lies outside [0, 1] on the proportion scale and was clamped"
    case let .freemanTukeyBackTransform(n):
      return "Freeman-Tukey back-transformation uses the harmonic mean of n (\((n * 100).rounded() / 100)); it can mislead (Schwarzer et al. 2019): check with measure PLO or GLMM"
    case .simplePoolingIgnoresHeterogeneity:
      return "simple pooling (sum of events / sum of n) ignores between-cohort heterogeneity; its CI is too narrow when cohorts differ"
    case let .tau2IntervalIssue(detail):
      return "tau^2 confidence interval: \(detail)"
    case let .continuityCorrectionOnly(all, x, n, estimate, lo, hi, level):
      func pct(_ v: Double) -> String { "\((v * 10_000).rounded() / 100)%" }
      return (all ? "every patient in every cohort responded" : "no cohort has a responder")
        + ": the pooled estimate (\(pct(estimate))) is produced by the continuity correction alone, not by the data. "
        + "The binomial GLMM has no finite estimate (maximum-likelihood proportion \(all ? "100%" : "0%"), logit \(all ? "+" : "-")infinity); "
        + "the exact (Clopper-Pearson) \(level == level.rounded() ? String(Int(level)) : String(level))% CI of \(x)/\(n) is [\(pct(lo)), \(pct(hi))]"
    case let .note(text):
      return text
    }
  }
}
