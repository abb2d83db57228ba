// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

extension BinomialNormalModel {
  /// The common-effect version of the binomial-normal model: the same likelihood with τ² fixed
  /// at 0, i.e. the binomial logistic fixed-effect model xᵢ ~ Bin(nᵢ, expit(μ)) — metafor's
  /// `rma.glmm(measure = "PLO", xi, ni, method = "EE")` and meta's common-effect GLMM.
  ///
  /// Its maximum is closed-form, μ̂ = logit(Σxᵢ/Σnᵢ); the SE comes from the model's own observed
  /// information at τ = 0, SE = 1/√(−∂²ℓ/∂μ²) = 1/√(Σnᵢ·p̂(1 − p̂)), evaluated by the GLMM
  /// likelihood (which at τ = 0 is the plain binomial likelihood for every nAGQ).
  ///
  /// - Parameters:
  ///   - studies: the cohorts (at least one responder and one non-responder in total).
  ///   - level: confidence level of the Wald CI μ̂ ± z·SE (z test, as metafor's default).
  /// - Returns: the estimate on the logit scale and, back-transformed, on the proportion scale.
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when Σxᵢ = 0 or Σxᵢ = Σnᵢ (no finite
  ///   maximum-likelihood estimate), ``MetaAnalysisError/invalidStudy(label:reason:)``.
  public static func commonEffect(
    studies: [ProportionStudy], level: ConfidenceLevel = .ninetyFive
  ) throws(MetaAnalysisError) -> (model: ModelSummary, pooled: PooledProportion) {
    var x = 0, n = 0
    for s in studies {
      x += s.events
      n += s.total
    }
    guard x > 0, x < n else {
      throw .fitFailed(reason: "the logistic common-effect model has no finite estimate when \(x == 0 ? "no patient responded" : "every patient responded") (\(x)/\(n))")
    }
    let p = Double(x) / Double(n)
    let mu = Double.log(p / (1 - p))
    let at = try logLikelihood(studies: studies, mu: mu, tau: 0, nAGQ: 1)
    let se = (1 / -at.hessianMuMu).squareRoot()
    let z = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(level.alpha / 2) }
    let statistic = mu / se
    let pValue = try dist { () throws(DistributionError) in 2 * (try Normal.standard.survival(abs(statistic))) }
    let lo = mu - z * se, hi = mu + z * se
    let back = BackTransformation.inverseLogit
    let model = ModelSummary(
      estimate: mu, standardError: se, statistic: statistic, pValue: pValue, ciLower: lo, ciUpper: hi,
      piLower: lo, piUpper: hi, degreesOfFreedom: nil)
    let pooled = PooledProportion(
      proportion: back.apply(mu), ciLower: back.apply(lo), ciUpper: back.apply(hi),
      piLower: back.apply(lo), piUpper: back.apply(hi))
    return (model, pooled)
  }
}
