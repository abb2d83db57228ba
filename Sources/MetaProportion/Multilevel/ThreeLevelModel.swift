// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// Fits the three-level model yᵢⱼ = xᵢⱼᵀβ + uᵢ + wᵢⱼ + eᵢⱼ (cohorts j nested in clusters i),
/// uᵢ ~ N(0, σ²₁), wᵢⱼ ~ N(0, σ²₂), eᵢⱼ ~ N(0, vᵢⱼ), by REML or ML, as metafor's
/// `rma.mv(yi, vi, random = ~ 1 | cluster/cohort, mods =, method =, test =)`, with the
/// profile-likelihood CIs of `confint`, the LRT of `anova(full, reduced)` against σ²₁ = 0,
/// the P-matrix I² per level and `weights(type = "rowsum")`.
///
/// Every likelihood evaluation is O(k·p²) (``MultilevelWorkspace``); see `Docs/methods.md`.
public enum ThreeLevelModel {
  /// Fits the model.
  ///
  /// - Parameters:
  ///   - yi: outcomes on the transformed scale, in input order.
  ///   - vi: sampling variances (each > 0 and finite).
  ///   - clusters: the nesting of the rows in clusters.
  ///   - clusterName: the name of the cluster level (the column, e.g. "trial").
  ///   - design: the design matrix (nil: intercept only).
  ///   - method: `.REML` (default) or `.ML`.
  ///   - test: `.z`, `.t` (t with k − p df) or `.knha` (t with k − p df and Var(β̂) scaled by
  ///     s² = rᵀV⁻¹r/(k − p), the generalised Hartung–Knapp adjustment; metafor 3.8's rma.mv
  ///     has no such option).
  ///   - level: confidence level.
  ///   - profileIntervals: whether to compute the profile-likelihood CIs of σ²₁ and σ²₂.
  ///   - control: ``FitControl/rootSearch`` and ``FitControl/rootTolerance`` decide how the CI
  ///     bounds are solved (``VarianceComponentProfile``); σ² itself is the exact optimum.
  /// - Throws: ``MetaAnalysisError`` for fewer than 3 cohorts, 1 cluster, unsupported
  ///   method or test, invalid inputs or a singular design.
  public static func fit(
    yi: [Double], vi: [Double], clusters: ClusterStructure, clusterName: String = "cluster",
    design: DesignMatrix? = nil, method: TauSquaredMethod = .REML, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, profileIntervals: Bool = true, control: FitControl = .tight
  ) throws(MetaAnalysisError) -> ThreeLevelFit {
    let k = yi.count
    guard k > 0 else { throw .noStudies }
    guard vi.count == k, clusters.rows == k else {
      throw .invalidSetting(name: "vi/cluster", value: "\(vi.count)/\(clusters.rows) values", expected: "one per yi (\(k))")
    }
    guard method == .REML || method == .ML else {
      throw .invalidSetting(name: "method", value: method.rawValue, expected: "REML or ML for the three-level model")
    }
    guard test != .adhoc else {
      throw .invalidSetting(name: "test", value: test.rawValue, expected: "z, t or knha for the three-level model")
    }
    let (ws, x) = try workspace(yi: yi, vi: vi, clusters: clusters, design: design)
    let p = x.columns
    let reml = method == .REML
    var warnings: [AnalysisWarning] = []
    let vScale = vi.reduce(0, +) / Double(k)
    guard let (reduced, full) = maxima(ws, yi: yi, vi: vi, reml: reml, scale: vScale, optimizer: VarianceComponentOptimizer())
    else { throw .fitFailed(reason: "XᵀV⁻¹X is singular") }
    if !full.converged { warnings.append(.note("the three-level \(method.rawValue) optimiser did not converge in \(full.iterations) iterations")) }
    let sigma2 = full.sigma2
    if sigma2[0] == 0 { warnings.append(.note("sigma^2 of the \(clusterName) level is estimated at 0 (boundary): the model reduces to the two-level model")) }
    if sigma2[1] == 0 { warnings.append(.note("sigma^2 of the cohort level is estimated at 0 (boundary)")) }

    // Final evaluation at the estimates.
    ws.evaluate(sigma2Cluster: sigma2[0], sigma2Cohort: sigma2[1], reml: reml, derivatives: false)
    let df = Double(k - p)
    let scale = test == .knha ? ws.rss / df : 1
    let alpha = level.alpha
    let crit: Double
    let tDist: StudentT?
    if test.usesT {
      let t = try dist { () throws(DistributionError) in try StudentT(degreesOfFreedom: df) }
      tDist = t
      crit = try dist { () throws(DistributionError) in try t.upperQuantile(alpha / 2) }
    } else {
      tDist = nil
      crit = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(alpha / 2) }
    }
    var covariance = [Double](repeating: 0, count: p * p)
    for i in 0..<(p * p) { covariance[i] = ws.a[i] * scale }
    var coefficients: [RegressionCoefficient] = []
    for j in 0..<p {
      let b = ws.beta[j]
      let se = covariance[j * p + j].squareRoot()
      let stat = b / se
      let pv: Double
      if let tDist {
        pv = try dist { () throws(DistributionError) in 2 * (try tDist.survival(abs(stat))) }
      } else {
        pv = try dist { () throws(DistributionError) in 2 * (try Normal.standard.survival(abs(stat))) }
      }
      coefficients.append(RegressionCoefficient(
        name: x.columnNames[j], estimate: b, standardError: se, statistic: stat, pValue: pv,
        ciLower: b - crit * se, ciUpper: b + crit * se))
    }

    // Omnibus moderator test.
    var qm: Double? = nil, qmDf: Int? = nil, qmDf2: Int? = nil, qmP: Double? = nil
    if p > 1 {
      let mDim = p - 1
      // β̂ᵦᵀ(s²Aᵦᵦ)⁻¹β̂ᵦ by the two-level regression's kernel on A = (XᵀV⁻¹X)⁻¹.
      for j in 0..<p { ws.algebra.beta[j] = ws.beta[j] }
      var stat = ws.algebra.qmStatistic(scale: scale)
      guard stat.isFinite else { throw .fitFailed(reason: "Var(β̂) of the moderators is singular") }
      qmDf = mDim
      if test.usesT {
        stat /= Double(mDim)
        qmDf2 = k - p
        let fDist = try dist { () throws(DistributionError) in try FisherF(numeratorDegreesOfFreedom: Double(mDim), denominatorDegreesOfFreedom: df) }
        qmP = try dist { () throws(DistributionError) in try fDist.survival(stat) }
      } else {
        qmP = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: Double(mDim)).survival(stat) }
      }
      qm = stat
    }

    // Prediction interval (intercept only) and weights.
    var piLower: Double? = nil, piUpper: Double? = nil
    if p == 1 {
      let half = crit * (covariance[0] + sigma2[0] + sigma2[1]).squareRoot()
      piLower = ws.beta[0] - half
      piUpper = ws.beta[0] + half
    }
    var weights = [Double](repeating: 0, count: k)
    let total = ws.rowSums(sigma2Cluster: sigma2[0], order: clusters.order, into: &weights)
    for i in 0..<k { weights[i] *= 100 / total }

    // QE and ṽ of the two-level equal-effects model.
    let fe = RegressionWorkspace(p: p, capacity: k)
    fe.k = k
    let (qe, trP): (Double, Double) = x.values.withUnsafeBufferPointer { xv in
      yi.withUnsafeBufferPointer { y in
        vi.withUnsafeBufferPointer { v in
          fe.weightedFit(x: xv.baseAddress!, y: y.baseAddress!, v: v.baseAddress!, tau2: 0)
          return (fe.rss, fe.traceP(x: xv.baseAddress!))
        }
      }
    }
    let qeP = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: df).survival(max(0, qe)) }
    let vt = df / trP
    let denom = sigma2[0] + sigma2[1] + vt
    let i2 = [100 * sigma2[0] / denom, 100 * sigma2[1] / denom]

    // LRT against σ²₁ = 0.
    let lrt = max(0, 2 * (full.logLikelihood - reduced.logLikelihood))
    let lrtP = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: 1).survival(lrt) }

    // Profile-likelihood CIs.
    var levels = [
      VarianceComponent(name: clusterName, count: clusters.count, sigma2: sigma2[0], ciLower: nil, ciUpper: nil, upperAtSearchLimit: false, i2: i2[0]),
      VarianceComponent(name: "cohort", count: k, sigma2: sigma2[1], ciLower: nil, ciUpper: nil, upperAtSearchLimit: false, i2: i2[1]),
    ]
    if profileIntervals {
      let cut = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: 1).upperQuantile(alpha) }
      for l in 0..<2 {
        let profile = VarianceComponentProfile(
          workspace: ws, reml: reml, optimum: sigma2, logLikelihood: full.logLikelihood, component: l, scale: vScale,
          control: control)
        let ci = profile.interval(cutoff: cut)
        levels[l].ciLower = ci.lower
        levels[l].ciUpper = ci.upper
        levels[l].upperAtSearchLimit = ci.upperAtLimit
        if ci.upperAtLimit {
          warnings.append(.note("the profile-likelihood CI of sigma^2 (\(levels[l].name)) reaches the end of the search interval (\(ci.upper)); the upper bound is that end, as metafor reports it"))
        }
        if !ci.converged {
          warnings.append(.note("the profile-likelihood CI of sigma^2 (\(levels[l].name)) did not converge"))
        }
      }
    }

    return ThreeLevelFit(
      header: RegressionFitHeader(
        k: k, p: p, method: method, test: test, alpha: alpha, coefficients: coefficients, covariance: covariance),
      clusters: clusters.count, levels: levels, i2Total: i2[0] + i2[1],
      typicalVariance: vt, logLikelihood: full.logLikelihood,
      reducedLogLikelihood: reduced.logLikelihood, reducedSigma2: reduced.sigma2[1],
      lrtStatistic: lrt, lrtPValue: lrtP, qe: qe, qeDegreesOfFreedom: k - p, qePValue: qeP,
      qm: qm, qmDegreesOfFreedom: qmDf, qmDenominatorDegreesOfFreedom: qmDf2, qmPValue: qmP,
      piLower: piLower, piUpper: piUpper, weights: weights,
      degreesOfFreedom: test.usesT ? df : nil, critical: crit, scale: scale,
      iterations: full.iterations, converged: full.converged, warnings: warnings)
  }

  /// The reduced (σ²₁ = 0) and the full model's maxima, both from the two-level
  /// DerSimonian–Laird τ² (intercept only; split between the levels for the full model). Where
  /// the full model's maximum falls below the reduced one's, a second start from the reduced
  /// optimum guards against a local maximum, and the reduced optimum is taken if it is still
  /// higher. nil when XᵀV⁻¹X is singular.
  static func maxima(
    _ ws: MultilevelWorkspace, yi: [Double], vi: [Double], reml: Bool, scale vScale: Double,
    optimizer: VarianceComponentOptimizer
  ) -> (reduced: VarianceComponentOptimizer.Result, full: VarianceComponentOptimizer.Result)? {
    let t0 = derSimonianLairdStart(yi: yi, vi: vi, scale: vScale)
    guard let reduced = optimizer.maximise(ws, reml: reml, start: SIMD2(0, t0), fixed: (true, false), scale: vScale),
          var full = optimizer.maximise(ws, reml: reml, start: SIMD2(t0 / 2, t0 / 2), scale: vScale)
    else { return nil }
    if full.logLikelihood < reduced.logLikelihood {
      if let again = optimizer.maximise(ws, reml: reml, start: SIMD2(0.01 * max(reduced.sigma2[1], vScale), reduced.sigma2[1]), scale: vScale),
         again.logLikelihood > full.logLikelihood {
        full = again
      }
      if full.logLikelihood < reduced.logLikelihood {
        full = VarianceComponentOptimizer.Result(sigma2: reduced.sigma2, logLikelihood: reduced.logLikelihood, iterations: full.iterations, converged: full.converged)
      }
    }
    return (reduced, full)
  }

  /// The checks on the data of a three-level fit (at least 3 rows in 2 clusters, variances
  /// positive and finite, finite yi, a design of k rows with fewer than k columns and full rank)
  /// and the workspace over them; `design` nil is the intercept only.
  static func workspace(
    yi: [Double], vi: [Double], clusters: ClusterStructure, design: DesignMatrix?
  ) throws(MetaAnalysisError) -> (MultilevelWorkspace, DesignMatrix) {
    let k = yi.count
    guard k >= 3 else {
      throw .invalidSetting(name: "cohorts", value: "\(k)", expected: "at least 3 cohorts for the three-level model")
    }
    guard clusters.count >= 2 else {
      throw .invalidSetting(name: "clusters", value: "\(clusters.count) (\(clusters.labels.first ?? ""))", expected: "at least 2 clusters for the three-level model")
    }
    for (i, v) in vi.enumerated() where !(v > 0 && v.isFinite) { throw .nonPositiveVariance(label: "#\(i + 1)", value: v) }
    for (i, y) in yi.enumerated() where !y.isFinite {
      throw .invalidSetting(name: "yi[\(i + 1)]", value: "\(y)", expected: "a finite number")
    }
    let x: DesignMatrix
    if let design { x = design } else { x = try DesignMatrix(k: k, moderators: []) }
    let p = x.columns
    guard x.rows == k else { throw .invalidSetting(name: "design", value: "\(x.rows) rows", expected: "\(k)") }
    guard k - p >= 1 else {
      throw .invalidSetting(name: "moderators", value: "\(p) coefficients", expected: "fewer than k = \(k)")
    }
    let ws: MultilevelWorkspace = yi.withUnsafeBufferPointer { y in
      vi.withUnsafeBufferPointer { v in
        x.values.withUnsafeBufferPointer { xv in MultilevelWorkspace(y: y, v: v, x: xv, p: p, structure: clusters) }
      }
    }
    guard ws.halfLogDetXtX.isFinite else { throw .fitFailed(reason: "the design matrix is rank-deficient") }
    return (ws, x)
  }

  /// The two-level DerSimonian–Laird τ² (intercept only), at least 1% of the mean variance.
  static func derSimonianLairdStart(yi: [Double], vi: [Double], scale vScale: Double) -> Double {
    let k = yi.count
    var sw = 0.0, swy = 0.0, sw2 = 0.0
    for i in 0..<k { let w = 1 / vi[i]; sw += w; swy += w * yi[i]; sw2 += w * w }
    var q = 0.0
    for i in 0..<k { q += (yi[i] - swy / sw) * (yi[i] - swy / sw) / vi[i] }
    let tauDL = max(0, (q - Double(k - 1)) / (sw - sw2 / sw))
    return max(tauDL, 0.01 * vScale)
  }

  /// The intercept-only ML estimates (μ̂, σ²₁, σ²₂) as a start for another fit (the three-level
  /// GLMM): the full model's maximum from the DerSimonian–Laird start split between the levels
  /// (the first of ``fit(yi:vi:clusters:clusterName:design:method:test:level:profileIntervals:control:)``'s
  /// searches), with σ² converged to a relative change of `tolerance`, without the fit's guard
  /// against a local maximum (the reduced model and a second start) and without its inference.
  /// nil where that fit would fail on the data (``workspace(yi:vi:clusters:design:)``) or
  /// XᵀV⁻¹X is singular.
  package static func maximumLikelihoodStart(
    yi: [Double], vi: [Double], clusters: ClusterStructure, tolerance: Double
  ) -> (estimate: Double, sigma2: SIMD2<Double>)? {
    let k = yi.count
    guard vi.count == k, clusters.rows == k,
          let (ws, _) = try? workspace(yi: yi, vi: vi, clusters: clusters, design: nil)
    else { return nil }
    var optimizer = VarianceComponentOptimizer()
    optimizer.tolerance = tolerance
    let vScale = vi.reduce(0, +) / Double(k)
    let t0 = derSimonianLairdStart(yi: yi, vi: vi, scale: vScale)
    guard let full = optimizer.maximise(ws, reml: false, start: SIMD2(t0 / 2, t0 / 2), scale: vScale),
          ws.evaluate(sigma2Cluster: full.sigma2[0], sigma2Cohort: full.sigma2[1], reml: false, derivatives: false)
    else { return nil }
    return (ws.beta[0], full.sigma2)
  }
}
