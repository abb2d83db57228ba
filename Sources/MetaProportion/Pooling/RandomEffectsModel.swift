// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// Fits the intercept-only meta-analytic model yᵢ = μ + uᵢ + εᵢ, uᵢ ~ N(0, τ²), εᵢ ~ N(0, vᵢ),
/// as metafor's `rma.uni(yi, vi, method=, test=)`, followed by `predict()` for the prediction
/// interval. Everything is O(k).
public enum RandomEffectsModel {
  /// Fits the model.
  ///
  /// - Parameters:
  ///   - yi: outcomes on the transformed scale.
  ///   - vi: sampling variances (each > 0 and finite).
  ///   - method: τ² estimator (EE for the common-effect model).
  ///   - test: z, t, knha or adhoc.
  ///   - level: confidence level of the CI and PI.
  ///   - control: iteration settings.
  ///   - presetTau2: a τ² estimated elsewhere, used instead of estimating one (metafor's
  ///     `rma(tau2 =)`; the subgroups' common τ² of ``ProportionMetaAnalysis/analyze(studies:groups:settings:)``).
  /// - Throws: ``MetaAnalysisError`` for empty input, mismatched lengths or non-positive variances.
  public static func fit(
    yi: [Double], vi: [Double], method: TauSquaredMethod, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, control: FitControl = .tight, presetTau2: TauSquaredEstimate? = nil
  ) throws(MetaAnalysisError) -> ModelFit {
    guard !yi.isEmpty else { throw .noStudies }
    guard yi.count == vi.count else {
      throw .invalidSetting(name: "vi", value: "\(vi.count) values", expected: "one per yi (\(yi.count))")
    }
    for (i, v) in vi.enumerated() where !(v > 0 && v.isFinite) {
      throw .nonPositiveVariance(label: "#\(i + 1)", value: v)
    }
    for (i, y) in yi.enumerated() where !y.isFinite {
      throw .invalidSetting(name: "yi[\(i + 1)]", value: "\(y)", expected: "a finite number")
    }
    let result: Result<ModelFit, MetaAnalysisError> = yi.withUnsafeBufferPointer { y in
      vi.withUnsafeBufferPointer { v in
        do throws(MetaAnalysisError) {
          return .success(try fit(y: y, v: v, method: method, test: test, level: level, control: control, presetTau2: presetTau2))
        }
        catch { return .failure(error) }
      }
    }
    return try result.get()
  }

  /// Fits the model on buffers (no allocation apart from the warnings array).
  /// The inputs must already be validated (finite yᵢ, vᵢ > 0).
  public static func fit(
    y: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>, method: TauSquaredMethod,
    test: TestMethod, level: ConfidenceLevel, control: FitControl, presetTau2: TauSquaredEstimate? = nil
  ) throws(MetaAnalysisError) -> ModelFit {
    let k = y.count
    var warnings: [AnalysisWarning] = []
    var test = test
    if k == 1, test.usesT {
      // metafor: 'Setting argument test="z" since k=1.' The fit's `test` says which was used.
      warnings.append(.undefinedInference(reason: "test = \(test.rawValue) needs k >= 2 (0 degrees of freedom with k = 1); the z test was used, as metafor does"))
      test = .z
    }
    let (vMin, vMax) = Self.range(v)
    if vMax / vMin >= 1e7 {
      // metafor's warning (rma.uni, evtol = 1e-7).
      warnings.append(.note("ratio of largest to smallest sampling variance is extremely large (\(vMax / vMin)); results may be unstable"))
    }

    // τ²
    let est: TauSquaredEstimate
    var cache = MomentCache()
    if let presetTau2 {
      est = presetTau2
    } else if k == 1 {
      est = TauSquaredEstimate(tau2: 0, standardError: .nan)
      if method.isRandomEffects {
        warnings.append(.singleStudy)
      } else {
        warnings.append(.note("k = 1: no test of heterogeneity (Q has 0 degrees of freedom; its p-value is not defined)"))
      }
    } else {
      est = TauSquaredEstimator.estimate(y: y, v: v, method: method, control: control, cache: &cache)
      if !est.converged { warnings.append(.notConverged(method: method, iterations: est.iterations)) }
      if est.resetByLogLikelihoodCheck { warnings.append(.logLikelihoodReset(method: method)) }
      if est.beyondMetaforSearchRange {
        warnings.append(.note("PM: the root lies beyond metafor's tau2.max = max(100, 10 mad(y)^2), where metafor stops (\"Value of 'tau2.max' too low\"); orrmeta searched further"))
      }
      if method.isRandomEffects, est.tau2 == 0 { warnings.append(.tau2AtZero(method: method)) }
    }
    let tau2 = est.tau2

    // Moments at τ² = 0 (heterogeneity) and at τ̂² (pooled estimate), reusing the estimator's;
    // at τ̂² > 0 only Σw and μ̂ are needed, and YᵀPY for the Hartung–Knapp scale.
    let knha = test == .knha || test == .adhoc
    var zero = cache.atZero
    if zero == nil, k > 1 || tau2 == 0 { zero = WeightedMoments(y: y, v: v, tau2: 0) }
    let m = cache.atEstimate ?? (tau2 == 0 ? zero! : WeightedMoments(y: y, v: v, tau2: tau2, residuals: knha))
    var variance = 1 / m.sw
    var scale = 1.0
    if knha {
      if method == .EE { warnings.append(.knhaWithCommonEffect) }
      let rss = m.q
      scale = k > 1 && rss > Double.ulpOfOne ? rss / Double(k - 1) : 0
      if test == .adhoc { scale = max(1, scale) }
      if scale == 0, k > 1 {
        warnings.append(.undefinedInference(reason: "Hartung-Knapp scale s^2 = 0 (all cohorts have the same outcome): SE 0, zero-width CI and an infinite test statistic"))
      }
      variance *= scale
    }
    let se = variance.squareRoot()
    let statistic = m.mean / se
    let alpha = level.alpha
    var df: Double? = nil
    let crit: Double
    let pValue: Double
    if test.usesT {
      let d = Double(k - 1)
      df = d
      if d > 0 {
        let t = try dist { () throws(DistributionError) in try StudentT(degreesOfFreedom: d) }
        crit = try dist { () throws(DistributionError) in try t.upperQuantile(alpha / 2) }
        pValue = statistic.isNaN ? .nan : try dist { () throws(DistributionError) in 2 * (try t.survival(abs(statistic))) }
      } else {
        crit = .nan
        pValue = .nan
        warnings.append(.undefinedInference(reason: "test = \(test.rawValue) with k = 1 has 0 degrees of freedom: no p-value, CI or prediction interval"))
      }
    } else {
      crit = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(alpha / 2) }
      pValue = statistic.isNaN ? .nan : try dist { () throws(DistributionError) in 2 * (try Normal.standard.survival(abs(statistic))) }
    }
    let piHalf = crit * (variance + tau2).squareRoot()

    // Heterogeneity (always with weights 1/vᵢ)
    var q = 0.0, qp = 1.0, vt = 0.0, i2 = 0.0, h2 = 1.0
    if k > 1, let fe = zero {
      q = max(0, fe.q)
      let dfq = Double(k - 1)
      qp = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: dfq).survival(q) }
      vt = dfq / fe.traceP
      if method == .EE {
        // metafor gives NaN when Q = 0 (0/0); orrmeta reports 0.
        // min(100, …): 100·(Q − df)/Q rounds to 100.00000000000001 when Q ≫ df (found by fuzzing).
        i2 = q > 0 ? min(100, max(0, 100 * (q - dfq) / q)) : 0
        h2 = q / dfq
      } else {
        i2 = min(100, 100 * tau2 / (vt + tau2))  // can round above 100 when τ² ≫ ṽ
        h2 = tau2 / vt + 1
      }
    }

    return ModelFit(
      k: k, method: method, test: test, alpha: alpha,
      summary: ModelSummary(
        estimate: m.mean, standardError: se, statistic: statistic, pValue: pValue,
        ciLower: m.mean - crit * se, ciUpper: m.mean + crit * se,
        piLower: m.mean - piHalf, piUpper: m.mean + piHalf, degreesOfFreedom: df),
      critical: crit, scale: scale, sumOfWeights: m.sw,
      tau2: est, q: q, qDegreesOfFreedom: k - 1, qPValue: qp, typicalVariance: vt, i2: i2, h2: h2,
      warnings: warnings)
  }

  /// The smallest and largest vᵢ (four lanes).
  @inline(__always)
  static func range(_ v: UnsafeBufferPointer<Double>) -> (Double, Double) {
    guard let p = v.baseAddress, !v.isEmpty else { return (.infinity, 0) }
    let n = v.count
    var lo = SIMD4<Double>(repeating: .infinity), hi = SIMD4<Double>(repeating: 0)
    var i = 0
    while i &+ 4 <= n {
      let x = Lanes.load(p, i)
      lo.replace(with: x, where: x .< lo)
      hi.replace(with: x, where: x .> hi)
      i &+= 4
    }
    var vMin = min(min(lo[0], lo[1]), min(lo[2], lo[3])), vMax = max(max(hi[0], hi[1]), max(hi[2], hi[3]))
    while i < n {
      vMin = min(vMin, p[i])
      vMax = max(vMax, p[i])
      i &+= 1
    }
    return (vMin, vMax)
  }
}
