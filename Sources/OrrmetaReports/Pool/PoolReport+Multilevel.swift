// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

extension PoolReport {
  /// The `multilevel` block of `pool --cluster` (documented in `Docs/pool.schema.json`).
  package struct Multilevel: NullPreservingEncodable, Sendable {
    package struct Level: NullPreservingEncodable, Sendable {
      package var name: String
      package var count: Int
      package var sigma2: Double?
      package var sigma2_ci_lower: Double?
      package var sigma2_ci_upper: Double?
      package var i2: Double?
    }
    package struct LikelihoodRatioTest: NullPreservingEncodable, Sendable {
      package var statistic: Double?
      package var p_value: Double?
    }
    /// The cluster level first, then the cohort level.
    package var levels: [Level]
    package var i2_total: Double?
    package var log_likelihood: Double?
    /// Against the two-level model (σ² of the cluster level = 0), χ²(1).
    package var lrt_vs_two_level: LikelihoodRatioTest
    /// How the three-level GLMM was fitted (`--method GLMM`); null for the inverse-variance model.
    package var glmm: ThreeLevelGLMMDetail?

    package init(_ fit: ThreeLevelFit, glmm: ThreeLevelGLMMFit? = nil) {
      self.glmm = glmm.map(ThreeLevelGLMMDetail.init)
      levels = fit.levels.map {
        Level(
          name: $0.name, count: $0.count, sigma2: finite($0.sigma2), sigma2_ci_lower: $0.ciLower.flatMap(finite),
          sigma2_ci_upper: $0.ciUpper.flatMap(finite), i2: finite($0.i2))
      }
      i2_total = finite(fit.i2Total)
      log_likelihood = finite(fit.logLikelihood)
      lrt_vs_two_level = LikelihoodRatioTest(statistic: finite(fit.lrtStatistic), p_value: finite(fit.lrtPValue))
    }
  }

  /// Records each cohort's cluster (`studies[].cluster`, also in the subgroups) from the
  /// cluster column's values in input order; nothing when the counts differ.
  package mutating func setClusters(_ values: [String]) {
    guard values.count == studies.count else { return }
    for i in studies.indices { studies[i].cluster = values[i] }
    guard let groups = subgroups else { return }
    var byGroup: [String: [String]] = [:]
    for (st, c) in zip(studies, values) { byGroup[st.subgroup ?? "", default: []].append(c) }
    for g in groups.indices {
      let c = byGroup[groups[g].name] ?? []
      guard c.count == groups[g].studies.count else { continue }
      for i in groups[g].studies.indices { subgroups![g].studies[i].cluster = c[i] }
    }
  }

  /// States the three-level model in the settings block.
  package static func describeThreeLevel(_ s: inout Settings, _ fit: ThreeLevelFit, glmm: ThreeLevelGLMMFit? = nil) {
    s.cluster = fit.levels[0].name
    if let glmm {
      let trial = fit.levels[0].name
      let quadrature = glmm.nAGQ == 1
        ? "joint Laplace approximation (glmer nAGQ = 1)"
        : "nested adaptive Gauss-Hermite quadrature, \(glmm.nAGQ) points per level"
      s.method_name = "three-level binomial-normal GLMM (cohorts in \(trial)), maximum likelihood, \(quadrature); optimum: \(glmm.chosenCandidate)"
      s.i2_definition = "per level on the latent scale: 100 sigma2_l / (sigma2_\(trial) + sigma2_cohort + pi^2/3)"
      s.tau2_ci_method = "profile likelihood for each sigma^2 (chi^2_1 cut-off)"
      let crit = fit.test.usesT ? "t(k-1)" : "z"
      s.pi_method = "mu +/- \(crit) * sqrt(SE^2 + sigma2_\(trial) + sigma2_cohort)"
      return
    }
    s.method_name = "three-level model (cohorts in \(fit.levels[0].name)), " + fit.method.name
    s.tau2_ci_method = "profile likelihood for each sigma^2 (metafor confint.rma.mv)"
    if s.profile == AnalysisProfile.meta.rawValue {
      // meta's conventions (MetaConventions): I² from Q, t(k − 1) PI over the k estimates.
      s.i2_definition = "100 max(0, (Q - df) / Q), test-based CI (R meta, method.I2 = Q); per-level I^2 in multilevel"
      s.pi_method = "mu +/- t(k-1) * sqrt(SE^2 + sigma2_\(fit.levels[0].name) + sigma2_cohort) (R meta, method.predict = V)"
      return
    }
    s.i2_definition = "per level: 100 sigma2_l / (sum sigma2 + vt), vt = (k-p) / tr(P), P = W - W X (X'WX)^-1 X'W, W = diag(1/vi) (metafor multilevel I^2)"
    let crit = fit.test.usesT ? "t(k-1)" : "z"
    s.pi_method = "mu +/- \(crit) * sqrt(SE^2 + sigma2_\(fit.levels[0].name) + sigma2_cohort) (metafor predict.rma.mv)"
  }
}
