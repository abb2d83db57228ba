// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// One coefficient of a meta-regression (metafor's `coef(summary(res))` row): its name and its
/// ``WaldSummary``, whose fields read as the coefficient's own (`coefficient.estimate`).
public struct RegressionCoefficient: WaldSummaryCarrying, Sendable, Hashable {
  /// Column name (`name`): "intrcpt", a continuous moderator, or `<factor><level>`.
  public var name: String
  /// β̂ⱼ (`estimate`), SE(β̂ⱼ) = √(s²·Aⱼⱼ) (`se`), β̂ⱼ/SE, z or t (`statistic`), the two-sided
  /// p-value (`p_value`) and the CI bounds (`ci_lower`, `ci_upper`).
  public var wald: WaldSummary

  /// Creates a coefficient from its name and Wald group.
  public init(name: String, wald: WaldSummary) {
    self.name = name
    self.wald = wald
  }

  /// Creates a coefficient.
  public init(
    name: String, estimate: Double, standardError: Double, statistic: Double, pValue: Double, ciLower: Double,
    ciUpper: Double
  ) {
    self.init(
      name: name,
      wald: WaldSummary(
        estimate: estimate, standardError: standardError, statistic: statistic, pValue: pValue, ciLower: ciLower,
        ciUpper: ciUpper))
  }
}

/// A fitted mixed-effects meta-regression yᵢ = xᵢᵀβ + uᵢ + εᵢ (metafor `rma.uni(yi, vi, mods=)`).
///
/// With W = diag(1/(vᵢ + τ̂²)) and A = (XᵀWX)⁻¹: β̂ = AXᵀWy, Var(β̂) = s²·A, where s² = 1 or,
/// under Knapp–Hartung, s² = Σwᵢ(yᵢ − xᵢᵀβ̂)²/(k − p) (with t(k − p) inference).
/// ```
/// QM = β̂ᵦᵀ Var(β̂ᵦ)⁻¹ β̂ᵦ        (ᵦ: all coefficients but the intercept; m = p − 1)
///      ~ χ²_m, or QM/m ~ F(m, k − p) under knha/t
/// QE = Σ (1/vᵢ)(yᵢ − xᵢᵀβ̂_FE)²  ~ χ²_{k−p}
/// I² = 100·τ̂²/(ṽ + τ̂²), H² = τ̂²/ṽ + 1, ṽ = (k − p)/tr(P_FE)
/// R² = max(0, 100·(τ̂²_RE − τ̂²)/τ̂²_RE)   (τ̂²_RE: the intercept-only model; 0 if τ̂²_RE = 0)
/// ```
/// For EE, I² = max(0, 100(QE − (k−p))/QE), H² = QE/(k−p) and R² is the adjusted R² of the
/// weighted least-squares fit (as metafor).
public struct MetaRegressionFit: RegressionFitHeaderCarrying, Sendable, Hashable {
  /// k, p, the τ² method, test, α, β̂ and Var(β̂).
  public var header: RegressionFitHeader
  /// Residual τ̂² (`tau2`).
  public var tau2: TauSquaredEstimate
  /// Knapp–Hartung scale s² (1 when not used).
  public var scale: Double
  /// Degrees of freedom k − p of the t tests, nil under z.
  public var degreesOfFreedom: Double?
  /// Omnibus moderator test statistic (`qm`): χ² under z, F (= QM/m) under knha/t.
  public var qm: Double
  /// Numerator df m (`qm_df`).
  public var qmDegreesOfFreedom: Int
  /// Denominator df k − p under knha/t (`qm_df2`), nil under z.
  public var qmDenominatorDegreesOfFreedom: Int?
  /// p-value of the omnibus test (`qm_p_value`).
  public var qmPValue: Double
  /// Residual heterogeneity QE (`qe`).
  public var qe: Double
  /// k − p (`qe_df`).
  public var qeDegreesOfFreedom: Int
  /// P(χ²_{k−p} > QE) (`qe_p_value`).
  public var qePValue: Double
  /// ṽ = (k − p)/tr(P_FE).
  public var typicalVariance: Double
  /// Residual I² in percent (`i2`).
  public var i2: Double
  /// Residual H² (`h2`).
  public var h2: Double
  /// Pseudo-R² in percent (`r2`); nil for the intercept-only model.
  public var r2: Double?
  /// τ̂² of the intercept-only model used for R² (`tau2_re`); nil when not computed.
  public var tau2InterceptOnly: Double?
  /// Warnings (non-convergence, Knapp–Hartung with EE, …).
  public var warnings: [AnalysisWarning]
}

/// The scalar results of a regression fit kept by the resampling loops (no allocation).
struct RegressionCore {
  var tau2: TauSquaredEstimate
  var scale: Double
  /// QM before the F scaling (χ² form), NaN when it could not be computed.
  var qmChi: Double
}

extension RegressionWorkspace {
  /// Fits the model: τ̂², then β̂ and A at τ̂² (left in `beta`, `a`), s², and QM.
  /// Returns nil when the design is singular.
  func fitCore(
    x: UnsafePointer<Double>, y: UnsafePointer<Double>, v: UnsafePointer<Double>,
    method: TauSquaredMethod, test: TestMethod, control: FitControl
  ) -> RegressionCore? {
    guard let est = estimateTau2(x: x, y: y, v: v, method: method, control: control) else { return nil }
    let tau2 = method == .EE ? 0 : est.tau2
    guard weightedFit(x: x, y: y, v: v, tau2: tau2) else { return nil }
    var s2 = 1.0
    if test == .knha || test == .adhoc {
      s2 = rss <= Double.ulpOfOne ? 0 : rss / Double(k - p)
      if test == .adhoc, s2 < 1 { s2 = 1 }
    }
    return RegressionCore(tau2: est, scale: s2, qmChi: qmStatistic(scale: s2))
  }

  /// βᵦᵀ(s²Aᵦᵦ)⁻¹βᵦ for ᵦ = 1..<p (or the intercept when p = 1), by Cholesky (uses t1, t2).
  func qmStatistic(scale s2: Double) -> Double {
    let lo = p > 1 ? 1 : 0
    let n = p - lo
    // Cholesky of s²·A[lo..., lo...] into t1 (n×n, stride n)
    for j in 0..<n {
      var s = s2 * a[(j + lo) * p + (j + lo)]
      for q in 0..<j { s -= t1[j * n + q] * t1[j * n + q] }
      guard s > 0 else { return .nan }
      let ljj = s.squareRoot()
      t1[j * n + j] = ljj
      for i in (j + 1)..<max(n, j + 1) {
        var t = s2 * a[(i + lo) * p + (j + lo)]
        for q in 0..<j { t -= t1[i * n + q] * t1[j * n + q] }
        t1[i * n + j] = t / ljj
      }
    }
    var qm = 0.0
    for i in 0..<n {
      var s = beta[i + lo]
      for q in 0..<i { s -= t1[i * n + q] * t2[q] }
      let z = s / t1[i * n + i]
      t2[i] = z
      qm += z * z
    }
    return qm
  }
}

/// Mixed-effects meta-regression (metafor `rma.uni` with `mods`), in O(k·p²) per fit.
public enum MetaRegression {
  /// Fits the meta-regression.
  ///
  /// - Parameters:
  ///   - yi: outcomes.
  ///   - vi: sampling variances (> 0).
  ///   - design: the design matrix (intercept first).
  ///   - method: τ² estimator (EE: fixed-effects meta-regression).
  ///   - test: z, t, knha or adhoc.
  ///   - level: confidence level.
  ///   - control: iteration settings.
  ///   - computeR2: whether to fit the intercept-only model for the pseudo-R².
  /// - Throws: ``MetaAnalysisError`` for invalid input, too few cohorts (k ≤ p for random-effects
  ///   models) or a singular design.
  public static func fit(
    yi: [Double], vi: [Double], design: DesignMatrix, method: TauSquaredMethod, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, control: FitControl = .tight, computeR2: Bool = true
  ) throws(MetaAnalysisError) -> MetaRegressionFit {
    let k = yi.count, p = design.columns
    guard k > 0 else { throw .noStudies }
    guard vi.count == k, design.rows == k else {
      throw .invalidSetting(name: "vi/design", value: "\(vi.count)/\(design.rows) rows", expected: "one per yi (\(k))")
    }
    for (i, v) in vi.enumerated() where !(v > 0 && v.isFinite) { throw .nonPositiveVariance(label: "#\(i + 1)", value: v) }
    for (i, y) in yi.enumerated() where !y.isFinite {
      throw .invalidSetting(name: "yi[\(i + 1)]", value: "\(y)", expected: "a finite number")
    }
    let needed = method == .EE ? p : p + 1
    guard k >= needed else {
      throw .fitFailed(reason: "number of parameters to be estimated (\(needed)) is larger than the number of cohorts (\(k))")
    }
    let ws = RegressionWorkspace(p: p, capacity: k)
    ws.k = k
    let outcome: Result<MetaRegressionFit, MetaAnalysisError> = design.values.withUnsafeBufferPointer { xb in
      yi.withUnsafeBufferPointer { yb in
        vi.withUnsafeBufferPointer { vb in
          do throws(MetaAnalysisError) {
            return .success(try fit(
              ws: ws, x: xb.baseAddress!, y: yb.baseAddress!, v: vb.baseAddress!, names: design.columnNames,
              method: method, test: test, level: level, control: control,
              tau2RE: computeR2 && p > 1 && method != .EE
                ? TauSquaredEstimator.estimate(y: yb, v: vb, method: method, control: control) : nil))
          } catch { return .failure(error) }
        }
      }
    }
    return try outcome.get()
  }

  /// Fits with moderators (see ``DesignMatrix/init(k:moderators:)``).
  public static func fit(
    yi: [Double], vi: [Double], moderators: [Moderator], method: TauSquaredMethod, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, control: FitControl = .tight
  ) throws(MetaAnalysisError) -> MetaRegressionFit {
    let design = try DesignMatrix(k: yi.count, moderators: moderators)
    return try fit(yi: yi, vi: vi, design: design, method: method, test: test, level: level, control: control)
  }

  static func fit(
    ws: RegressionWorkspace, x: UnsafePointer<Double>, y: UnsafePointer<Double>, v: UnsafePointer<Double>,
    names: [String], method: TauSquaredMethod, test: TestMethod, level: ConfidenceLevel, control: FitControl,
    tau2RE: TauSquaredEstimate?
  ) throws(MetaAnalysisError) -> MetaRegressionFit {
    let k = ws.k, p = ws.p
    var warnings: [AnalysisWarning] = []

    // Residual heterogeneity with weights 1/vᵢ (needs its own fit before the final one).
    var qe = 0.0, qep = 1.0, vt = 0.0
    var qeRSS = 0.0
    if k > p {
      guard ws.weightedFit(x: x, y: y, v: v, tau2: 0) else {
        throw .fitFailed(reason: "model matrix not of full rank")
      }
      qeRSS = ws.rss
      qe = max(0, qeRSS)
      qep = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: Double(k - p)).survival(qe) }
      vt = Double(k - p) / ws.traceP(x: x)
    }
    let wFE = ws.w  // (values overwritten below; only used for R² under EE before refit)
    _ = wFE
    var r2EE: Double? = nil
    if method == .EE, p > 1, k > p {
      // adjusted R² of lm(yi ~ X, weights = 1/vi)
      var sw = 0.0, swy = 0.0
      for i in 0..<k { sw += 1 / v[i]; swy += y[i] / v[i] }
      let ybar = swy / sw
      var tss = 0.0
      var ymin = y[0], ymax = y[0]
      for i in 0..<k {
        tss += (y[i] - ybar) * (y[i] - ybar) / v[i]
        ymin = min(ymin, y[i]); ymax = max(ymax, y[i])
      }
      if ymin == ymax {
        r2EE = 0
      } else {
        let r2 = 1 - qeRSS / tss
        let adj = 1 - (1 - r2) * Double(k - 1) / Double(k - p)
        r2EE = max(0, 100 * adj)
      }
    }

    guard let core = ws.fitCore(x: x, y: y, v: v, method: method, test: test, control: control) else {
      throw .fitFailed(reason: "model matrix not of full rank")
    }
    let est = core.tau2
    if !est.converged { warnings.append(.notConverged(method: method, iterations: est.iterations)) }
    if est.resetByLogLikelihoodCheck { warnings.append(.logLikelihoodReset(method: method)) }
    if method == .EE, test == .knha || test == .adhoc { warnings.append(.knhaWithCommonEffect) }
    let tau2 = method == .EE ? 0 : est.tau2

    // Inference
    let s2 = core.scale
    let alpha = level.alpha
    let usesT = test.usesT
    let ddf = Double(k - p)
    var crit = Double.nan
    var tdist: StudentT? = nil
    if usesT {
      if ddf > 0 {
        let t = try dist { () throws(DistributionError) in try StudentT(degreesOfFreedom: ddf) }
        tdist = t
        crit = try dist { () throws(DistributionError) in try t.upperQuantile(alpha / 2) }
      } else {
        warnings.append(.undefinedInference(reason: "test = \(test.rawValue) with k − p = 0 degrees of freedom"))
      }
    } else {
      crit = try dist { () throws(DistributionError) in try Normal.standard.upperQuantile(alpha / 2) }
    }
    var coefs = [RegressionCoefficient]()
    var cov = [Double](repeating: 0, count: p * p)
    for s in 0..<p { for t in 0..<p { cov[s * p + t] = s2 * ws.a[s * p + t] } }
    for j in 0..<p {
      let b = ws.beta[j]
      let se = cov[j * p + j].squareRoot()
      let z = b / se
      var pv = Double.nan
      if !z.isNaN {
        if usesT {
          if let tdist { pv = try dist { () throws(DistributionError) in 2 * (try tdist.survival(abs(z))) } }
        } else {
          pv = try dist { () throws(DistributionError) in 2 * (try Normal.standard.survival(abs(z))) }
        }
      }
      coefs.append(RegressionCoefficient(
        name: names[j], estimate: b, standardError: se, statistic: z, pValue: pv,
        ciLower: b - crit * se, ciUpper: b + crit * se))
    }
    let m = p > 1 ? p - 1 : 1
    var qm = core.qmChi
    var qmp = Double.nan
    if usesT {
      qm /= Double(m)
      if k - p > 0, !qm.isNaN {
        qmp = try dist { () throws(DistributionError) in
          try FisherF(numeratorDegreesOfFreedom: Double(m), denominatorDegreesOfFreedom: ddf).survival(qm)
        }
      }
    } else if !qm.isNaN {
      qmp = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: Double(m)).survival(qm) }
    }

    var i2 = 0.0, h2 = 1.0
    if k > p {
      if method == .EE {
        i2 = qe > 0 ? max(0, 100 * (qe - ddf) / qe) : 0
        h2 = qe / ddf
      } else {
        i2 = 100 * tau2 / (vt + tau2)
        h2 = tau2 / vt + 1
      }
    }

    var r2: Double? = nil
    if p > 1 {
      if method == .EE {
        r2 = r2EE
      } else if let tau2RE {
        r2 = tau2RE.tau2 == 0 ? 0 : max(0, 100 * (tau2RE.tau2 - tau2) / tau2RE.tau2)
      }
    }

    return MetaRegressionFit(
      header: RegressionFitHeader(
        k: k, p: p, method: method, test: test, alpha: alpha, coefficients: coefs, covariance: cov),
      tau2: est, scale: s2, degreesOfFreedom: usesT ? ddf : nil, qm: qm, qmDegreesOfFreedom: m,
      qmDenominatorDegreesOfFreedom: usesT ? k - p : nil, qmPValue: qmp, qe: qe, qeDegreesOfFreedom: k - p,
      qePValue: qep, typicalVariance: vt, i2: i2, h2: h2, r2: r2, tau2InterceptOnly: tau2RE?.tau2,
      warnings: warnings)
  }
}
