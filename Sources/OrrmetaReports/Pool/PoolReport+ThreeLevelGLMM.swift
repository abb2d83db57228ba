// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

extension PoolReport {
  /// The `multilevel.glmm` block of `pool --method GLMM --cluster` (documented in
  /// `Docs/pool.schema.json`): how the three-level binomial-normal GLMM was fitted.
  package struct ThreeLevelGLMMDetail: NullPreservingEncodable, Sendable {
    package struct Component: NullPreservingEncodable, Sendable {
      package var name: String
      package var sigma: Double?
      package var sigma2: Double?
      package var at_boundary: Bool
    }
    package struct Candidate: NullPreservingEncodable, Sendable {
      package var name: String
      package var mu: Double?
      package var sigma2_trial: Double?
      package var sigma2_cohort: Double?
      package var log_likelihood: Double?
      package var converged: Bool
    }
    package var optimizer: String
    /// 1 for the Laplace approximation; otherwise the points per level used.
    package var nagq: Int
    package var approximation: String
    /// |Δℓ| at the estimate against 8 more points per level (null for the Laplace approximation).
    package var quadrature_check: Double?
    package var converged: Bool
    package var iterations: Int
    package var gradient_norm: Double?
    package var log_likelihood: Double?
    package var latent_variance: Double?
    /// The cluster level first, then the cohort level.
    package var variance_components: [Component]
    package var log_likelihood_no_cluster_level: Double?
    package var log_likelihood_no_cohort_level: Double?
    /// Against σ² of the cohort level = 0 (one random effect per cluster), χ²(1).
    package var lrt_vs_no_cohort_level: Multilevel.LikelihoodRatioTest
    package var chosen_candidate: String
    package var candidates: [Candidate]

    package init(_ fit: ThreeLevelGLMMFit) {
      optimizer = "Newton-Raphson on (mu, sigma_cluster, sigma_cohort) with exact gradient and Hessian, "
        + "backtracking line search; global check over \(fit.candidates.count) candidate maxima (interior and boundary)"
      nagq = fit.nAGQ
      approximation = fit.nAGQ == 1
        ? "joint Laplace approximation (glmer nAGQ = 1)"
        : "nested adaptive Gauss-Hermite quadrature, \(fit.nAGQ) points per level"
      quadrature_check = fit.quadratureCheck.flatMap(finite)
      converged = fit.converged
      iterations = fit.iterations
      gradient_norm = finite(fit.gradientNorm)
      log_likelihood = finite(fit.logLik)
      latent_variance = finite(fit.latentVariance)
      variance_components = fit.levels.map {
        Component(name: $0.name, sigma: finite($0.sigma2.squareRoot()), sigma2: finite($0.sigma2), at_boundary: $0.sigma2 == 0)
      }
      log_likelihood_no_cluster_level = finite(fit.logLikNoTrialLevel)
      log_likelihood_no_cohort_level = finite(fit.logLikNoCohortLevel)
      lrt_vs_no_cohort_level = Multilevel.LikelihoodRatioTest(statistic: finite(fit.lrtCohort), p_value: finite(fit.lrtCohortPValue))
      chosen_candidate = fit.chosenCandidate
      candidates = fit.candidates.map {
        Candidate(
          name: $0.name, mu: finite($0.mu), sigma2_trial: finite($0.sigmaTrial * $0.sigmaTrial),
          sigma2_cohort: finite($0.sigmaCohort * $0.sigmaCohort), log_likelihood: finite($0.logLik), converged: $0.converged)
      }
    }
  }
}
