// SPDX-License-Identifier: GPL-3.0-or-later

/// The three-level model refitted without one cluster (trial) at a time.
public struct ClusterDeletion: Sendable, Hashable {
  /// The cluster left out.
  public var label: String
  /// Cohorts left out (the cluster's size).
  public var cohorts: Int
  /// μ̂, SE and CI without the cluster (NaN when fewer than 3 cohorts or 2 clusters remain).
  public var estimate: Double
  public var standardError: Double
  public var ciLower: Double
  public var ciUpper: Double
  /// σ̂² (cluster, cohort) without the cluster.
  public var sigma2: [Double]
  /// σ̂² without the cluster minus σ̂² of the full fit (cluster, cohort).
  public var sigma2Change: [Double]
  /// Cook's distance (β̂ − β̂₍₋ᵢ₎)ᵀ Var(β̂)⁻¹ (β̂ − β̂₍₋ᵢ₎), Var(β̂) of the full fit
  /// (metafor `cooks.distance(rma.mv, cluster =)`).
  public var cooksDistance: Double
  /// DFBETAS of each coefficient, (β̂ⱼ − β̂ⱼ₍₋ᵢ₎)/√Var(β̂ⱼ | all cohorts, σ̂²₍₋ᵢ₎): the variance on
  /// the full data at the σ² estimated without the cluster (metafor `dfbetas(rma.mv, cluster =)`).
  public var dfbetas: [Double]
}

extension ClusterDeletion {
  /// Takes μ̂, SE, CI and σ² from a refit.
  mutating func take(_ fit: ThreeLevelFit) {
    let c0 = fit.coefficients[0]
    estimate = c0.estimate
    standardError = c0.standardError
    ciLower = c0.ciLower
    ciUpper = c0.ciUpper
    sigma2 = fit.levels.map(\.sigma2)
  }
}

/// The multilevel Egger test: the three-level model with √vᵢ as moderator
/// (metafor `rma.mv(yi, vi, mods = ~ sqrt(vi), random = ~ 1 | cluster/cohort)`).
public struct MultilevelEggerTest: Sendable, Hashable {
  /// The intercept (the estimate at vᵢ = 0) and its SE.
  public var intercept: Double
  public var interceptStandardError: Double
  /// The coefficient of √vᵢ, its SE, z (or t) statistic and two-sided p-value.
  public var slope: Double
  public var standardError: Double
  public var statistic: Double
  public var pValue: Double
}

/// Cluster-level diagnostics of the three-level model: leave-one-cluster-out with Cook's
/// distance, DFBETAS and the change in σ², cumulative by cluster, and the multilevel Egger test.
public enum ClusterInfluence {
  /// Leaves out each cluster in turn (clusters in order of first appearance) and refits.
  public static func leaveOneClusterOut(
    yi: [Double], vi: [Double], clusters: ClusterStructure, clusterName: String = "cluster", design: DesignMatrix? = nil,
    method: TauSquaredMethod = .REML, test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive
  ) throws(MetaAnalysisError) -> (full: ThreeLevelFit, deletions: [ClusterDeletion]) {
    let full = try ThreeLevelModel.fit(
      yi: yi, vi: vi, clusters: clusters, clusterName: clusterName, design: design, method: method, test: test, level: level, profileIntervals: false)
    let p = full.p
    // Var(β̂)⁻¹ of the full fit, by the workspace's Cholesky.
    let algebra = RegressionWorkspace(p: p, capacity: 1)
    for i in 0..<(p * p) { algebra.m[i] = full.covariance[i] }
    guard algebra.invertSPD(algebra.m, into: algebra.a) != nil else { throw .fitFailed(reason: "Var(β̂) is singular") }
    let beta = full.coefficients.map(\.estimate)
    let x: DesignMatrix
    if let design { x = design } else { x = try DesignMatrix(k: yi.count, moderators: []) }
    let ws: MultilevelWorkspace = yi.withUnsafeBufferPointer { y in
      vi.withUnsafeBufferPointer { v in
        x.values.withUnsafeBufferPointer { xv in MultilevelWorkspace(y: y, v: v, x: xv, p: p, structure: clusters) }
      }
    }
    var rows: [ClusterDeletion] = []
    for c in 0..<clusters.count {
      let keep = clusters.clusterOfRow.map { $0 != c }
      let (sub, kept) = clusters.subset(keeping: keep)
      var row = ClusterDeletion(
        label: clusters.labels[c], cohorts: clusters.size(of: c), estimate: .nan, standardError: .nan,
        ciLower: .nan, ciUpper: .nan, sigma2: [.nan, .nan], sigma2Change: [.nan, .nan], cooksDistance: .nan,
        dfbetas: [Double](repeating: .nan, count: p))
      if kept.count >= 3, sub.count >= 2 {
        var subDesign: DesignMatrix? = nil
        if let design {
          var values: [Double] = []
          values.reserveCapacity(kept.count * p)
          for r in kept { values += design.values[(r * p)..<((r + 1) * p)] }
          subDesign = try DesignMatrix(columnNames: design.columnNames, rows: kept.count, values: values)
        }
        if let fit = try? ThreeLevelModel.fit(
          yi: kept.map { yi[$0] }, vi: kept.map { vi[$0] }, clusters: sub, design: subDesign, method: method,
          test: test, level: level, profileIntervals: false) {
          row.take(fit)
          row.sigma2Change = [fit.levels[0].sigma2 - full.levels[0].sigma2, fit.levels[1].sigma2 - full.levels[1].sigma2]
          let d = (0..<p).map { beta[$0] - fit.coefficients[$0].estimate }
          var cook = 0.0
          for s in 0..<p { for t in 0..<p { cook += d[s] * algebra.a[s * p + t] * d[t] } }
          row.cooksDistance = cook
          ws.evaluate(sigma2Cluster: fit.levels[0].sigma2, sigma2Cohort: fit.levels[1].sigma2, reml: method == .REML, derivatives: false)
          let s2 = test == .knha ? ws.rss / Double(yi.count - p) : 1
          row.dfbetas = (0..<p).map { d[$0] / (s2 * ws.a[$0 * p + $0]).squareRoot() }
        }
      }
      rows.append(row)
    }
    return (full, rows)
  }

  /// The multilevel Egger test (√vᵢ as moderator in the three-level model).
  public static func egger(
    yi: [Double], vi: [Double], clusters: ClusterStructure, method: TauSquaredMethod = .REML,
    test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive
  ) throws(MetaAnalysisError) -> MultilevelEggerTest {
    let design = try DesignMatrix(k: yi.count, moderators: [.continuous(name: "sqrt(vi)", values: vi.map { $0.squareRoot() })])
    let fit = try ThreeLevelModel.fit(
      yi: yi, vi: vi, clusters: clusters, design: design, method: method, test: test, level: level, profileIntervals: false)
    let b0 = fit.coefficients[0], b1 = fit.coefficients[1]
    return MultilevelEggerTest(
      intercept: b0.estimate, interceptStandardError: b0.standardError, slope: b1.estimate,
      standardError: b1.standardError, statistic: b1.statistic, pValue: b1.pValue)
  }

  /// Cumulative three-level fits, adding one cluster at a time in order of first appearance
  /// (NaN rows until 3 cohorts in 2 clusters are in).
  public static func cumulative(
    yi: [Double], vi: [Double], clusters: ClusterStructure, method: TauSquaredMethod = .REML,
    test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive
  ) -> [ClusterDeletion] {
    var rows: [ClusterDeletion] = []
    for c in 0..<clusters.count {
      let (sub, kept) = clusters.subset(keeping: clusters.clusterOfRow.map { $0 <= c })
      var row = ClusterDeletion(
        label: clusters.labels[c], cohorts: kept.count, estimate: .nan, standardError: .nan, ciLower: .nan,
        ciUpper: .nan, sigma2: [.nan, .nan], sigma2Change: [.nan, .nan], cooksDistance: .nan, dfbetas: [.nan])
      if kept.count >= 3, sub.count >= 2, let fit = try? ThreeLevelModel.fit(
        yi: kept.map { yi[$0] }, vi: kept.map { vi[$0] }, clusters: sub, method: method, test: test, level: level,
        profileIntervals: false) {
        row.take(fit)
      }
      rows.append(row)
    }
    return rows
  }
}
