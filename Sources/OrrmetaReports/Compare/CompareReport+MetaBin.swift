// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// `--profile meta` (R meta's `metabin`): the blocks and settings of a ``MetaBinAnalysis``.
/// `model`/`pooled` are the random-effects model, `common` the common-effect one.
extension CompareReport {
  package static func blocks(_ a: MetaBinAnalysis, studies: [TwoArmStudy], lines: [Int]?) -> Blocks {
    let ratio = a.settings.measure.isRatio
    let back: (Double) -> Double? = { ratio ? finite(Double.exp($0)) : finite($0) }
    let r = a.random, c = a.common.summary, h = a.heterogeneity
    let (model, pooled) = modelBlocks(r, measure: a.settings.measure)
    let common = Common(
      method: a.commonMethod.rawValue, estimate: finite(c.estimate), se: finite(c.standardError), statistic: finite(c.statistic),
      p_value: finite(c.pValue), ci_lower: finite(c.ciLower), ci_upper: finite(c.ciUpper), effect: back(c.estimate),
      effect_ci_lower: back(c.ciLower), effect_ci_upper: back(c.ciUpper))
    let het = Heterogeneity(
      tau2: finite(h.tau2), tau: finite(h.tau), tau2_se: finite(h.tau2StandardError), q: finite(h.q), q_df: h.qDegreesOfFreedom,
      q_p_value: finite(h.qPValue), i2: finite(h.i2), h2: finite(h.h2), tau2_ci_lower: finite(h.tau2CILower),
      tau2_ci_upper: finite(h.tau2CIUpper), i2_ci_lower: finite(h.i2CILower), i2_ci_upper: finite(h.i2CIUpper),
      h: finite(a.h.h), h_ci_lower: finite(a.h.lower), h_ci_upper: finite(a.h.upper))
    let z = a.common.summary.ciUpper - a.common.summary.estimate
    let crit = z / a.common.summary.standardError
    let totalRandom = a.randomWeights.reduce(0, +), totalCommon = a.common.weights.reduce(0, +)
    let trials = studies.enumerated().map { i, s in
      let y = a.effects.yi[i], v = a.effects.vi[i]
      let half = crit * v.squareRoot()
      let has = !y.isNaN && !v.isNaN
      return Trial(
        label: s.label, line: lines?[i], events_treat: s.eventsTreat, n_treat: s.totalTreat, events_ctrl: s.eventsControl,
        n_ctrl: s.totalControl, yi: finite(y), vi: finite(v), ci_lower: has ? finite(y - half) : nil,
        ci_upper: has ? finite(y + half) : nil, effect: back(y), effect_ci_lower: has ? back(y - half) : nil,
        effect_ci_upper: has ? back(y + half) : nil,
        weight: totalRandom > 0 ? finite(100 * a.randomWeights[i] / totalRandom) : nil,
        corrected: a.effects.increment[i] > 0, included: a.effects.usable(i),
        weight_common: totalCommon > 0 ? finite(100 * a.common.weights[i] / totalCommon) : nil)
    }
    return Blocks(model: model, pooled: pooled, common: common, heterogeneity: het, tests: Tests(), trials: trials)
  }

  /// The settings block of a ``MetaBinAnalysis``: every choice as metabin names it.
  package static func settings(_ a: MetaBinAnalysis) -> Settings {
    let s = a.settings
    var out = settings(s)
    let mh = a.commonMethod == .MH
    out.method_name = "\(a.commonMethod == .Inverse ? "inverse variance" : s.method.name) common effect; inverse-variance random effects, \(a.tauMethod.name) (R meta metabin)"
    out.tau2_method = a.tauMethod.rawValue
    out.common_method = a.commonMethod.rawValue
    out.tau2_ci_method = a.tau2CIMethod
    out.test = s.test == .knha ? "knha" : "z"
    out.drop00 = s.drop00 != false
    out.mh_pooled_counts = mh
      ? "tables with metabin's increments (MH.exact = FALSE): incr added to the cells of the trials chosen by method.incr; trials with no or only responders in both arms left out for OR (no responders for RR; RD keeps all)"
      : nil
    out.cmh_continuity_correction = nil
    out.ci_method = "random effects: " + (s.test == .knha ? "Hartung-Knapp, t with k-1 df (method.random.ci = HK)" : "Wald z (method.random.ci = classic)")
      + "; common effect: Wald z" + (mh ? (s.measure == .OR ? " (Robins-Breslow-Greenland variance)" : " (Greenland-Robins variance)") : "")
    out.pi_method = "mu +/- t(k-1) * sqrt(SE^2 + tau^2), SE without the Hartung-Knapp adjustment (R meta, method.predict = V)"
    out.trial_ci_method = "Wald z on metabin's per-trial outcomes (RR: n + incr in the risks; RD: uncorrected difference, corrected variance)"
    out.i2_definition = "100 max(0, (Q - df) / Q), test-based CI (R meta, method.I2 = Q)" + (a.cochraneQ ? "; Q around the Mantel-Haenszel estimate (Q.Cochrane)" : "")
    out.convergence = Convergence(control: s.control)?.rawValue ?? "custom"
    return out
  }
}
