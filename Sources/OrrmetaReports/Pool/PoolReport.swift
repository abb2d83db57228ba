// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The JSON contract of `orrmeta pool` (documented in `Docs/output-schema.md` and
/// `Docs/pool.schema.json`). Non-finite numbers are written as `null`.
///
/// Built from a ``ProportionAnalysis`` (and, with subgroups, a ``SubgroupedAnalysis``); every
/// other command that reports a pooled result reuses these blocks.
public struct PoolReport: NullPreservingEncodable, Sendable {
  public var orrmeta_version: String
  public var input: Input?
  public var k: Int
  public var totals: Totals
  public var settings: Settings
  public var model: Model
  public var pooled: Pooled
  public var heterogeneity: Heterogeneity
  public var studies: [Study]
  public var subgroups: [Subgroup]?
  public var subgroup_test: SubgroupTestBlock?
  public var convergence: Convergence
  public var warnings: [String]
  /// The three-level model's levels, LRT and log-likelihood (`pool --cluster`; absent otherwise).
  public var multilevel: Multilevel?

  /// Where the cohorts came from.
  public struct Input: NullPreservingEncodable, Sendable {
    public var file: String
    public var events_column: String
    public var n_column: String
    public var label_column: String?
    public var by_column: String?
    /// The row filters applied (`--exclude LABEL`, `--where COL=VALUE`); empty when none.
    public var filters: [String] = []
    package init(file: String, events_column: String, n_column: String, label_column: String? = nil, by_column: String? = nil, filters: [String] = []) {
      self.file = file; self.events_column = events_column; self.n_column = n_column; self.label_column = label_column
      self.by_column = by_column; self.filters = filters
    }

    /// The line that text reports print after the file line; nil without filters.
    public var filtersLine: String? {
      filters.isEmpty ? nil : "Row filters: \(filters.joined(separator: ", "))\n"
    }
  }
  public struct Totals: NullPreservingEncodable, Sendable {
    public var events: Int
    public var n: Int
  }
  /// Every method choice, stated in full.
  public struct Settings: NullPreservingEncodable, Sendable {
    public var measure: String
    public var measure_name: String
    public var method: String
    public var method_name: String
    public var test: String
    public var level: Double
    public var ci_method: String
    public var add: Double
    public var to: String
    public var back_transformation: String
    public var pi_method: String
    public var tau2_ci_method: String?
    public var i2_definition: String
    public var nagq: Int?
    /// `--tau-common`: one τ² across subgroups (meta's `tau.common = TRUE`).
    public var tau_common = false
    /// The cluster column of a three-level model (`--cluster`), null otherwise.
    public var cluster: String?
  }
  public struct Model: NullPreservingEncodable, Sendable {
    public var estimate: Double?
    public var se: Double?
    public var statistic: Double?
    public var p_value: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var pi_lower: Double?
    public var pi_upper: Double?
    public var df: Double?
    package init(estimate: Double? = nil, se: Double? = nil, statistic: Double? = nil, p_value: Double? = nil, ci_lower: Double? = nil, ci_upper: Double? = nil, pi_lower: Double? = nil, pi_upper: Double? = nil, df: Double? = nil) {
      self.estimate = estimate; self.se = se; self.statistic = statistic; self.p_value = p_value
      self.ci_lower = ci_lower; self.ci_upper = ci_upper; self.pi_lower = pi_lower; self.pi_upper = pi_upper
      self.df = df
    }
  }
  public struct Pooled: NullPreservingEncodable, Sendable {
    public var proportion: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var pi_lower: Double?
    public var pi_upper: Double?
  }
  public struct Heterogeneity: NullPreservingEncodable, Sendable {
    public var tau2: Double?
    public var tau: Double?
    public var tau2_se: Double?
    public var tau2_ci_lower: Double?
    public var tau2_ci_upper: Double?
    public var i2: Double?
    public var i2_ci_lower: Double?
    public var i2_ci_upper: Double?
    public var h2: Double?
    public var h2_ci_lower: Double?
    public var h2_ci_upper: Double?
    public var q: Double?
    public var q_df: Int
    public var q_p_value: Double?
    public var q_wald: Double?
    public var q_wald_p_value: Double?
    public var q_lrt: Double?
    public var q_lrt_p_value: Double?
  }
  public struct Study: NullPreservingEncodable, Sendable {
    public var label: String
    public var events: Int
    public var n: Int
    public var yi: Double?
    public var vi: Double?
    public var corrected: Bool
    public var proportion: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    /// The weight in percent in the model of the block it appears in: the overall model in
    /// `studies`, the subgroup's own model in `subgroups[].studies`.
    public var weight: Double?
    /// The cohort's subgroup level (with `--by`; null without).
    public var subgroup: String?
  }
  public struct Subgroup: NullPreservingEncodable, Sendable {
    public var name: String
    public var k: Int
    public var totals: Totals
    public var model: Model
    public var pooled: Pooled
    public var heterogeneity: Heterogeneity
    public var studies: [Study]
    public var convergence: Convergence
    public var warnings: [String]
    /// The subgroup's three-level fit (`--by` with `--cluster`).
    public var multilevel: Multilevel?
  }
  public struct SubgroupTestBlock: NullPreservingEncodable, Sendable {
    public var q: Double?
    public var df: Int
    public var p_value: Double?
    public var method: String
    /// With `--tau-common`: the τ² shared by the subgroups (metafor `rma(mods = ~ factor(by))`);
    /// null when each subgroup has its own.
    public var tau2_common: Double? = nil
  }
  public struct Convergence: NullPreservingEncodable, Sendable {
    public var converged: Bool
    public var iterations: Int
  }

  /// Builds the report for one analysis (no subgroups).
  public init(analysis a: ProportionAnalysis, input: Input?, extraWarnings: [String] = []) {
    orrmeta_version = OrrmetaVersion.current
    self.input = input
    k = a.k
    totals = Totals(events: a.totalEvents, n: a.totalPatients)
    settings = Self.settings(a.settings, k: a.k)
    model = Self.model(a.model)
    pooled = Self.pooled(a.pooled)
    heterogeneity = Self.heterogeneity(a.heterogeneity)
    studies = a.studies.map(Self.study)
    subgroups = nil
    subgroup_test = nil
    convergence = Convergence(converged: a.converged, iterations: a.iterations)
    warnings = extraWarnings + a.warnings.map(\.description)
    if let fit = a.multilevel {
      multilevel = Multilevel(fit)
      Self.describeThreeLevel(&settings, fit)
    }
  }

  /// Builds the report for an analysis with subgroups.
  ///
  /// - Parameter groups: each cohort's subgroup level in input order (as given to the
  ///   analysis), recorded as `studies[].subgroup`.
  public init(subgrouped s: SubgroupedAnalysis, input: Input?, extraWarnings: [String] = [], groups: [String]? = nil) {
    self.init(analysis: s.overall, input: input, extraWarnings: extraWarnings)
    if let groups, groups.count == studies.count {
      for i in studies.indices { studies[i].subgroup = groups[i] }
    }
    subgroups = s.subgroups.map { g in
      let a = g.analysis
      return Subgroup(
        name: g.name, k: a.k, totals: Totals(events: a.totalEvents, n: a.totalPatients),
        model: Self.model(a.model), pooled: Self.pooled(a.pooled), heterogeneity: Self.heterogeneity(a.heterogeneity),
        studies: a.studies.map { var st = Self.study($0); st.subgroup = g.name; return st }, convergence: Convergence(converged: a.converged, iterations: a.iterations),
        warnings: a.warnings.map(\.description), multilevel: a.multilevel.map(Multilevel.init))
    }
    subgroup_test = s.test.map {
      SubgroupTestBlock(
        q: finite($0.q), df: $0.degreesOfFreedom, p_value: finite($0.pValue), method: $0.method,
        tau2_common: s.commonTau2.map(\.tau2))
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
      tau2_ci_method: re && s.method != .GLMM ? "Q-profile (Viechtbauer 2007)" : nil,
      i2_definition: i2def, nagq: s.method == .GLMM ? s.quadraturePoints : nil, tau_common: s.tauCommon, cluster: nil)
  }

  package static func model(_ m: ModelSummary) -> Model {
    Model(
      estimate: finite(m.estimate), se: finite(m.standardError), statistic: finite(m.statistic),
      p_value: finite(m.pValue), ci_lower: finite(m.ciLower), ci_upper: finite(m.ciUpper),
      pi_lower: finite(m.piLower), pi_upper: finite(m.piUpper), df: m.degreesOfFreedom.flatMap(finite))
  }

  static func pooled(_ p: PooledProportion) -> Pooled {
    Pooled(
      proportion: finite(p.proportion), ci_lower: finite(p.ciLower), ci_upper: finite(p.ciUpper),
      pi_lower: finite(p.piLower), pi_upper: finite(p.piUpper))
  }

  static func heterogeneity(_ h: HeterogeneitySummary) -> Heterogeneity {
    Heterogeneity(
      tau2: finite(h.tau2), tau: finite(h.tau), tau2_se: finite(h.tau2StandardError),
      tau2_ci_lower: finite(h.tau2CILower), tau2_ci_upper: finite(h.tau2CIUpper), i2: finite(h.i2),
      i2_ci_lower: finite(h.i2CILower), i2_ci_upper: finite(h.i2CIUpper), h2: finite(h.h2),
      h2_ci_lower: finite(h.h2CILower), h2_ci_upper: finite(h.h2CIUpper), q: finite(h.q),
      q_df: h.qDegreesOfFreedom, q_p_value: finite(h.qPValue), q_wald: h.qWald.flatMap(finite),
      q_wald_p_value: h.qWaldPValue.flatMap(finite), q_lrt: h.qLRT.flatMap(finite),
      q_lrt_p_value: h.qLRTPValue.flatMap(finite))
  }

  static func study(_ s: StudyResult) -> Study {
    Study(
      label: s.label, events: s.events, n: s.total, yi: finite(s.yi), vi: finite(s.vi),
      corrected: s.corrected, proportion: finite(s.proportion), ci_lower: finite(s.ciLower),
      ci_upper: finite(s.ciUpper), weight: finite(s.weight), subgroup: nil)
  }
}

/// A finite number, or nil (encoded as JSON `null`) for NaN and ±∞.
@inlinable
public func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
