// SPDX-License-Identifier: GPL-3.0-or-later

/// The common-effect version of a pooling method: what the method gives with τ² = 0, shown next
/// to it (the forest plot's common-effect diamond), as meta shows its "common effect model".
///
/// The one owner of the rule "which common-effect model belongs to which method":
/// - an inverse-variance method (DL, REML, …): the inverse-variance EE model on the same
///   measure and zero-cell rule, z test;
/// - GLMM: the binomial logistic fixed-effect model (the GLMM with τ² = 0,
///   ``BinomialNormalModel/commonEffect(studies:level:)``), whose estimate is logit(Σx/Σn);
/// - EE and simple pooling (Σx/Σn): none — the method is already its own common-effect model.
public struct CommonEffect: Sendable, Hashable {
  /// Which common-effect model.
  public enum Model: String, Sendable, Hashable {
    /// Inverse-variance EE on the chosen measure.
    case inverseVariance
    /// Binomial logistic fixed-effect model (GLMM with τ² = 0).
    case logistic
  }

  /// The model.
  public var model: Model
  /// The estimate on the model's scale (logit for `logistic`).
  public var summary: ModelSummary
  /// The estimate and CI back-transformed to proportions (PI bounds equal the CI bounds).
  public var pooled: PooledProportion

  /// A label for the row ("Common-effect model (GLMM, tau^2 = 0)").
  public var label: String {
    switch model {
    case .inverseVariance: return "Common-effect model"
    case .logistic: return "Common-effect model (GLMM, τ² = 0)"
    }
  }

  /// The common-effect version of `settings.method` fitted to `studies`; nil for EE and simple
  /// pooling. `cohortIntervals`: the cohorts' CIs of the main analysis, so that the EE fit does
  /// not compute them again (it does not report them; ``CohortIntervals``).
  public static func fit(
    studies: [ProportionStudy], settings: AnalysisSettings, cohortIntervals: CohortIntervals? = nil
  ) throws(MetaAnalysisError) -> CommonEffect? {
    switch settings.method {
    case .EE, .pooled:
      return nil
    case .GLMM:
      let (m, p) = try BinomialNormalModel.commonEffect(studies: studies, level: settings.level)
      return CommonEffect(model: .logistic, summary: m, pooled: p)
    default:
      var s = settings
      s.method = .EE
      s.test = .z
      let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: s, cohortIntervals: cohortIntervals)
      return CommonEffect(model: .inverseVariance, summary: a.model, pooled: a.pooled)
    }
  }
}
