// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The JSON contract of `orrmeta compare` (`Docs/compare.schema.json`, `Docs/compare.md`).
/// Non-finite numbers are written as `null`. `model` is on the model scale (log OR / log RR /
/// RD); `pooled` is on the reported scale (OR / RR by exp, RD unchanged).
public struct CompareReport: NullPreservingEncodable, Sendable {
  public var orrmeta_version: String
  public var input: Input
  public var settings: Settings
  public var k: Int
  public var model: Model
  public var pooled: Pooled
  public var heterogeneity: Heterogeneity
  public var tests: Tests
  public var trials: [Trial]
  public var subgroups: [Subgroup]?
  /// `--leave-one-out`: the model without each trial (metafor `leave1out`), else null.
  public var leave_one_out: [SensitivityRow]?
  /// `--cumulative`: the model on the first 1, 2, … trials in file order (metafor `cumul`), else null.
  public var cumulative: [SensitivityRow]?
  /// `--bias` (inverse-variance methods): Egger's and Peters' regression tests, else null.
  public var bias: Bias?
  public var warnings: [String]
  package init(orrmeta_version: String, input: Input, settings: Settings, k: Int, model: Model, pooled: Pooled, heterogeneity: Heterogeneity, tests: Tests, trials: [Trial], subgroups: [Subgroup]? = nil, leave_one_out: [SensitivityRow]? = nil, cumulative: [SensitivityRow]? = nil, bias: Bias? = nil, warnings: [String]) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.settings = settings; self.k = k
    self.model = model; self.pooled = pooled; self.heterogeneity = heterogeneity; self.tests = tests
    self.trials = trials; self.subgroups = subgroups; self.leave_one_out = leave_one_out; self.cumulative = cumulative
    self.bias = bias; self.warnings = warnings
  }

  /// Small-study tests on the model scale (metafor `regtest`).
  public struct Bias: NullPreservingEncodable, Sendable {
    public var egger: RegressionTest
    public var peters: RegressionTest
    package init(egger: RegressionTest, peters: RegressionTest) {
      self.egger = egger; self.peters = peters
    }
  }
  public struct RegressionTest: NullPreservingEncodable, Sendable {
    public var predictor: String
    public var statistic: Double?
    public var p_value: Double?
    public var df: Double?
    public var slope: Double?
    public var slope_se: Double?
    public var limit_estimate: Double?
    public var limit_ci_lower: Double?
    public var limit_ci_upper: Double?

    package init(_ r: RegressionTestResult) {
      predictor = r.predictor
      statistic = finite(r.statistic); p_value = finite(r.pValue); df = r.degreesOfFreedom
      slope = finite(r.slope); slope_se = finite(r.slopeStandardError)
      limit_estimate = finite(r.limitEstimate); limit_ci_lower = finite(r.limitCILower); limit_ci_upper = finite(r.limitCIUpper)
    }
  }

  /// One refit of a leave-one-out or cumulative analysis: model scale and reported scale.
  public struct SensitivityRow: NullPreservingEncodable, Sendable {
    public var label: String
    public var estimate: Double?
    public var se: Double?
    public var statistic: Double?
    public var p_value: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var effect: Double?
    public var effect_ci_lower: Double?
    public var effect_ci_upper: Double?
    public var tau2: Double?
    public var q: Double?
    public var q_p_value: Double?
    public var i2: Double?
    public var h2: Double?

    package init(_ r: LeaveOneOutRow) {
      label = r.label
      estimate = finite(r.estimate); se = finite(r.standardError); statistic = finite(r.statistic); p_value = finite(r.pValue)
      ci_lower = finite(r.ciLower); ci_upper = finite(r.ciUpper)
      effect = finite(r.proportion); effect_ci_lower = finite(r.proportionCILower); effect_ci_upper = finite(r.proportionCIUpper)
      tau2 = finite(r.tau2); q = finite(r.q); q_p_value = finite(r.qPValue); i2 = finite(r.i2); h2 = finite(r.h2)
    }
  }

  public struct Input: NullPreservingEncodable, Sendable {
    public var file: String
    public var layout: String
    public var columns: [String: String]
    public var by_column: String?
    package init(file: String, layout: String, columns: [String: String], by_column: String? = nil) {
      self.file = file; self.layout = layout; self.columns = columns; self.by_column = by_column
    }
  }
  /// Every method choice, stated in full.
  public struct Settings: NullPreservingEncodable, Sendable {
    public var measure: String
    public var measure_name: String
    public var model_scale: String
    public var method: String
    public var method_name: String
    public var tau2_method: String?
    public var test: String
    public var level: Double
    public var add: Double
    public var to: String
    public var drop00: Bool
    public var mh_pooled_counts: String?
    public var cmh_continuity_correction: Bool?
    public var back_transformation: String
    public var ci_method: String
    public var pi_method: String
    public var trial_ci_method: String
    public var i2_definition: String
  }
  /// The model-scale block, the same contract as `pool`'s.
  public typealias Model = PoolReport.Model
  public struct Pooled: NullPreservingEncodable, Sendable {
    public var scale: String
    public var estimate: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var pi_lower: Double?
    public var pi_upper: Double?
  }
  public struct Heterogeneity: NullPreservingEncodable, Sendable {
    public var tau2: Double?
    public var tau: Double?
    public var tau2_se: Double?
    public var q: Double?
    public var q_df: Int
    public var q_p_value: Double?
    public var i2: Double?
    public var h2: Double?
  }
  public struct ChiSquareTest: NullPreservingEncodable, Sendable {
    public var statistic: Double?
    public var df: Int
    public var p_value: Double?
  }
  /// MH odds ratio only: CMH (Cochran and Mantel–Haenszel variants), Breslow–Day, Tarone.
  public struct Tests: NullPreservingEncodable, Sendable {
    public var cochran: ChiSquareTest?
    public var cmh: ChiSquareTest?
    public var breslow_day: ChiSquareTest?
    public var tarone: ChiSquareTest?
  }
  public struct Trial: NullPreservingEncodable, Sendable {
    public var label: String
    public var line: Int?
    public var events_treat: Int
    public var n_treat: Int
    public var events_ctrl: Int
    public var n_ctrl: Int
    public var yi: Double?
    public var vi: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var effect: Double?
    public var effect_ci_lower: Double?
    public var effect_ci_upper: Double?
    public var weight: Double?
    public var corrected: Bool
    public var included: Bool
  }
  public struct Subgroup: NullPreservingEncodable, Sendable {
    public var name: String
    public var k: Int
    public var model: Model
    public var pooled: Pooled
    public var heterogeneity: Heterogeneity
    public var tests: Tests
    public var trials: [Trial]
    public var warnings: [String]
    package init(name: String, k: Int, model: Model, pooled: Pooled, heterogeneity: Heterogeneity, tests: Tests, trials: [Trial], warnings: [String]) {
      self.name = name; self.k = k; self.model = model; self.pooled = pooled; self.heterogeneity = heterogeneity
      self.tests = tests; self.trials = trials; self.warnings = warnings
    }
  }

  /// The blocks of one analysis (overall or a subgroup).
  package struct Blocks {
    package var model: Model
    package var pooled: Pooled
    package var heterogeneity: Heterogeneity
    package var tests: Tests
    package var trials: [Trial]
  }

  package static func blocks(_ a: ComparisonAnalysis, lines: [Int]?) -> Blocks {
    let p = a.pooled
    let ratio = a.settings.measure.isRatio
    let back: (Double) -> Double? = { ratio ? finite(Double.exp($0)) : finite($0) }
    let model = Model(
      estimate: finite(p.estimate), se: finite(p.standardError), statistic: finite(p.statistic), p_value: finite(p.pValue),
      ci_lower: finite(p.ciLower), ci_upper: finite(p.ciUpper), pi_lower: finite(p.piLower), pi_upper: finite(p.piUpper),
      df: p.degreesOfFreedom)
    let pooled = Pooled(
      scale: ratio ? a.settings.measure.name : "risk difference", estimate: back(p.estimate), ci_lower: back(p.ciLower),
      ci_upper: back(p.ciUpper), pi_lower: back(p.piLower), pi_upper: back(p.piUpper))
    let het = Heterogeneity(
      tau2: finite(p.tau2), tau: finite(p.tau2.squareRoot()), tau2_se: finite(p.tau2StandardError), q: finite(p.q),
      q_df: p.qDegreesOfFreedom, q_p_value: finite(p.qPValue), i2: finite(p.i2), h2: finite(p.h2))
    var tests = Tests()
    if case let .mantelHaenszel(f) = a.fit {
      if let c = f.cmh {
        tests.cochran = ChiSquareTest(statistic: finite(c.cochran), df: 1, p_value: finite(c.cochranPValue))
        tests.cmh = ChiSquareTest(statistic: finite(c.mantelHaenszel), df: 1, p_value: finite(c.mantelHaenszelPValue))
      }
      if let t = f.tarone {
        tests.breslow_day = ChiSquareTest(statistic: finite(t.breslowDay), df: t.tables - 1, p_value: finite(t.breslowDayPValue))
        tests.tarone = ChiSquareTest(statistic: finite(t.tarone), df: t.tables - 1, p_value: finite(t.taronePValue))
      }
    }
    let trials = a.trials.enumerated().map { i, t in
      Trial(
        label: t.study.label, line: lines?[i], events_treat: t.study.eventsTreat, n_treat: t.study.totalTreat,
        events_ctrl: t.study.eventsControl, n_ctrl: t.study.totalControl, yi: finite(t.yi), vi: finite(t.vi),
        ci_lower: finite(t.ciLower), ci_upper: finite(t.ciUpper),
        effect: ratio ? back(t.yi) : finite(t.yi), effect_ci_lower: back(t.ciLower), effect_ci_upper: back(t.ciUpper),
        weight: finite(t.weightPercent), corrected: t.corrected, included: t.available)
    }
    return Blocks(model: model, pooled: pooled, heterogeneity: het, tests: tests, trials: trials)
  }

  package static func settings(_ s: ComparisonSettings) -> Settings {
    let m = s.method
    let iv = m.tauSquaredMethod != nil
    let trialMeasure = m.trialMeasure(for: s.measure)
    let scale: String
    switch s.measure {
    case .OR, .PETO: scale = "log odds ratio"
    case .RR: scale = "log risk ratio"
    case .RD: scale = "risk difference"
    }
    return Settings(
      measure: s.measure.rawValue, measure_name: s.measure.name, model_scale: scale, method: m.rawValue,
      method_name: m.name, tau2_method: m.tauSquaredMethod?.rawValue, test: iv ? s.test.rawValue : "z",
      level: s.level.percent, add: s.add, to: s.to.rawValue, drop00: s.effectiveDrop00,
      mh_pooled_counts: iv ? nil : "uncorrected counts of every trial (metafor: add[2] = 0, to[2] = none, drop00[2] = FALSE); add/to/drop00 apply to the per-trial outcomes and Q",
      cmh_continuity_correction: m == .MH && s.measure == .OR ? s.correct : nil,
      back_transformation: s.measure.isRatio ? "exp" : "none",
      ci_method: iv ? (s.test == .z ? "Wald z" : (s.test == .t ? "t with k-1 df" : "Hartung-Knapp (\(s.test.rawValue)), t with k-1 df")) : "Wald z (\(m.name) variance\(m == .MH ? s.measure == .OR ? ": Robins-Breslow-Greenland" : s.measure == .RR ? ": Greenland-Robins" : ": Sato-Greenland-Robins" : ""))",
      pi_method: iv && m != .EE ? "metafor predict: estimate +- crit * sqrt(se^2 + tau2)" : "none (common effect; equal to the CI)",
      trial_ci_method: "Wald z on \(trialMeasure == .PETO ? "Peto log odds ratio" : scale), yi +- z * sqrt(vi)",
      i2_definition: iv && m != .EE ? "100 * tau2 / (tau2 + typical within-trial variance)" : "100 * (Q - df) / Q, truncated at 0")
  }
}
