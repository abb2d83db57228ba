// SPDX-License-Identifier: GPL-3.0-or-later

/// The side of the funnel plot on which cohorts are assumed missing.
public enum FunnelSide: String, Sendable, Codable, CaseIterable {
  case left
  case right
}

/// Duval & Tweedie's estimators of the number of missing cohorts k₀.
public enum TrimAndFillEstimator: String, Sendable, Codable, CaseIterable {
  /// k₀ = (4Sᵣ − k(k+1))/(2k − 1), Sᵣ the sum of the positive signed ranks (default).
  case L0
  /// k₀ = γ* − 1, γ* the length of the rightmost run of positive ranks.
  case R0
  /// k₀ = k − ½ − √(2k² − 4Sᵣ + ¼).
  case Q0
}

/// Result of trim-and-fill (metafor `trimfill`). JSON: `trimfill`.
public struct TrimAndFillResult: Sendable, Hashable {
  /// Estimated number of missing cohorts (`k0`).
  public var k0: Int
  /// SE of k₀ (`se_k0`).
  public var k0StandardError: Double
  /// Side on which cohorts were filled (`side`).
  public var side: FunnelSide
  /// Whether the side was chosen from the sign of the Egger-type slope (`side_estimated`).
  public var sideEstimated: Bool
  /// The estimator (`estimator`).
  public var estimator: TrimAndFillEstimator
  /// Iterations of the trim step (`iterations`).
  public var iterations: Int
  /// Pooled estimate after filling, on the model scale (`estimate`).
  public var estimate: Double
  /// SE after filling (`se`).
  public var standardError: Double
  /// CI after filling (`ci_lower`, `ci_upper`).
  public var ciLower: Double
  public var ciUpper: Double
  /// p-value after filling (`p_value`).
  public var pValue: Double
  /// τ̂² after filling (`tau2`).
  public var tau2: Double
  /// Back-transformed estimate and CI (`proportion`, `proportion_ci_lower`, `proportion_ci_upper`).
  public var proportion: Double
  public var proportionCILower: Double
  public var proportionCIUpper: Double
  /// Outcomes of the filled (imputed) cohorts (`filled_yi`).
  public var filledYi: [Double]
  /// Their sampling variances (`filled_vi`).
  public var filledVi: [Double]
  /// The model fitted to the observed and filled cohorts (the original fit when k₀ = 0).
  public var fit: ModelFit
}

extension SensitivityAnalysis {
  /// Trim-and-fill (Duval & Tweedie 2000) as metafor's `trimfill.rma.uni`.
  ///
  /// 1. Side: when not given, "right" if the slope of yᵢ on √vᵢ (meta-regression with the model's
  ///    τ² method) is negative, else "left". Outcomes are negated for the right side.
  /// 2. Trim: sort the cohorts by yᵢ; repeat: fit the model (same τ² method) to the k − k₀
  ///    smallest, rank |yᵢ − μ̂| over all k (ties by position), re-estimate k₀, round half to even
  ///    and floor at 0, until k₀ no longer changes.
  /// 3. Fill: add 2μ̂ − yᵢ (with vᵢ) for the k₀ most extreme cohorts and refit.
  ///
  /// metafor refits the filled data without passing on `test` and `level`, so the filled model uses
  /// a z test with a 95 % CI whatever the original model used (and, when k₀ = 0, it returns the
  /// original model unchanged). `filledTest` and `filledLevel` default to that behaviour.
  ///
  /// - Parameters:
  ///   - side: the side of the missing cohorts; nil estimates it as above.
  ///   - estimator: L0 (default), R0 or Q0.
  ///   - maxIterations: the limit on trim iterations (metafor's `maxiter`, 100).
  ///   - filledTest: test of the refit after filling (metafor: z).
  ///   - filledLevel: level of the refit after filling (metafor: 95 %).
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when k = 1, the iteration does not
  ///   converge, or a fit fails.
  public func trimAndFill(
    side: FunnelSide? = nil, estimator: TrimAndFillEstimator = .L0, maxIterations: Int = 100,
    filledTest: TestMethod = .z, filledLevel: ConfidenceLevel = .ninetyFive
  ) throws(MetaAnalysisError) -> TrimAndFillResult {
    guard k > 1 else { throw .fitFailed(reason: "trim-and-fill needs k ≥ 2 (stopped because k = 1)") }
    var chosen: FunnelSide
    let estimated = side == nil
    if let side {
      chosen = side
    } else {
      var x = [Double]()
      for i in 0..<k { x.append(1); x.append(vi[i].squareRoot()) }
      let design = try DesignMatrix(columnNames: ["intrcpt", "sqrt(vi)"], rows: k, values: x)
      let f = try MetaRegression.fit(yi: yi, vi: vi, design: design, method: method, test: .z, control: control, computeR2: false)
      chosen = f.coefficients[1].estimate < 0 ? .right : .left
    }
    let sign: Double = chosen == .right ? -1 : 1
    let order = (0..<k).sorted { (sign * yi[$0], $0) < (sign * yi[$1], $1) }  // stable
    let ys = order.map { sign * yi[$0] }
    let vs = order.map { vi[$0] }
    let kd = Double(k)
    var k0 = 0, k0Saved = -1
    var iterations = 0
    var beta = 0.0
    var seK0 = 0.0
    var centred = [Double](repeating: 0, count: k)
    while k0 != k0Saved {
      k0Saved = k0
      iterations += 1
      if iterations > maxIterations { throw .fitFailed(reason: "trim-and-fill did not converge in \(maxIterations) iterations") }
      let m = k - k0
      beta = ys.withUnsafeBufferPointer { y in
        vs.withUnsafeBufferPointer { v in
          let yb = UnsafeBufferPointer(rebasing: y[0..<m]), vb = UnsafeBufferPointer(rebasing: v[0..<m])
          let t2 = m > 1 ? TauSquaredEstimator.estimate(y: yb, v: vb, method: method, control: control).tau2 : 0
          return WeightedMoments(y: yb, v: vb, tau2: method == .EE ? 0 : t2).mean
        }
      }
      for i in 0..<k { centred[i] = ys[i] - beta }
      // ranks of |centred| with ties.method = "first"
      let byAbs = (0..<k).sorted { (abs(centred[$0]), $0) < (abs(centred[$1]), $1) }
      var rank = [Int](repeating: 0, count: k)
      for (r, i) in byAbs.enumerated() { rank[i] = r + 1 }
      var sr = 0.0
      var maxNegative = 0
      var anyNegative = false
      for i in 0..<k {
        if centred[i] > 0 { sr += Double(rank[i]) }
        if centred[i] < 0 { anyNegative = true; maxNegative = max(maxNegative, rank[i]) }
      }
      var k0Raw: Double
      switch estimator {
      case .R0:
        guard anyNegative else { throw .fitFailed(reason: "R0 estimator undefined: no cohort below the estimate") }
        k0Raw = kd - Double(maxNegative) - 1
        seK0 = (2 * max(0, k0Raw) + 2).squareRoot()
      case .L0:
        k0Raw = (4 * sr - kd * (kd + 1)) / (2 * kd - 1)
        seK0 = 4 * varianceSr(k: kd, k0: k0Raw).squareRoot() / (2 * kd - 1)
      case .Q0:
        k0Raw = kd - 0.5 - (2 * kd * kd - 4 * sr + 0.25).squareRoot()
        seK0 = 2 * varianceSr(k: kd, k0: k0Raw).squareRoot()
          / ((kd - 0.5) * (kd - 0.5) - k0Raw * (2 * kd - k0Raw - 1)).squareRoot()
      }
      guard k0Raw.isFinite else { throw .fitFailed(reason: "trim-and-fill: k0 is not finite") }
      k0 = max(0, Int(k0Raw.rounded(.toNearestOrEven)))
      seK0 = max(0, seK0)
      if k0 >= k { throw .fitFailed(reason: "trim-and-fill: k0 = \(k0) is not below k = \(k)") }
    }
    var filledY = [Double](), filledV = [Double]()
    let result: ModelFit
    if k0 > 0 {
      let betaOriginal = sign * beta
      for j in (k - k0)..<k {
        filledY.append(2 * betaOriginal - sign * ys[j])
        filledV.append(vs[j])
      }
      result = try RandomEffectsModel.fit(
        yi: yi + filledY, vi: vi + filledV, method: method, test: filledTest, level: filledLevel, control: control)
    } else {
      result = fit
    }
    let a = proportion(result.ciLower), b = proportion(result.ciUpper)
    return TrimAndFillResult(
      k0: k0, k0StandardError: seK0, side: chosen, sideEstimated: estimated, estimator: estimator,
      iterations: iterations, estimate: result.estimate, standardError: result.standardError,
      ciLower: result.ciLower, ciUpper: result.ciUpper, pValue: result.pValue, tau2: result.tau2.tau2,
      proportion: proportion(result.estimate), proportionCILower: min(a, b), proportionCIUpper: max(a, b),
      filledYi: filledY, filledVi: filledV, fit: result)
  }
}

/// Var(Sᵣ) of Duval & Tweedie (2000), as metafor:
/// (k(k+1)(2k+1) + 10k₀³ + 27k₀² + 17k₀ − 18kk₀² − 18kk₀ + 6k²k₀)/24.
private func varianceSr(k: Double, k0: Double) -> Double {
  (k * (k + 1) * (2 * k + 1) + 10 * k0 * k0 * k0 + 27 * k0 * k0 + 17 * k0 - 18 * k * k0 * k0 - 18 * k * k0
    + 6 * k * k * k0) / 24
}
