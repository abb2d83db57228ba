// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// The Wald test and confidence interval of a GLMM's logit μ̂ (one- and three-level
/// binomial-normal models): z = μ̂/SE against N(0, 1), or against t with k − 1 df for `.t`
/// (metafor `rma.glmm(test = "t")`); CI μ̂ ± crit·SE. One owner for both models.
struct GLMMWaldInference {
  var statistic: Double
  var pValue: Double
  var critical: Double
  var degreesOfFreedom: Double?
  var ciLower: Double
  var ciUpper: Double

  /// - Parameters:
  ///   - estimate, standardError: μ̂ and its SE.
  ///   - test: `.z` or `.t` (other tests are refused by the callers).
  ///   - k: number of cohorts (t df = k − 1).
  ///   - alpha: 1 − confidence level.
  init(estimate: Double, standardError: Double, test: TestMethod, k: Int, alpha: Double) throws(MetaAnalysisError) {
    let statistic = estimate / standardError
    self.statistic = statistic
    if test == .t {
      let d = Double(k - 1)
      degreesOfFreedom = d
      let t = try dist { () throws(DistributionError) in try StudentT(degreesOfFreedom: d) }
      critical = try dist { () throws(DistributionError) in try t.upperQuantile(alpha / 2) }
      pValue = try dist { () throws(DistributionError) in 2 * (try t.survival(abs(statistic))) }
    } else {
      degreesOfFreedom = nil
      critical = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(alpha / 2) }
      pValue = try dist { () throws(DistributionError) in 2 * (try Normal.standard.survival(abs(statistic))) }
    }
    ciLower = estimate - critical * standardError
    ciUpper = estimate + critical * standardError
  }
}
