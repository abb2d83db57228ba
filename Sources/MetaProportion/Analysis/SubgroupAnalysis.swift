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
  /// Q between the subgroups' common-effect estimates (meta's `Q.b.common`: Cochran's Q over
  /// the subgroups' ``CommonEffect`` estimates with weights 1/SE², df = G − 1) and its p-value;
  /// NaN for simple pooling (whose test is on the counts) or when a subgroup has none.
  public var commonQ: Double = .nan
  public var commonPValue: Double = .nan
  /// Q within the subgroups (meta's `Q.w.common`): the sum of the subgroups' Cochran Q, df =
  /// Σ(k_g − 1), and its p-value; NaN (df 0) for the GLMM (whose Q is not Cochran's; meta
  /// prints none), simple pooling and three-level models.
  public var withinQ: Double = .nan
  public var withinDegreesOfFreedom = 0
  public var withinPValue: Double = .nan
}

/// One subgroup's result.
public struct SubgroupResult: Sendable, Hashable {
  /// The subgroup's level (value of the `--by` column).
  public var name: String
  /// The analysis within the subgroup (its own τ²).
  public var analysis: ProportionAnalysis
  /// The subgroup's common-effect model (meta's `TE.common.w`; ``CommonEffect``), fitted once
  /// for the common-effect table and `Q.b.common`; nil for EE (the model itself is common),
  /// simple pooling, three-level models and a subgroup whose common-effect fit fails.
  public var common: CommonEffect? = nil
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
  /// With `tauCommon`: the τ² shared by every subgroup (metafor `rma(mods = ~ factor(g))`),
  /// with its standard error, iterations and convergence; nil when each subgroup has its own.
  public var commonTau2: TauSquaredEstimate? = nil
}

extension ProportionMetaAnalysis {
  /// Fits the model within each subgroup (a separate τ² per subgroup, as R's meta does by
  /// default, or one common τ² with ``AnalysisSettings/tauCommon``) and tests the differences.
  ///
  /// The test is Cochran's Q over the subgroup estimates on the model's scale with weights
  /// 1/SE² (meta's `Q.b.random`), df = G − 1. For simple pooling it is Pearson's χ² test of
  /// equal proportions on the G × 2 table of summed events and non-events.
  ///
  /// With ``AnalysisSettings/tauCommon`` (meta's `tau.common = TRUE`), τ² is estimated once, by the chosen
  /// estimator, from the mixed-effects model with the subgroup as a factor,
  /// yᵢ = β_g(i) + uᵢ + εᵢ (metafor `rma(yi, vi, mods = ~ factor(g))`); every subgroup's
  /// random-effects estimate uses weights 1/(vᵢ + τ²), and Q between subgroups uses those
  /// estimates and their SEs. The overall result keeps its own τ², as in meta.
  ///
  /// - Parameters:
  ///   - studies: all cohorts.
  ///   - groups: each cohort's subgroup level (same length as `studies`).
  ///   - settings: the methods (``AnalysisSettings/tauCommon``: inverse-variance methods and the
  ///     two-level model only).
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
    if settings.tauCommon, clusters != nil {
      throw .invalidSetting(name: "tauCommon", value: "true", expected: "the two-level model (not with clusters)")
    }
    let common = settings.tauCommon ? try commonTauSquared(studies: studies, groups: groups, levels: order, settings: settings) : nil
    var results: [SubgroupResult] = []
    var commonFailures: [String] = []
    for g in order {
      let a: ProportionAnalysis
      do throws(MetaAnalysisError) {
        a = clusters == nil
          ? try analyze(studies: members[g]!, settings: settings, presetTau2: common)
          : try fit(members[g]!, memberClusters[g]!)
      } catch {
        // A fit that fails within one subgroup names it (the whole data set fitted).
        switch error {
        case let .invalidSetting(name, value, expected) where clusters != nil:
          throw .invalidSetting(name: "subgroup '\(g)': \(name)", value: value, expected: expected)
        case let .fitFailed(reason): throw .fitFailed(reason: "subgroup '\(g)': \(reason)")
        case let .glmmFailed(failure): throw .fitFailed(reason: "subgroup '\(g)': \(failure.description)")
        default: throw error
        }
      }
      // The logistic common-effect model of a subgroup with no responder may fail: it then
      // has none (and q_common is null), with a warning; it never fails the analysis.
      var c: CommonEffect? = nil
      if clusters == nil {
        do { c = try CommonEffect.fit(studies: members[g]!, settings: settings) } catch {
          commonFailures.append("\(g) (\(error.description))")
        }
      }
      results.append(SubgroupResult(name: g, analysis: a, common: c))
    }
    var warnings: [AnalysisWarning] = []
    if !commonFailures.isEmpty {
      warnings.append(.note("no common-effect model for subgroup(s) \(commonFailures.joined(separator: ", ")): their common block and q_common are null"))
    }
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
          let tau = common == nil ? "separate tau^2 per subgroup" : "common tau^2 across subgroups, as meta's tau.common = TRUE"
          test = SubgroupTest(q: fe.q, degreesOfFreedom: df, pValue: fe.qPValue, method: "Cochran Q between subgroup estimates (weights 1/SE^2, \(tau))")
          // A subgroup without a finite common-effect model (e.g. the logistic model of a
          // subgroup with no responder) leaves q_common null; it never fails the analysis.
          if clusters == nil, let q = try? commonEffectQ(results, settings: settings) {
            test?.commonQ = q.q
            test?.commonPValue = q.p
          }
          if clusters == nil, settings.method != .GLMM, let w = try? withinQ(results) {
            test?.withinQ = w.q
            test?.withinDegreesOfFreedom = w.df
            test?.withinPValue = w.p
          }
        } else {
          warnings.append(.note("subgroup test not computed: a subgroup has no finite standard error (e.g. k = 1 with Hartung-Knapp)"))
        }
      }
      if common == nil, results.contains(where: { $0.analysis.k == 1 }) {
        warnings.append(.note("at least one subgroup has a single cohort: its tau^2 is 0 and its estimate is that cohort's"))
      }
    } else {
      warnings.append(.note("only one subgroup level: no test for subgroup differences"))
    }
    if let common, !common.converged { warnings.append(.notConverged(method: settings.method.tauSquaredMethod ?? .REML, iterations: common.iterations)) }
    return SubgroupedAnalysis(overall: overall, subgroups: results, test: test, warnings: warnings, commonTau2: common)
  }

  /// Q between the subgroups' common-effect estimates (meta's `Q.b.common`, meta 8.2-1
  /// R/subgroup.R: `metagen(TE.common.w, seTE.common.w)$Q`): each subgroup's ``CommonEffect``
  /// (for EE the model itself), Cochran's Q over them, df = G − 1. Nil when a subgroup's
  /// estimate or SE is not finite.
  static func commonEffectQ(_ results: [SubgroupResult], settings: AnalysisSettings) throws(MetaAnalysisError) -> (q: Double, p: Double)? {
    var est: [Double] = [], v: [Double] = []
    for r in results {
      let s: ModelSummary
      if let c = r.common {
        s = c.summary
      } else if settings.method == .EE {
        s = r.analysis.model
      } else {
        return nil
      }
      guard s.estimate.isFinite, s.standardError.isFinite, s.standardError > 0 else { return nil }
      est.append(s.estimate)
      v.append(s.standardError * s.standardError)
    }
    let fe = try RandomEffectsModel.fit(yi: est, vi: v, method: .EE, test: .z, level: settings.level)
    return (fe.q, fe.qPValue)
  }

  /// Q within the subgroups (meta 8.2-1 R/subgroup.R `Q.w.common`, the sum of the subgroups'
  /// Q): Σ Q_g on Σ(k_g − 1) degrees of freedom; nil when a subgroup's Q is not finite.
  static func withinQ(_ results: [SubgroupResult]) throws(MetaAnalysisError) -> (q: Double, df: Int, p: Double)? {
    let q = results.reduce(0.0) { $0 + $1.analysis.heterogeneity.q }
    let df = results.reduce(0) { $0 + $1.analysis.heterogeneity.qDegreesOfFreedom }
    guard q.isFinite, df > 0 else { return nil }
    let p = try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: Double(df)).survival(q) }
    return (q, df, p)
  }

  /// The τ² common to the subgroups: the residual τ² of the meta-regression on the subgroup
  /// factor (metafor `rma(yi, vi, mods = ~ factor(g), method =)`), same measure, estimator and
  /// control as the analysis.
  static func commonTauSquared(
    studies: [ProportionStudy], groups: [String], levels: [String], settings: AnalysisSettings
  ) throws(MetaAnalysisError) -> TauSquaredEstimate {
    guard let method = settings.method.tauSquaredMethod else {
      throw .invalidSetting(
        name: "tau-common", value: settings.method.rawValue,
        expected: "an inverse-variance method (EE, DL, HE, HS, SJ, ML, REML, EB or PM): the common tau^2 is that of the meta-regression on the subgroups")
    }
    let es = try EffectSizes(studies: studies, settings: settings)
    if levels.count < 2 {
      return try RandomEffectsModel.fit(yi: es.yi, vi: es.vi, method: method, level: settings.level, control: settings.control).tau2
    }
    let design = try DesignMatrix(k: studies.count, moderators: [.categorical(name: "subgroup", values: groups, levels: levels)])
    let fit = try MetaRegression.fit(
      yi: es.yi, vi: es.vi, design: design, method: method, test: .z, level: settings.level,
      control: settings.control, computeR2: false)
    return fit.tau2
  }
}
