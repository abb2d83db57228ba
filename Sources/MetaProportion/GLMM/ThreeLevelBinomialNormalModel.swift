// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// The three-level binomial-normal model for proportions of cohorts nested in trials, fitted by
/// maximum likelihood — lme4 `glmer(cbind(x, n − x) ~ 1 + (1 | trial/cohort),
/// family = binomial, nAGQ = 1)` for the Laplace approximation; no R tool offers adaptive
/// quadrature for nested random effects.
///
/// Model:
/// ```
/// logit pᵢⱼ = μ + uᵢ + wᵢⱼ,   uᵢ ~ N(0, σ²_trial),   wᵢⱼ ~ N(0, σ²_cohort),
/// xᵢⱼ | uᵢ, wᵢⱼ ~ Bin(nᵢⱼ, pᵢⱼ).
/// ```
/// The likelihood (``NestedGaussHermiteLikelihood``) factorises over trials; each trial's
/// integral nests one integral per cohort. With nAGQ = 1 it is the joint Laplace approximation
/// (glmer's); with nAGQ = Q > 1 nested adaptive Gauss–Hermite quadrature with at least Q points
/// at both levels, increased by 8 until ℓ at the estimate changes by less than 10⁻⁹ (so that ℓ is
/// exact to 10⁻⁸; the check is reported as ``ThreeLevelGLMMFit/quadratureCheck``).
///
/// Optimisation (``NestedNewtonOptimizer``) over θ = (μ, σ_trial, σ_cohort) with a global
/// check, since the likelihood can have a local maximum on a boundary σ = 0 and another
/// inside: candidates are the interior maxima from two starts (the inverse-variance three-level
/// ML fit of the escalc logits, and the one-level GLMM, i.e. the σ_trial = 0 maximum, with its
/// variance split between the levels), the maxima on σ_trial = 0 and on σ_cohort = 0 and the
/// common-proportion point; the highest is taken, the others are listed in the fit, and a
/// warning says when a σ² is at 0 or two interior maxima differ. For nAGQ > 1 each candidate is
/// found with the Laplace approximation first (a fraction of the cost) and then refined.
public enum ThreeLevelBinomialNormalModel {
  /// Fits the model.
  ///
  /// - Parameters:
  ///   - studies: the cohorts (k ≥ 3), in input order.
  ///   - clusters: their nesting in trials (at least 2).
  ///   - clusterName: the name of the trial level (the column, e.g. "trial").
  ///   - nAGQ: 1 for the Laplace approximation; Q > 1 for nested adaptive quadrature with at
  ///     least Q points per level (increased until exact to 10⁻⁸).
  ///   - test: `.z` or `.t` (t with k − 1 df).
  ///   - level: confidence level.
  ///   - profileIntervals: whether to compute the profile-likelihood CIs of the σ².
  /// - Throws: ``MetaAnalysisError`` for invalid input, settings, or a failed maximisation.
  public static func fit(
    studies: [ProportionStudy], clusters: ClusterStructure, clusterName: String = "cluster",
    nAGQ: Int = 7, test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive,
    profileIntervals: Bool = true
  ) throws(MetaAnalysisError) -> ThreeLevelGLMMFit {
    let k = studies.count
    guard k > 0 else { throw .noStudies }
    guard clusters.rows == k else {
      throw .invalidSetting(name: "cluster", value: "\(clusters.rows) values", expected: "one per cohort (\(k))")
    }
    for s in studies {
      guard s.total > 0, s.events >= 0, s.events <= s.total else {
        throw .invalidStudy(label: s.label, reason: "events = \(s.events), n = \(s.total); expected 0 ≤ events ≤ n, n > 0")
      }
    }
    guard test == .z || test == .t else {
      throw .invalidSetting(name: "test", value: test.rawValue, expected: "z or t for the three-level GLMM")
    }
    guard k >= 3 else {
      throw .invalidSetting(name: "cohorts", value: "\(k)", expected: "at least 3 cohorts for the three-level model")
    }
    guard clusters.count >= 2 else {
      throw .invalidSetting(name: "clusters", value: "\(clusters.count) (\(clusters.labels.first ?? ""))", expected: "at least 2 clusters for the three-level model")
    }
    guard nAGQ >= 1, nAGQ <= GaussHermiteRule.maximumPoints else {
      throw .invalidSetting(name: "nAGQ", value: "\(nAGQ)", expected: "an integer from 1 to \(GaussHermiteRule.maximumPoints)")
    }
    let sumEvents = studies.reduce(0) { $0 + $1.events }, sumTotal = studies.reduce(0) { $0 + $1.total }
    guard sumEvents > 0, sumEvents < sumTotal else {
      throw .fitFailed(reason: sumEvents == 0
        ? "no cohort has a responder: the maximum-likelihood estimate of the logit is -infinity"
        : "every patient in every cohort responded: the maximum-likelihood estimate of the logit is +infinity")
    }
    let events = clusters.order.map { studies[$0].events }, totals = clusters.order.map { studies[$0].total }
    var warnings: [AnalysisWarning] = []

    // Starts: the inverse-variance three-level ML fit of the escalc logits (½ added to zero
    // cells); the common-proportion logit if that fit fails.
    let pooled = Double(sumEvents) / Double(sumTotal)
    let commonMu = Double.log(pooled / (1 - pooled))
    var ivStart = SIMD3(commonMu, 0.3, 0.3)
    // Only a start: σ² to a relative 10⁻⁶ (the Laplace search from it converges to its maximum
    // all the same).
    if let es = try? EffectSizes(studies: studies, measure: .PLO),
       let iv = ThreeLevelModel.maximumLikelihoodStart(yi: es.yi, vi: es.vi, clusters: clusters, tolerance: 1e-6) {
      ivStart = SIMD3(iv.estimate, max(iv.sigma2[0].squareRoot(), 0.05), max(iv.sigma2[1].squareRoot(), 0.05))
    }

    // Candidates with the Laplace approximation (all of them for nAGQ = 1).
    // One likelihood for the whole fit (data, binomial coefficients, scratch space and the
    // joint modes' warm starts shared by the Laplace searches and every rule size).
    let likelihood = NestedGaussHermiteLikelihood(events: events, totals: totals, offsets: clusters.offsets)
    let laplaceF: (SIMD3<Double>, Bool) -> NestedEvaluation = { theta, derivatives in
      likelihood.laplaceEvaluation(mu: theta[0], s1: theta[1], s2: theta[2], derivatives: derivatives)
    }
    var optimizer = NestedNewtonOptimizer()
    // With nAGQ > 1 the Laplace maxima with a σ free only start the refinement (which
    // converges to 10⁻¹⁰ from them) and are compared at 10⁻⁶: a search ends at θ + step once
    // the Newton step is below 10⁻⁴, without the evaluation that would confirm it (Newton
    // converges quadratically, so θ + step is within about 10⁻⁸ of the maximum, and a σ
    // converging to 0 — cubically, ℓ being even in σ — within about 10⁻¹²).
    var laplaceOptimizer = optimizer
    if nAGQ > 1 { laplaceOptimizer.extrapolationTolerance = 1e-4 }
    var searches = try candidates(laplaceF, optimizer: laplaceOptimizer, commonOptimizer: optimizer, ivStart: ivStart, commonMu: commonMu)

    var points = nAGQ
    var quadratureCheck: Double? = nil
    var evaluate = laplaceF
    if nAGQ > 1 {
      // Refine every candidate with the nested quadrature; more points until ℓ is stable.
      // A search ends at θ + step once the step is below 10⁻⁵ (θ then within about 10⁻¹⁰ of
      // the maximum, ℓ to about 10⁻¹⁵), saving the evaluation that would confirm it; the
      // chosen maximum is then finished at the step tolerance of 10⁻¹⁰ (below).
      optimizer.stepTolerance = 1e-10
      optimizer.extrapolationTolerance = 1e-5
      // An interior Laplace maximum with a σ within rounding of 0 is refined from σ = 0
      // exactly: ℓ is even in σ, so ∂ℓ/∂σ = 0 there and Newton stays on the boundary where the
      // quadrature curves downwards in σ (a local maximum of the full model, as the interior
      // search from the rounding-level σ would find) and steps off where it curves upwards.
      // On the boundary the level's integral takes one node: a fraction of the cost.
      for c in searches.indices where searches[c].free == .one {
        searches[c].maximum.theta = boundarySnapped(searches[c].maximum.theta)
      }
      // The number of points first, at the highest Laplace candidate (evaluations only): Q
      // grows by 8 until ℓ changes by less than 10⁻⁹ with 8 more. The check is repeated at the
      // refined estimate below, so this only saves refining with too few points.
      // Each rule is computed once (the point search and the check share sizes with the refinement).
      var rules: [Int: NestedGaussHermiteLikelihood.Rule] = [:]
      func cachedRule(_ q: Int) throws(MetaAnalysisError) -> NestedGaussHermiteLikelihood.Rule {
        if let r = rules[q] { return r }
        let r = NestedGaussHermiteLikelihood.Rule(try GaussHermiteRule(points: q))
        rules[q] = r
        return r
      }
      // An interior candidate on a boundary σ = 0 that agrees there (to 10⁻⁶) with that
      // boundary's candidate is refined from the boundary's refined maximum (below): the points
      // are then chosen at the boundary candidate, where the refinement starts. The evaluations
      // keep their derivatives: the refinement's first evaluation, at this θ with the chosen
      // rule, is the point search's.
      let highest = searches.max { $0.maximum.evaluation.value < $1.maximum.evaluation.value }!.maximum.theta
      let highestBoundary = searches.first { s in
        s.free.sum() == 2 && (1...2).contains { s.free[$0] == 0 && highest[$0] == 0 }
          && abs(s.maximum.theta - highest).max() < 1e-6
      }
      let laplaceBest = highestBoundary?.maximum.theta ?? highest
      var pointSearch: [Int: NestedEvaluation] = [:]
      func nested(_ q: Int) throws(MetaAnalysisError) -> Double {
        let e = likelihood.evaluate(mu: laplaceBest[0], s1: laplaceBest[1], s2: laplaceBest[2], rule: try cachedRule(q))
        pointSearch[q] = e
        return e.value
      }
      // Once ℓ(Q + 8) is within 10⁻⁶ of ℓ(Q), Q + 8 is taken without confirming it against
      // Q + 16 here (the quadrature error falls by orders of magnitude per 8 points): the check
      // at the refined estimate below confirms it and adds points if it falls short.
      var coarse = try nested(points)
      while points + 8 <= GaussHermiteRule.maximumPoints {
        let fine = try nested(points + 8)
        let change = abs(fine - coarse)
        if change < 1e-9 { break }
        points += 8
        if change < 1e-6 { break }
        coarse = fine
      }
      var refined = searches
      for _ in 0..<8 {
        let rule = try cachedRule(points)
        let known = pointSearch[points]
        let f: (SIMD3<Double>, Bool) -> NestedEvaluation = { theta, derivatives in
          if theta == laplaceBest, let known { return known }
          return likelihood.evaluate(mu: theta[0], s1: theta[1], s2: theta[2], rule: rule, derivatives: derivatives)
        }
        // Both σ = 0: the integrand is constant in the random effects and the Laplace value is
        // exact. Interior searches that reached the same Laplace maximum are refined once.
        // The boundary searches are refined first: an interior search whose Laplace maximum
        // lies on a boundary σ = 0 (set to 0 above) and agrees there with that boundary
        // search's Laplace maximum continues from the boundary's refined maximum and its
        // evaluation. There ∂ℓ/∂σ = 0 and the Hessian's cross terms in σ vanish (ℓ is even in
        // σ), so the interior Newton step is the boundary's: it stops at once where the
        // quadrature curves downwards in σ and steps off where it curves upwards, as the
        // interior search from the Laplace maximum would, without repeating the refinement.
        var done = [Search?](repeating: nil, count: searches.count)
        let order = searches.indices.filter { searches[$0].free != .one } + searches.indices.filter { searches[$0].free == .one }
        for c in order {
          let search = searches[c]
          if search.free == SIMD3(1, 0, 0) {
            done[c] = search
            continue
          }
          func sameLaplaceMaximum(_ i: Int) -> Bool {
            (abs(searches[i].maximum.theta - search.maximum.theta)).max() < 1e-6
          }
          if search.free == .one, let twin = searches.indices.first(where: { i in
            done[i] != nil && searches[i].free == .one && sameLaplaceMaximum(i)
          }) {
            done[c] = Search(name: search.name, free: search.free, maximum: done[twin]!.maximum)
            continue
          }
          if search.free == .one, let boundary = searches.indices.first(where: { i in
            let free = searches[i].free
            return free.sum() == 2 && (1...2).contains { free[$0] == 0 && search.maximum.theta[$0] == 0 }
              && done[i]?.maximum.converged == true && sameLaplaceMaximum(i)
          }) {
            let from = done[boundary]!.maximum
            let m = optimizer.maximize(
              f, start: from.theta, free: search.free, startEvaluation: from.extrapolated ? nil : from.evaluation)
            done[c] = Search(name: search.name, free: search.free, maximum: m)
            continue
          }
          let m = optimizer.maximize(f, start: search.maximum.theta, free: search.free)
          done[c] = Search(name: search.name, free: search.free, maximum: m)
        }
        refined = done.map { $0! }
        let best = refined.max { $0.maximum.evaluation.value < $1.maximum.evaluation.value }!
        let finer = try cachedRule(min(points + 8, GaussHermiteRule.maximumPoints))
        let t = best.maximum.theta
        let difference = abs(
          likelihood.evaluate(mu: t[0], s1: t[1], s2: t[2], rule: finer, derivatives: false).value
            - best.maximum.evaluation.value)
        quadratureCheck = difference
        evaluate = f
        if difference < 1e-9 || points + 8 > GaussHermiteRule.maximumPoints { break }
        points += 8
      }
      searches = refined
      if let q = quadratureCheck, q >= 1e-9 {
        warnings.append(.note("the nested quadrature with \(points) points per level changes the log-likelihood by \(q) against \(points + 8) points; it may not be exact to 1e-8"))
      }
      if points > nAGQ {
        warnings.append(.note("nested adaptive quadrature: \(points) points per level (asked for \(nAGQ)), increased until the log-likelihood changes by less than 1e-9 with 8 more"))
      }
    }

    // The global check: the highest candidate.
    // With one cohort in every trial, uᵢ and wᵢ enter only through their sum: ℓ (exact and
    // Laplace alike, the Laplace approximation being invariant under rotations of (uᵢ, wᵢ))
    // depends on σ²_trial + σ²_cohort alone and every split is a maximum (the Hessian is
    // singular). The split σ²_trial = 0, the one-level GLMM, is reported.
    let identified = clusters.count < k
    let chosenIndex = identified
      ? searches.indices.max { i, j in
          let a = searches[i], b = searches[j]
          return a.maximum.evaluation.value < b.maximum.evaluation.value
            || (a.maximum.evaluation.value == b.maximum.evaluation.value && a.free.sum() > b.free.sum())
        }!
      : searches.firstIndex { $0.free == SIMD3(1, 0, 1) }!
    if searches[chosenIndex].maximum.extrapolated {
      // The maximum reported is finished at the refinement's step tolerance (10⁻¹⁰), from where
      // its search ended (at θ + step, unevaluated): usually one evaluation, which the reported
      // gradient and Hessian need anyway. Searches that shared that maximum share the result.
      var finishing = optimizer
      finishing.extrapolationTolerance = nil
      let ended = searches[chosenIndex].maximum
      var finished = finishing.maximize(evaluate, start: ended.theta, free: searches[chosenIndex].free)
      finished.iterations += ended.iterations
      for i in searches.indices where searches[i].maximum.extrapolated && searches[i].maximum.theta == ended.theta {
        searches[i].maximum = finished
      }
    }
    let chosen = searches[chosenIndex]
    guard chosen.maximum.converged || chosen.free.sum() < 3 else {
      throw .glmmFailed(GLMMFailure(
        reason: "three-level GLMM: " + (chosen.maximum.failure ?? "no convergence"), mu: chosen.maximum.theta[0],
        tau: chosen.maximum.theta[1], logLik: chosen.maximum.evaluation.value,
        gradientMu: chosen.maximum.evaluation.gradient[0], gradientTau: chosen.maximum.evaluation.gradient[1],
        iterations: chosen.maximum.iterations))
    }
    let theta = boundarySnapped(chosen.maximum.theta)
    // The search's own evaluation where θ was not moved to a boundary (all searches evaluate
    // with derivatives, with `evaluate`'s rule; the common-proportion point keeps its Laplace
    // evaluation, which is not reused) and the search did not end at an unevaluated θ + step.
    let final = theta == chosen.maximum.theta && chosen.free != SIMD3(1, 0, 0) && !chosen.maximum.extrapolated
      ? chosen.maximum.evaluation : evaluate(theta, true)
    let logLik = final.value
    let interior = searches.filter { $0.free.sum() == 3 && $0.maximum.converged }
    if interior.count == 2 {
      let a = interior[0].maximum, b = interior[1].maximum
      if abs(a.evaluation.value - b.evaluation.value) > 1e-6 {
        warnings.append(.note(
          "the three-level GLMM likelihood has more than one local maximum: log-likelihood \(a.evaluation.value) "
            + "(\(interior[0].name)) and \(b.evaluation.value) (\(interior[1].name)); the higher was taken"))
      }
    }
    if !identified {
      warnings.append(.note("every \(clusterName) has one cohort: sigma^2 of the \(clusterName) and cohort levels are not separately identifiable (the likelihood depends on their sum only); the sum is reported at the cohort level with sigma^2 (\(clusterName)) = 0, the one-level GLMM"))
    } else if theta[1] == 0 {
      warnings.append(.note("sigma^2 of the \(clusterName) level is estimated at 0 (boundary; optimum taken: \(chosen.name)): the model reduces to the one-level GLMM of the cohorts"))
    }
    if theta[2] == 0 {
      warnings.append(.note("sigma^2 of the cohort level is estimated at 0 (boundary; optimum taken: \(chosen.name)): cohorts of a trial share one logit"))
    }

    // SE from the observed information over the parameters off the boundary.
    var free = SIMD3<Double>(1, theta[1] > 0 ? 1 : 0, theta[2] > 0 ? 1 : 0)
    let a = NestedNewtonOptimizer.negatedFreeHessian(final, free: free)
    guard let inverse = NestedNewtonOptimizer.inverse(a), inverse[0][0] > 0, inverse[0][0].isFinite else {
      throw .glmmFailed(GLMMFailure(
        reason: "the Hessian of the three-level log-likelihood is not negative definite at the maximum",
        mu: theta[0], tau: theta[1], logLik: logLik, gradientMu: final.gradient[0], gradientTau: final.gradient[1],
        iterations: chosen.maximum.iterations))
    }
    let variance = inverse[0][0]
    let se = variance.squareRoot()
    let mu = theta[0]
    let s2Trial = theta[1] * theta[1], s2Cohort = theta[2] * theta[2]

    let alpha = level.alpha
    let inference = try GLMMWaldInference(estimate: mu, standardError: se, test: test, k: k, alpha: alpha)
    let crit = inference.critical
    let piHalf = crit * (variance + s2Trial + s2Cohort).squareRoot()

    // LRTs against the boundary models.
    let chi1 = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: 1) }
    let noTrial = searches.first { $0.free == SIMD3(1, 0, 1) }!.maximum.evaluation.value
    let noCohort = searches.first { $0.free == SIMD3(1, 1, 0) }!.maximum.evaluation.value
    let lrtTrial = max(0, 2 * (logLik - noTrial)), lrtCohort = max(0, 2 * (logLik - noCohort))
    let lrtTrialP = try dist { () throws(DistributionError) in try chi1.survival(lrtTrial) }
    let lrtCohortP = try dist { () throws(DistributionError) in try chi1.survival(lrtCohort) }

    // I² on the latent scale.
    let latent = Double.pi * Double.pi / 3
    let denominator = s2Trial + s2Cohort + latent
    var levels = [
      VarianceComponent(name: clusterName, count: clusters.count, sigma2: s2Trial, ciLower: nil, ciUpper: nil, upperAtSearchLimit: false, i2: 100 * s2Trial / denominator),
      VarianceComponent(name: "cohort", count: k, sigma2: s2Cohort, ciLower: nil, ciUpper: nil, upperAtSearchLimit: false, i2: 100 * s2Cohort / denominator),
    ]
    if profileIntervals {
      // Profile points to 1e-7 (Newton converges quadratically: ℓ to far below the cut-off's
      // precision); the bounds to 1e-8 in σ.
      var loose = optimizer
      loose.stepTolerance = 1e-7
      let cut = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: 1).upperQuantile(alpha) }
      for l in 0..<2 {
        let ci = profileInterval(evaluate, optimizer: loose, theta: theta, logLik: logLik, component: l + 1, cutoff: cut)
        levels[l].ciLower = ci.lower * ci.lower
        levels[l].ciUpper = ci.upper * ci.upper
        levels[l].upperAtSearchLimit = ci.atLimit
        if ci.atLimit {
          warnings.append(.note("the profile-likelihood CI of sigma^2 (\(levels[l].name)) reaches the end of the search interval (sigma = \(ci.upper)); the upper bound is that end"))
        }
      }
    }
    free = SIMD3(1, theta[1] > 0 ? 1 : 0, theta[2] > 0 ? 1 : 0)
    let g = final.gradient * free
    let h = final.hessian
    return ThreeLevelGLMMFit(
      k: k, clusters: clusters.count, nAGQ: nAGQ == 1 ? 1 : points, test: test, alpha: alpha,
      summary: ModelSummary(
        wald: inference.wald, piLower: mu - piHalf, piUpper: mu + piHalf, degreesOfFreedom: inference.degreesOfFreedom),
      critical: crit,
      levels: levels, i2Total: levels[0].i2 + levels[1].i2, latentVariance: latent,
      logLik: logLik, logLikNoTrialLevel: noTrial, lrtTrial: lrtTrial, lrtTrialPValue: lrtTrialP,
      logLikNoCohortLevel: noCohort, lrtCohort: lrtCohort, lrtCohortPValue: lrtCohortP,
      candidates: searches.map { s in
        let t = boundarySnapped(s.maximum.theta)
        return ThreeLevelGLMMCandidate(
          name: s.name, mu: t[0], sigmaTrial: t[1], sigmaCohort: t[2],
          logLik: s.maximum.evaluation.value, converged: s.maximum.converged)
      },
      chosenCandidate: chosen.name, iterations: chosen.maximum.iterations, converged: chosen.maximum.converged,
      gradientNorm: (g * g).sum().squareRoot(),
      hessian: [h.0[0], h.0[1], h.0[2], h.1[0], h.1[1], h.1[2], h.2[0], h.2[1], h.2[2]],
      quadratureCheck: quadratureCheck, warnings: warnings)
  }

  /// The log-likelihood at θ = (μ, σ_trial, σ_cohort) with gradient and Hessian: nested
  /// adaptive quadrature with `nAGQ` points per level (derivatives with the nodes held fixed),
  /// or for nAGQ = 1 the joint Laplace approximation (exact derivatives,
  /// ``NestedGaussHermiteLikelihood/laplaceEvaluation(mu:s1:s2:derivatives:)``).
  ///
  /// - Throws: ``MetaAnalysisError`` for mismatched input or nAGQ out of range.
  public static func logLikelihood(
    studies: [ProportionStudy], clusters: ClusterStructure, mu: Double, sigmaTrial: Double, sigmaCohort: Double,
    nAGQ: Int
  ) throws(MetaAnalysisError) -> (value: Double, gradient: [Double], hessian: [Double]) {
    guard clusters.rows == studies.count, !studies.isEmpty else {
      throw .invalidSetting(name: "cluster", value: "\(clusters.rows) values", expected: "one per cohort (\(studies.count))")
    }
    let rule = NestedGaussHermiteLikelihood.Rule(try GaussHermiteRule(points: nAGQ))
    let likelihood = NestedGaussHermiteLikelihood(
      events: clusters.order.map { studies[$0].events }, totals: clusters.order.map { studies[$0].total },
      offsets: clusters.offsets)
    let e = nAGQ == 1
      ? likelihood.laplaceEvaluation(mu: mu, s1: sigmaTrial, s2: sigmaCohort)
      : likelihood.evaluate(mu: mu, s1: sigmaTrial, s2: sigmaCohort, rule: rule)
    let h = e.hessian
    return (e.value, [e.gradient[0], e.gradient[1], e.gradient[2]],
            [h.0[0], h.0[1], h.0[2], h.1[0], h.1[1], h.1[2], h.2[0], h.2[1], h.2[2]])
  }

  /// θ with each σ below 10⁻⁷ set to 0: a σ within rounding of 0 is the boundary (for the
  /// refinement's starts, the estimate and the candidates listed).
  static func boundarySnapped(_ theta: SIMD3<Double>) -> SIMD3<Double> {
    var snapped = theta
    for i in 1...2 where snapped[i] < 1e-7 { snapped[i] = 0 }
    return snapped
  }

  /// One search of the global check.
  struct Search {
    var name: String
    var free: SIMD3<Double>
    var maximum: NestedNewtonOptimizer.Maximum
  }

  /// The candidate maxima: σ_trial = 0 (the one-level GLMM), σ_cohort = 0, both 0, and the
  /// interior from the inverse-variance start and from the one-level GLMM's.
  ///
  /// `commonOptimizer` maximises over μ alone at σ = 0 (where the Laplace value is exact and
  /// kept as the common-proportion candidate), `optimizer` the others.
  static func candidates(
    _ f: (SIMD3<Double>, Bool) -> NestedEvaluation, optimizer: NestedNewtonOptimizer,
    commonOptimizer: NestedNewtonOptimizer, ivStart: SIMD3<Double>, commonMu: Double
  ) throws(MetaAnalysisError) -> [Search] {
    let total = (ivStart[1] * ivStart[1] + ivStart[2] * ivStart[2]).squareRoot()
    let noTrial = optimizer.maximize(f, start: SIMD3(ivStart[0], 0, total), free: SIMD3(1, 0, 1))
    let noCohort = optimizer.maximize(f, start: SIMD3(ivStart[0], total, 0), free: SIMD3(1, 1, 0))
    let common = commonOptimizer.maximize(f, start: SIMD3(commonMu, 0, 0), free: SIMD3(1, 0, 0))
    let fromIV = optimizer.maximize(f, start: ivStart, free: .one)
    let tau = max(noTrial.theta[2], 0.1)
    let fromGLMM = optimizer.maximize(f, start: SIMD3(noTrial.theta[0], tau / 2.0.squareRoot(), tau / 2.0.squareRoot()), free: .one)
    return [
      Search(name: "interior (start: inverse-variance three-level ML)", free: .one, maximum: fromIV),
      Search(name: "interior (start: one-level GLMM, variance split between the levels)", free: .one, maximum: fromGLMM),
      Search(name: "sigma2_trial = 0 (one-level GLMM of the cohorts)", free: SIMD3(1, 0, 1), maximum: noTrial),
      Search(name: "sigma2_cohort = 0 (one random effect per trial)", free: SIMD3(1, 1, 0), maximum: noCohort),
      Search(name: "both sigma2 = 0 (common proportion)", free: SIMD3(1, 0, 0), maximum: common),
    ]
  }

  /// The profile-likelihood CI of σ (component 1 = trial, 2 = cohort): the σ where
  /// 2(ℓ̂ − max ℓ | σ) equals the χ²₁ cut-off, by the Illinois variant of regula falsi in σ on
  /// each side (lower bound 0 when the profile at 0 stays above the cut-off; upper search up to
  /// σ = 10).
  static func profileInterval(
    _ f: (SIMD3<Double>, Bool) -> NestedEvaluation, optimizer: NestedNewtonOptimizer, theta: SIMD3<Double>,
    logLik: Double, component: Int, cutoff: Double
  ) -> (lower: Double, upper: Double, atLimit: Bool) {
    var free = SIMD3<Double>.one
    free[component] = 0
    var start = theta
    // Distance below the cut-off: positive inside the interval.
    func inside(_ sigma: Double) -> Double {
      var t = start
      t[component] = sigma
      let m = optimizer.maximize(f, start: t, free: free)
      if m.converged { start = m.theta }
      return cutoff / 2 - (logLik - m.evaluation.value)
    }
    func root(_ a0: Double, _ fa0: Double, _ b0: Double, _ fb0: Double) -> Double {
      var a = a0, fa = fa0, b = b0, fb = fb0
      var side = 0
      for _ in 0..<100 {
        let c = (a * fb - b * fa) / (fb - fa)
        let fc = inside(c)
        if abs(fc) < 1e-9 || abs(b - a) < 1e-8 * (1 + abs(c)) { return c }
        if (fc > 0) == (fa > 0) {
          a = c; fa = fc
          if side == -1 { fb /= 2 }
          side = -1
        } else {
          b = c; fb = fc
          if side == 1 { fa /= 2 }
          side = 1
        }
      }
      return (a + b) / 2
    }
    let sigmaHat = theta[component]
    let top = cutoff / 2
    start = theta
    let atZero = sigmaHat == 0 ? top : inside(0)
    let lower = atZero >= 0 ? 0 : root(0, atZero, sigmaHat, top)
    start = theta
    var hi = max(2 * sigmaHat, sigmaHat + 0.5)
    var fHi = inside(hi)
    var lo = sigmaHat, fLo = top
    while fHi > 0, hi < 10 {
      lo = hi
      fLo = fHi
      hi = min(2 * hi, 10)
      fHi = inside(hi)
    }
    if fHi > 0 { return (lower, hi, true) }
    return (lower, root(lo, fLo, hi, fHi), false)
  }
}
