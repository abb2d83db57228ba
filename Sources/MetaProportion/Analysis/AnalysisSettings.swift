// SPDX-License-Identifier: GPL-3.0-or-later

/// Every choice that determines a result. Stated in full in every output, so that no method
/// is ever switched silently.
public struct AnalysisSettings: Sendable, Hashable {
  /// The scale (default PLO, the logit: Schwarzer et al. 2019 advise against PFT).
  public var measure: EffectMeasure
  /// The pooling method (default REML, metafor's default).
  public var method: PoolingMethod
  /// The test / CI method for the pooled estimate (default z, metafor's default).
  public var test: TestMethod
  /// Confidence level of every interval (default 95 %).
  public var level: ConfidenceLevel
  /// Per-cohort CI method (and simple pooling's CI), default Clopper–Pearson.
  public var studyInterval: BinomialIntervalMethod
  /// Continuity correction; nil means the measure's default (½ for PR/PLN/PLO, 0 for PAS/PFT).
  public var add: Double?
  /// Which cohorts receive the correction.
  public var to: ZeroCellRule
  /// Quadrature points for GLMM (default 7, as metafor; 1 = Laplace).
  public var quadraturePoints: Int
  /// Iteration settings.
  public var control: FitControl
  /// With subgroups: one τ² common to every subgroup (R meta's `tau.common = TRUE`) instead
  /// of one per subgroup (the default). See ``ProportionMetaAnalysis/analyze(studies:groups:settings:)``.
  public var tauCommon = false
  /// The profile whose defaults were used (``AnalysisProfile``), and each default it changed
  /// from orrmeta's ("method GLMM (orrmeta: REML)"); empty under the orrmeta profile.
  public var profile: AnalysisProfile = .orrmeta
  public var profileChanges: [String] = []

  /// The stopping rules, when ``control`` is one of the named ones.
  public var convergence: Convergence? { Convergence(control: control) }

  /// Creates settings; every argument has orrmeta's default.
  public init(
    measure: EffectMeasure = .PLO, method: PoolingMethod = .REML, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, studyInterval: BinomialIntervalMethod = .clopperPearson,
    add: Double? = nil, to: ZeroCellRule = .only0, quadraturePoints: Int = 7,
    control: FitControl = .tight
  ) {
    self.measure = measure; self.method = method; self.test = test; self.level = level
    self.studyInterval = studyInterval; self.add = add; self.to = to; self.quadraturePoints = quadraturePoints
    self.control = control
  }

  /// The continuity correction actually applied.
  public var effectiveAdd: Double { add ?? measure.defaultAdd }

  /// Whose formulas give yᵢ and vᵢ: metaprop's under the `meta` profile (they differ from
  /// escalc's for corrected PR and PLN cohorts), escalc's otherwise.
  public var effectSizeConvention: EffectSizes.Convention { profile == .meta ? .metaprop : .escalc }

  /// The back-transformation to proportions.
  public var backTransformation: BackTransformation { measure.backTransformation }

  /// How the prediction interval is computed, in words.
  public var predictionIntervalMethod: String {
    switch method {
    case .pooled: return "none (simple pooling has no prediction interval)"
    case .EE: return "equals the CI (tau^2 = 0)"
    default:
      if profile == .meta {
        return "mu +/- t(k-1) * sqrt(SE^2 + tau^2), SE without the Hartung-Knapp adjustment (R meta, method.predict = V)"
      }
      return test == .z
        ? "mu +/- z * sqrt(SE^2 + tau^2) (metafor predict, test = z)"
        : "mu +/- t(k-1) * sqrt(SE^2 + tau^2) (metafor predict, test = \(test.rawValue))"
    }
  }
}
