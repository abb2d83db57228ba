// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// The test for differences between subgroups.
public struct SubgroupTest: Sendable, Hashable {
  /// Q between subgroups.
  public var q: Double
  /// Number of subgroups − 1.
  public var degreesOfFreedom: Int
  /// P(χ²_df > Q).
  public var pValue: Double
  /// How Q was computed.
  public var method: String
}

/// One subgroup's result.
public struct SubgroupResult: Sendable, Hashable {
  /// The subgroup's level (value of the `--by` column).
  public var name: String
  /// The analysis within the subgroup (its own τ²).
  public var analysis: ProportionAnalysis
}

/// A whole-data analysis plus one analysis per subgroup.
public struct SubgroupedAnalysis: Sendable, Hashable {
  /// All cohorts together.
  public var overall: ProportionAnalysis
  /// One per level, in order of first appearance.
  public var subgroups: [SubgroupResult]
  /// The test for subgroup differences (nil with fewer than 2 subgroups).
  public var test: SubgroupTest?
  /// Warnings about the subgrouping itself.
  public var warnings: [AnalysisWarning]
}

extension ProportionMetaAnalysis {
  /// Fits the model within each subgroup (a separate τ² per subgroup, as R's meta does by
  /// default) and tests the differences.
  ///
  /// The test is Cochran's Q over the subgroup estimates on the model's scale with weights
  /// 1/SE² (meta's `Q.b.random`), df = G − 1. For simple pooling it is Pearson's χ² test of
  /// equal proportions on the G × 2 table of summed events and non-events.
  ///
  /// - Parameters:
  ///   - studies: all cohorts.
  ///   - groups: each cohort's subgroup level (same length as `studies`).
  ///   - settings: the methods.
  ///   - clusters: each cohort's cluster (trial) for separate three-level fits per subgroup
  ///     (nil: the two-level model); every subgroup then needs ≥ 3 cohorts in ≥ 2 clusters.
  ///   - clusterName: the name of the cluster level.
  public static func analyze(
    studies: [ProportionStudy], groups: [String], settings: AnalysisSettings,
    clusters: [String]? = nil, clusterName: String = "cluster"
  ) throws(MetaAnalysisError) -> SubgroupedAnalysis {
    guard groups.count == studies.count, clusters.map({ $0.count == studies.count }) ?? true else {
      throw .invalidSetting(name: "groups", value: "\(groups.count) values", expected: "one per cohort (\(studies.count))")
    }
    func fit(_ s: [ProportionStudy], _ c: [String]) throws(MetaAnalysisError) -> ProportionAnalysis {
      guard clusters != nil else { return try analyze(studies: s, settings: settings) }
      return try analyze(studies: s, clusters: c, clusterName: clusterName, settings: settings)
    }
    let overall = try fit(studies, clusters ?? [])
    var order: [String] = []
    var members: [String: [ProportionStudy]] = [:]
    var memberClusters: [String: [String]] = [:]
    for (i, (s, g)) in zip(studies, groups).enumerated() {
      if members[g] == nil { order.append(g); members[g] = []; memberClusters[g] = [] }
      members[g]!.append(s)
      if let clusters { memberClusters[g]!.append(clusters[i]) }
    }
    var results: [SubgroupResult] = []
    for g in order {
      let a: ProportionAnalysis
      do throws(MetaAnalysisError) {
        a = try fit(members[g]!, memberClusters[g]!)
      } catch let .invalidSetting(name, value, expected) where clusters != nil {
        throw .invalidSetting(name: "subgroup '\(g)': \(name)", value: value, expected: expected)
      }
      results.append(SubgroupResult(name: g, analysis: a))
    }
    var warnings: [AnalysisWarning] = []
    var test: SubgroupTest? = nil
    if results.count >= 2 {
      let df = results.count - 1
      if settings.method == .pooled {
        let x = results.map { Double($0.analysis.totalEvents) }
        let n = results.map { Double($0.analysis.totalPatients) }
        let p = x.reduce(0, +) / n.reduce(0, +)
        var chi = 0.0
        for i in x.indices {
          let e1 = n[i] * p, e0 = n[i] * (1 - p)
          if e1 > 0 { chi += (x[i] - e1) * (x[i] - e1) / e1 }
          if e0 > 0 { chi += ((n[i] - x[i]) - e0) * ((n[i] - x[i]) - e0) / e0 }
        }
        let pv = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: Double(df)).survival(chi) }
        test = SubgroupTest(q: chi, degreesOfFreedom: df, pValue: pv, method: "Pearson chi-square test of equal proportions (simple pooling)")
      } else {
        let est = results.map { $0.analysis.model.estimate }
        let v = results.map { $0.analysis.model.standardError * $0.analysis.model.standardError }
        if v.allSatisfy({ $0 > 0 && $0.isFinite }) && est.allSatisfy({ $0.isFinite }) {
          let fe = try RandomEffectsModel.fit(yi: est, vi: v, method: .EE, test: .z, level: settings.level)
          test = SubgroupTest(q: fe.q, degreesOfFreedom: df, pValue: fe.qPValue, method: "Cochran Q between subgroup estimates (weights 1/SE^2, separate tau^2 per subgroup)")
        } else {
          warnings.append(.note("subgroup test not computed: a subgroup has no finite standard error (e.g. k = 1 with Hartung-Knapp)"))
        }
      }
      if results.contains(where: { $0.analysis.k == 1 }) {
        warnings.append(.note("at least one subgroup has a single cohort: its tau^2 is 0 and its estimate is that cohort's"))
      }
    } else {
      warnings.append(.note("only one subgroup level: no test for subgroup differences"))
    }
    return SubgroupedAnalysis(overall: overall, subgroups: results, test: test, warnings: warnings)
  }
}
