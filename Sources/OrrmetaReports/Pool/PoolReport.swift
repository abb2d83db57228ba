// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The JSON contract of `orrmeta pool` (documented in `Docs/output-schema.md` and
/// `Docs/pool.schema.json`). Non-finite numbers are written as `null`.
///
/// Built from a ``ProportionAnalysis`` (and, with subgroups, a ``SubgroupedAnalysis``); every
/// other command that reports a pooled result reuses these blocks.
package struct PoolReport: NullPreservingEncodable, Sendable {
  package var orrmeta_version: String
  package var input: Input?
  package var k: Int
  package var totals: Totals
  package var settings: Settings
  package var model: Model
  package var pooled: Pooled
  package var heterogeneity: Heterogeneity
  package var studies: [Study]
  package var subgroups: [Subgroup]?
  package var subgroup_test: SubgroupTestBlock?
  package var convergence: Convergence
  package var warnings: [String]
  /// The common-effect model next to `model` (``CommonEffect``; for EE the model itself; null
  /// for simple pooling).
  package var common: Common?
  /// The three-level model's levels, LRT and log-likelihood (`pool --cluster`; absent otherwise).
  package var multilevel: Multilevel?
  /// Under `--profile stata` with PFT: the model on Stata metaprop's Freeman–Tukey scale (the
  /// sum of the two arcsines, variance 1/(n + 0.5): 2× `model`, τ² 4×); absent otherwise.
  package var stata_scale: StataScale?

  /// ``StataConventions/SumScale`` as written: the estimate with its CI and PI
  /// (``IntervalEstimate``) and ``StataScaleFields``.
  package typealias StataScale = WithInterval<StataScaleFields>
  /// The keys of a ``StataScale`` besides its interval: the estimate's SE and τ² on that scale.
  package struct StataScaleFields: NullPreservingEncodable, Sendable {
    package var se: Double?
    package var tau2: Double?

    init(_ t: StataConventions.SumScale) {
      se = finite(t.standardError); tau2 = finite(t.tau2)
    }
  }

  /// Where the cohorts came from: the file, label and subgroup columns and row filters
  /// (``InputSource``) with the count columns.
  package typealias Input = WithGroup<CountColumns, InputSource>
  /// The `input` block's keys besides its ``InputSource``: the columns of the counts.
  package struct CountColumns: NullPreservingEncodable, Sendable {
    package var events_column: String
    package var n_column: String
  }
  package struct Totals: NullPreservingEncodable, Sendable {
    package var events: Int
    package var n: Int

    package init(events: Int, n: Int) {
      self.events = events; self.n = n
    }
  }
  /// Every method choice, stated in full.
  package struct Settings: NullPreservingEncodable, Sendable {
    package var measure: String
    package var measure_name: String
    package var method: String
    package var method_name: String
    package var test: String
    package var level: Double
    package var ci_method: String
    package var add: Double
    package var to: String
    package var back_transformation: String
    package var pi_method: String
    package var tau2_ci_method: String?
    package var i2_definition: String
    package var nagq: Int?
    /// `--tau-common`: one τ² across subgroups (meta's `tau.common = TRUE`).
    package var tau_common = false
    /// The cluster column of a three-level model (`--cluster`), null otherwise.
    package var cluster: String?
    /// `--profile` and each default it changed from orrmeta's.
    package var profile = AnalysisProfile.orrmeta.rawValue
    package var profile_changes: [String] = []
    /// `--convergence`: the stopping rules (exact or metafor).
    package var convergence = MetaProportion.Convergence.exact.rawValue
  }
  /// The model-scale block: the estimate with its CI and PI (`model.interval`) and its test.
  package typealias Model = WithInterval<ModelTest>
  /// The model block's keys besides the interval's.
  package struct ModelTest: NullPreservingEncodable, Sendable {
    package var se: Double?
    package var statistic: Double?
    package var p_value: Double?
    package var df: Double?
  }
  /// The common-effect model: estimate and CI on the model scale and as proportions.
  package struct Common: NullPreservingEncodable, Sendable {
    package var estimate: Double?
    package var se: Double?
    package var ci_lower: Double?
    package var ci_upper: Double?
    package var proportion: Double?
    package var proportion_ci_lower: Double?
    package var proportion_ci_upper: Double?
  }
  package struct Pooled: NullPreservingEncodable, Sendable {
    package var proportion: Double?
    package var ci_lower: Double?
    package var ci_upper: Double?
    package var pi_lower: Double?
    package var pi_upper: Double?
  }
  /// The heterogeneity block: τ², I², H², Q and H with their CIs (`heterogeneity.group`, the
  /// keys `compare` writes too) and ``HeterogeneityDetail``.
  package typealias Heterogeneity = WithGroup<HeterogeneityDetail, HeterogeneityEstimates>
  /// τ², I², H², Cochran's Q and H, with CIs where computed (null where not).
  package struct HeterogeneityEstimates: NullPreservingEncodable, Sendable {
    package var tau2: Double?
    package var tau: Double?
    package var tau2_se: Double?
    package var q: Double?
    package var q_df: Int
    package var q_p_value: Double?
    package var i2: Double?
    package var h2: Double?
    package var tau2_ci_lower: Double? = nil
    package var tau2_ci_upper: Double? = nil
    package var i2_ci_lower: Double? = nil
    package var i2_ci_upper: Double? = nil
    /// H = √(Q/(k−1)) (at least 1) with its test-based CI (``TestBasedH``, R meta's `calcH`).
    package var h: Double? = nil
    package var h_ci_lower: Double? = nil
    package var h_ci_upper: Double? = nil
  }
  /// The keys `pool` writes besides ``HeterogeneityEstimates``': H²'s CI, the Wald and
  /// likelihood-ratio tests of heterogeneity, and I² from Q.
  package struct HeterogeneityDetail: NullPreservingEncodable, Sendable {
    package var h2_ci_lower: Double?
    package var h2_ci_upper: Double?
    package var q_wald: Double?
    package var q_wald_p_value: Double?
    package var q_lrt: Double?
    package var q_lrt_p_value: Double?
    /// I² (%) from Q, (H² − 1)/H², with the test-based CI from H's bounds (R meta's
    /// `method.I2 = "Q"`, ``MetaConventions/testBasedI2(q:degreesOfFreedom:level:)``).
    package var i2_q: Double? = nil
    package var i2_q_ci_lower: Double? = nil
    package var i2_q_ci_upper: Double? = nil
  }
  package struct Study: NullPreservingEncodable, Sendable {
    package var label: String
    package var events: Int
    package var n: Int
    package var yi: Double?
    package var vi: Double?
    package var corrected: Bool
    package var proportion: Double?
    package var ci_lower: Double?
    package var ci_upper: Double?
    /// The weight in percent in the model of the block it appears in: the overall model in
    /// `studies`, the subgroup's own model in `subgroups[].studies`.
    package var weight: Double?
    /// The cohort's subgroup level (with `--by`; null without).
    package var subgroup: String?
    /// The cohort's cluster (with `--cluster`; null without).
    package var cluster: String? = nil

    /// A cohort's row (no subgroup, no cluster).
    init(_ s: StudyResult) {
      label = s.label; events = s.events; n = s.total; yi = finite(s.yi); vi = finite(s.vi); corrected = s.corrected
      proportion = finite(s.proportion); ci_lower = finite(s.ciLower); ci_upper = finite(s.ciUpper); weight = finite(s.weight)
    }

    package enum CodingKeys: String, CodingKey {
      case label, events, n, yi, vi, corrected, proportion, ci_lower, ci_upper, weight, subgroup, cluster
    }
  }
  package struct Subgroup: NullPreservingEncodable, Sendable {
    package var name: String
    package var k: Int
    package var totals: Totals
    package var model: Model
    package var pooled: Pooled
    package var heterogeneity: Heterogeneity
    package var studies: [Study]
    package var convergence: Convergence
    package var warnings: [String]
    /// The subgroup's three-level fit (`--by` with `--cluster`).
    package var multilevel: Multilevel?
    /// The subgroup's common-effect model (as the top-level `common`; meta's `TE.common.w`);
    /// null for simple pooling, three-level models and a failed logistic fit.
    package var common: Common? = nil
  }
  package struct SubgroupTestBlock: NullPreservingEncodable, Sendable {
    package var q: Double?
    package var df: Int
    package var p_value: Double?
    package var method: String
    /// With `--tau-common`: the τ² shared by the subgroups (metafor `rma(mods = ~ factor(by))`);
    /// null when each subgroup has its own.
    package var tau2_common: Double? = nil
    /// Q between the subgroups' common-effect estimates and its p-value (meta's `Q.b.common`,
    /// same df); null for simple pooling and three-level models.
    package var q_common: Double? = nil
    package var p_value_common: Double? = nil
    /// Q within the subgroups (the sum of their Cochran Q, meta's `Q.w.common`), its df and
    /// p-value; null for the GLMM, simple pooling and three-level models.
    package var q_within: Double? = nil
    package var q_within_df: Int? = nil
    package var p_value_within: Double? = nil
    /// With `--tau-common`: the residual heterogeneity of the meta-regression on the subgroups
    /// as R meta reports it (`I2.resid`, `H.resid`): I² (%) and H from `q_within` on
    /// `q_within_df` with the test-based CIs (``TestBasedH``); null otherwise.
    package var i2_residual: Double? = nil
    package var i2_residual_ci_lower: Double? = nil
    package var i2_residual_ci_upper: Double? = nil
    package var h_residual: Double? = nil
    package var h_residual_ci_lower: Double? = nil
    package var h_residual_ci_upper: Double? = nil
  }
  package struct Convergence: NullPreservingEncodable, Sendable {
    package var converged: Bool
    package var iterations: Int
  }

  /// Builds the report for one analysis (no subgroups).
  package init(analysis a: ProportionAnalysis, input: Input?, extraWarnings: [String] = []) {
    orrmeta_version = OrrmetaVersion.current
    self.input = input
    k = a.k
    totals = Totals(events: a.totalEvents, n: a.totalPatients)
    settings = Self.settings(a.settings, k: a.k)
    model = Self.model(a.model)
    pooled = Self.pooled(a.pooled)
    heterogeneity = Self.heterogeneity(a.heterogeneity, settings: a.settings)
    studies = a.studies.map(Study.init)
    subgroups = nil
    subgroup_test = nil
    convergence = Convergence(converged: a.converged, iterations: a.iterations)
    warnings = extraWarnings + a.warnings.map(\.description)
    if a.settings.profile == .stata, let t = StataConventions.SumScale(model: a.model, tau2: a.heterogeneity.tau2, measure: a.settings.measure) {
      stata_scale = StataScale(
        StataScaleFields(t),
        interval: IntervalEstimate(
          estimate: finite(t.estimate), ci_lower: finite(t.ciLower), ci_upper: finite(t.ciUpper),
          pi_lower: finite(t.piLower), pi_upper: finite(t.piUpper)))
    }
    if let fit = a.multilevel {
      multilevel = Multilevel(fit, glmm: a.multilevelGLMM)
      Self.describeThreeLevel(&settings, fit, glmm: a.multilevelGLMM)
    }
  }

  /// Builds the report for an analysis with subgroups.
  ///
  /// - Parameter groups: each cohort's subgroup level in input order (as given to the
  ///   analysis), recorded as `studies[].subgroup`.
  package init(subgrouped s: SubgroupedAnalysis, input: Input?, extraWarnings: [String] = [], groups: [String]? = nil) {
    self.init(analysis: s.overall, input: input, extraWarnings: extraWarnings)
    if let groups, groups.count == studies.count {
      for i in studies.indices { studies[i].subgroup = groups[i] }
    }
    subgroups = s.subgroups.map { g in
      let a = g.analysis
      return Subgroup(
        name: g.name, k: a.k, totals: Totals(events: a.totalEvents, n: a.totalPatients),
        model: Self.model(a.model), pooled: Self.pooled(a.pooled), heterogeneity: Self.heterogeneity(a.heterogeneity, settings: a.settings),
        studies: a.studies.map { var st = Study($0); st.subgroup = g.name; return st }, convergence: Convergence(converged: a.converged, iterations: a.iterations),
        warnings: a.warnings.map(\.description), multilevel: a.multilevel.map { Multilevel($0, glmm: a.multilevelGLMM) },
        common: g.common.map { Self.common(Self.model($0.summary), Self.pooled($0.pooled)) }
          ?? (a.settings.method == .EE && a.multilevel == nil ? Self.common(Self.model(a.model), Self.pooled(a.pooled)) : nil))
    }
    subgroup_test = s.test.map {
      var t = SubgroupTestBlock(
        q: finite($0.q), df: $0.degreesOfFreedom, p_value: finite($0.pValue), method: $0.method,
        tau2_common: s.commonTau2.map(\.tau2), q_common: finite($0.commonQ), p_value_common: finite($0.commonPValue),
        q_within: finite($0.withinQ), q_within_df: $0.withinQ.isFinite ? $0.withinDegreesOfFreedom : nil,
        p_value_within: finite($0.withinPValue))
      if s.commonTau2 != nil, $0.withinQ.isFinite, $0.withinDegreesOfFreedom >= 1 {
        let level = s.overall.settings.level
        let h = TestBasedH(q: $0.withinQ, degreesOfFreedom: $0.withinDegreesOfFreedom, level: level)
        let i2 = MetaConventions.testBasedI2(q: $0.withinQ, degreesOfFreedom: $0.withinDegreesOfFreedom, level: level)
        t.h_residual = finite(h.h)
        t.h_residual_ci_lower = finite(h.lower)
        t.h_residual_ci_upper = finite(h.upper)
        t.i2_residual = finite(100 * i2.i2)
        t.i2_residual_ci_lower = finite(100 * i2.lower)
        t.i2_residual_ci_upper = finite(100 * i2.upper)
      }
      return t
    }
    warnings += s.warnings.map(\.description)
    if s.subgroups.contains(where: { !$0.analysis.converged }) { convergence.converged = false }
  }

  package static func settings(_ s: AnalysisSettings, k: Int) -> Settings {
    let re = s.method.isRandomEffects
    let i2def: String
    switch s.method {
    case .EE, .pooled: i2def = "max(0, 100 (Q - df) / Q) (Higgins & Thompson)"
    default: i2def = "100 tau^2 / (tau^2 + vt), vt = (k-1) / (sum w - sum w^2 / sum w), w = 1/vi (metafor)"
    }
    return Settings(
      measure: s.measure.rawValue, measure_name: s.measure.name, method: s.method.rawValue,
      method_name: s.method.name, test: s.method == .pooled ? "none" : s.test.rawValue,
      level: s.level.percent, ci_method: s.studyInterval.rawValue, add: s.effectiveAdd, to: s.to.rawValue,
      back_transformation: s.method == .pooled ? "none (pooled on the proportion scale)" : s.backTransformation.rawValue,
      pi_method: s.predictionIntervalMethod,
      tau2_ci_method: re && s.method != .GLMM
        ? (MetaConventions.usesJacksonInterval(s) ? "generalised Q with weights 1/se (Jackson 2013)" : "Q-profile (Viechtbauer 2007)") : nil,
      i2_definition: MetaConventions.i2Definition(s) ?? i2def, nagq: s.method == .GLMM ? s.quadraturePoints : nil, tau_common: s.tauCommon, cluster: nil,
      profile: s.profile.rawValue, profile_changes: s.profileChanges, convergence: s.convergence?.rawValue ?? "custom")
  }

  package static func model(_ m: ModelSummary) -> Model {
    Model(
      ModelTest(
        se: finite(m.standardError), statistic: finite(m.statistic), p_value: finite(m.pValue),
        df: m.degreesOfFreedom.flatMap(finite)),
      interval: IntervalEstimate(
        estimate: finite(m.estimate), ci_lower: finite(m.ciLower), ci_upper: finite(m.ciUpper),
        pi_lower: finite(m.piLower), pi_upper: finite(m.piUpper)))
  }

  package static func pooled(_ p: PooledProportion) -> Pooled {
    Pooled(
      proportion: finite(p.proportion), ci_lower: finite(p.ciLower), ci_upper: finite(p.ciUpper),
      pi_lower: finite(p.piLower), pi_upper: finite(p.piUpper))
  }

  static func heterogeneity(_ h: HeterogeneitySummary, settings: AnalysisSettings) -> Heterogeneity {
    let level = settings.level
    let q = MetaConventions.testBasedQ(h, settings: settings)
    let testBased = TestBasedH(q: q, degreesOfFreedom: h.qDegreesOfFreedom, level: level)
    let i2q = MetaConventions.testBasedI2(q: q, degreesOfFreedom: h.qDegreesOfFreedom, level: level)
    return Heterogeneity(
      HeterogeneityDetail(
        h2_ci_lower: finite(h.h2CILower), h2_ci_upper: finite(h.h2CIUpper), q_wald: h.qWald.flatMap(finite),
        q_wald_p_value: h.qWaldPValue.flatMap(finite), q_lrt: h.qLRT.flatMap(finite),
        q_lrt_p_value: h.qLRTPValue.flatMap(finite), i2_q: finite(100 * i2q.i2), i2_q_ci_lower: finite(100 * i2q.lower),
        i2_q_ci_upper: finite(100 * i2q.upper)),
      group: HeterogeneityEstimates(
        tau2: finite(h.tau2), tau: finite(h.tau), tau2_se: finite(h.tau2StandardError), q: finite(h.q),
        q_df: h.qDegreesOfFreedom, q_p_value: finite(h.qPValue), i2: finite(h.i2), h2: finite(h.h2),
        tau2_ci_lower: finite(h.tau2CILower), tau2_ci_upper: finite(h.tau2CIUpper), i2_ci_lower: finite(h.i2CILower),
        i2_ci_upper: finite(h.i2CIUpper), h: finite(testBased.h), h_ci_lower: finite(testBased.lower),
        h_ci_upper: finite(testBased.upper)))
  }

  package static func common(_ m: Model, _ p: Pooled) -> Common {
    Common(
      estimate: m.estimate, se: m.se, ci_lower: m.ci_lower, ci_upper: m.ci_upper, proportion: p.proportion,
      proportion_ci_lower: p.ci_lower, proportion_ci_upper: p.ci_upper)
  }
}

/// A finite number, or nil (encoded as JSON `null`) for NaN and ±∞.
@inlinable
package func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

extension PoolReport.Input {
  package init(file: String, events_column: String, n_column: String, label_column: String? = nil, by_column: String? = nil, filters: [String] = []) {
    self.init(
      PoolReport.CountColumns(events_column: events_column, n_column: n_column),
      group: InputSource(file: file, label_column: label_column, by_column: by_column, filters: filters))
  }
}

extension PoolReport.Pooled {
  /// Every key null: the block of a fit that failed.
  package static var failed: Self { Self() }
}

/// The per-cohort rows, the bulk of a pool result (a batch writes one per input file), written
/// into the JSON tree directly (``JSONMembersEncodable``): the members of the synthesised
/// `encode(to:)`, which `JSONOutputTests` compares with this byte for byte.
extension PoolReport.Study: JSONMembersEncodable {
  package func encodeMembers(into o: inout JSONObjectMembers<CodingKeys>) throws {
    // In the keys' byte order, the order they are written in (the writer's sort then only
    // confirms it).
    try o.encodeIfPresent(ci_lower, forKey: .ci_lower)
    try o.encodeIfPresent(ci_upper, forKey: .ci_upper)
    o.encodeIfPresent(cluster, forKey: .cluster)
    o.encode(corrected, forKey: .corrected)
    o.encode(events, forKey: .events)
    o.encode(label, forKey: .label)
    o.encode(n, forKey: .n)
    try o.encodeIfPresent(proportion, forKey: .proportion)
    o.encodeIfPresent(subgroup, forKey: .subgroup)
    try o.encodeIfPresent(vi, forKey: .vi)
    try o.encodeIfPresent(weight, forKey: .weight)
    try o.encodeIfPresent(yi, forKey: .yi)
  }
}
