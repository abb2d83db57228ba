// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// A regression test for funnel-plot asymmetry (metafor `regtest(model = "rma")`): the
/// meta-regression yᵢ = β₀ + β₁·xᵢ + uᵢ + εᵢ with the model's τ² method, test and level, where
/// xᵢ is the predictor. JSON: `bias.egger`, `bias.peters`.
public struct RegressionTestResult: Sendable, Hashable {
  /// The predictor: "sei" (Egger) or "ninv" (Peters) (`predictor`).
  public var predictor: String
  /// z (or t) statistic of β̂₁ (`statistic`, and `z` for Egger).
  public var statistic: Double
  /// Two-sided p-value of β̂₁ (`p_value`).
  public var pValue: Double
  /// k − 2 for t-based tests, nil under z (`df`).
  public var degreesOfFreedom: Double?
  /// β̂₁ (`slope`).
  public var slope: Double
  /// SE(β̂₁) (`slope_se`).
  public var slopeStandardError: Double
  /// β̂₀, the "limit estimate" as the predictor → 0 (`limit_estimate`, metafor's `est`).
  public var limitEstimate: Double
  /// CI of β̂₀ (`limit_ci_lower`, `limit_ci_upper`).
  public var limitCILower: Double
  public var limitCIUpper: Double
  /// Residual τ̂² of the regression (`tau2`).
  public var tau2: Double
  /// The full regression fit.
  public var fit: MetaRegressionFit
}

/// Begg & Mazumdar's rank correlation test (metafor `ranktest`). JSON: `bias.begg`.
///
/// With θ̂ the equal-effects estimate (weights 1/vᵢ) and v̂ = 1/Σ(1/vᵢ), Kendall's τ_b between
/// the standardised deviates (yᵢ − θ̂)/√(vᵢ − v̂) and vᵢ. The p-value is exact
/// (`cor.test(exact = TRUE)`, the Kendall distribution of the number of concordant pairs) when
/// neither variable has ties and k ≤ 170 (beyond, R's exact computation overflows to NaN),
/// otherwise the normal approximation with ties-corrected variance (as R's `cor.test`, which
/// metafor calls with `exact = TRUE`).
public struct RankCorrelationResult: Sendable, Hashable {
  /// Kendall's τ (`tau`).
  public var tau: Double
  /// Two-sided p-value (`p_value`).
  public var pValue: Double
  /// Whether the p-value is exact (`exact`).
  public var exact: Bool
  /// The statistic: the number of concordant pairs T (exact) or the z score (approximate) (`statistic`).
  public var statistic: Double
}

extension SensitivityAnalysis {
  /// Egger's regression test: `regtest(res, model = "rma", predictor = "sei")`.
  /// - Throws: ``MetaAnalysisError`` when the regression cannot be fitted (k < 3 for random-effects methods).
  public func eggerTest() throws(MetaAnalysisError) -> RegressionTestResult {
    try regressionTest(predictor: "sei", values: vi.map { $0.squareRoot() })
  }

  /// Peters' test as metafor implements it: `regtest(res, model = "rma", predictor = "ninv")`,
  /// i.e. the predictor 1/nᵢ in the same weighted meta-regression (weights 1/(vᵢ + τ̂²) with the
  /// model's τ² method), not Peters et al.'s (2006) original weighted least squares with
  /// weights from the 2×2 table.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` without sample sizes.
  public func petersTest() throws(MetaAnalysisError) -> RegressionTestResult {
    guard let n = sampleSizes else {
      throw .invalidSetting(name: "sampleSizes", value: "none", expected: "cohort sizes for Peters' test")
    }
    return try regressionTest(predictor: "ninv", values: n.map { 1 / $0 })
  }

  func regressionTest(predictor: String, values: [Double]) throws(MetaAnalysisError) -> RegressionTestResult {
    var x = [Double]()
    x.reserveCapacity(2 * k)
    for i in 0..<k { x.append(1); x.append(values[i]) }
    let design = try DesignMatrix(columnNames: ["intrcpt", predictor], rows: k, values: x)
    let f = try MetaRegression.fit(
      yi: yi, vi: vi, design: design, method: method, test: test, level: level, control: control, computeR2: false)
    let b0 = f.coefficients[0], b1 = f.coefficients[1]
    return RegressionTestResult(
      predictor: predictor, statistic: b1.statistic, pValue: b1.pValue, degreesOfFreedom: f.degreesOfFreedom,
      slope: b1.estimate, slopeStandardError: b1.standardError, limitEstimate: b0.estimate,
      limitCILower: b0.ciLower, limitCIUpper: b0.ciUpper, tau2: f.tau2.tau2, fit: f)
  }

  /// Begg's rank correlation test (metafor `ranktest`).
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when k < 2 or τ is undefined.
  public func beggTest() throws(MetaAnalysisError) -> RankCorrelationResult {
    guard k >= 2 else { throw .fitFailed(reason: "rank correlation test needs k ≥ 2") }
    var sw = 0.0, swy = 0.0
    for i in 0..<k { sw += 1 / vi[i]; swy += yi[i] / vi[i] }
    let theta = swy / sw
    let vb = 1 / sw
    let ystar = (0..<k).map { (yi[$0] - theta) / (vi[$0] - vb).squareRoot() }
    return try kendallTest(ystar, vi)
  }
}

/// Kendall's τ_b with R's `cor.test(x, y, method = "kendall", exact = TRUE)` p-value.
func kendallTest(_ x: [Double], _ y: [Double]) throws(MetaAnalysisError) -> RankCorrelationResult {
  let n = x.count
  var concordant = 0, discordant = 0
  var tiesX = 0, tiesY = 0
  for i in 0..<n {
    for j in (i + 1)..<n {
      let dx = x[i] - x[j], dy = y[i] - y[j]
      if dx == 0 { tiesX += 1 }
      if dy == 0 { tiesY += 1 }
      if dx == 0 || dy == 0 { continue }
      if (dx > 0) == (dy > 0) { concordant += 1 } else { discordant += 1 }
    }
  }
  let n0 = Double(n * (n - 1) / 2)
  let s = Double(concordant - discordant)
  let tau = s / ((n0 - Double(tiesX)) * (n0 - Double(tiesY))).squareRoot()
  guard tau.isFinite else { throw .fitFailed(reason: "Kendall's tau is undefined (a variable is constant)") }
  let hasTies = Set(x).count < n || Set(y).count < n
  // R's exact computation overflows (n! in doubles) for n > 170 and returns NaN; orrmeta then uses
  // the normal approximation (as later metafor versions do).
  if !hasTies, n <= 170 {
    // T = number of concordant pairs; two-sided p as R: q > n(n−1)/4 ? 1 − P(T ≤ q−1) : P(T ≤ q)
    let q = Int(((tau + 1) * Double(n * (n - 1)) / 4).rounded(.toNearestOrEven))
    let dist = kendallDistribution(n)
    func cdf(_ q: Int) -> Double {
      if q < 0 { return 0 }
      if q >= dist.count - 1 { return 1 }
      var acc = 0.0
      for j in 0...q { acc += dist[j] }
      return acc
    }
    let pOne = Double(q) > Double(n * (n - 1)) / 4 ? 1 - cdf(q - 1) : cdf(q)
    return RankCorrelationResult(tau: tau, pValue: min(2 * pOne, 1), exact: true, statistic: Double(q))
  }
  // Normal approximation with ties (R's cor.test).
  func tieGroups(_ v: [Double]) -> [Double] {
    var counts: [Double: Int] = [:]
    for a in v { counts[a, default: 0] += 1 }
    return counts.values.filter { $0 > 1 }.map(Double.init)
  }
  let tx = tieGroups(x), ty = tieGroups(y)
  let nd = Double(n)
  let t1 = tx.reduce(0) { $0 + $1 * ($1 - 1) } / 2
  let t2 = ty.reduce(0) { $0 + $1 * ($1 - 1) } / 2
  let sStat = tau * ((n0 - t1) * (n0 - t2)).squareRoot()
  let v0 = nd * (nd - 1) * (2 * nd + 5)
  let vt = tx.reduce(0) { $0 + $1 * ($1 - 1) * (2 * $1 + 5) }
  let vu = ty.reduce(0) { $0 + $1 * ($1 - 1) * (2 * $1 + 5) }
  let v1 = tx.reduce(0) { $0 + $1 * ($1 - 1) } * ty.reduce(0) { $0 + $1 * ($1 - 1) }
  let v2 = tx.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) } * ty.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) }
  let varS = (v0 - vt - vu) / 18 + v1 / (2 * nd * (nd - 1)) + v2 / (9 * nd * (nd - 1) * (nd - 2))
  let z = sStat / varS.squareRoot()
  let lower = try dist { () throws(DistributionError) in try Normal.standard.cdf(z) }
  let upper = try dist { () throws(DistributionError) in try Normal.standard.survival(z) }
  return RankCorrelationResult(tau: tau, pValue: 2 * min(lower, upper), exact: false, statistic: z)
}

/// P(T = q), q = 0…n(n−1)/2, for the number of concordant pairs (equivalently inversions) of a
/// random permutation of n: the recursion p_n(q) = (1/n)·Σ_{i=0}^{min(q, n−1)} p_{n−1}(q − i)
/// (R's `ckendall` counts divided by n!). The window sum runs over the lower half only (where it
/// grows, so no cancellation) and the upper half follows from the symmetry p_n(q) = p_n(N − q).
/// O(n³).
func kendallDistribution(_ n: Int) -> [Double] {
  var dist: [Double] = [1]
  if n <= 1 { return dist }
  for m in 2...n {
    let top = m * (m - 1) / 2
    var next = [Double](repeating: 0, count: top + 1)
    var window = 0.0
    for q in 0...(top / 2) {
      if q < dist.count { window += dist[q] }
      let drop = q - m
      if drop >= 0, drop < dist.count { window -= dist[drop] }
      next[q] = window / Double(m)
    }
    for q in (top / 2 + 1)..<(top + 1) { next[q] = next[top - q] }
    dist = next
  }
  return dist
}
