// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The JSON contract of `orrmeta compare` (`Docs/compare.schema.json`, `Docs/compare.md`).
/// Non-finite numbers are written as `null`. `model` is on the model scale (log OR / log RR /
/// RD); `pooled` is on the reported scale (OR / RR by exp, RD unchanged).
package struct CompareReport: NullPreservingEncodable, Sendable {
  package var orrmeta_version: String
  package var input: Input
  package var settings: Settings
  package var k: Int
  package var model: Model
  package var pooled: Pooled
  /// `--profile meta`: the common-effect model next to the random-effects one (`model`,
  /// `pooled`), as metabin prints both; null otherwise.
  package var common: Common?
  package var heterogeneity: Heterogeneity
  package var tests: Tests
  package var trials: [Trial]
  package var subgroups: [Subgroup]?
  /// `--leave-one-out`: the model without each trial (metafor `leave1out`), else null.
  package var leave_one_out: [SensitivityRow]?
  /// `--cumulative`: the model on the first 1, 2, … trials in file order (metafor `cumul`), else null.
  package var cumulative: [SensitivityRow]?
  /// `--bias` (inverse-variance methods): Egger's and Peters' regression tests, else null.
  package var bias: Bias?
  /// `--influence` (inverse-variance methods): metafor `influence()`, one row per trial with an
  /// outcome, else null.
  package var influence: [InfluenceRow]?
  /// `--trimfill` (inverse-variance methods): metafor `trimfill()`, else null.
  package var trimfill: TrimAndFillResult?
  /// `--gosh` (inverse-variance methods): metafor `gosh()` summary, else null.
  package var gosh: SensitivityReport.Gosh?
  package var warnings: [String]

  /// Small-study tests on the model scale (metafor `regtest`).
  package struct Bias: NullPreservingEncodable, Sendable {
    package var egger: RegressionTest
    package var peters: RegressionTest
    /// Harbord's test (odds ratios): Egger's regression on the Peto score outcomes, metafor
    /// `regtest(rma(measure = "PETO", ...), predictor = "sei")`; null for RR and RD.
    package var harbord: RegressionTest?

    /// The block of ``ComparisonAnalysis/smallStudyTests()`` and, for odds ratios,
    /// ``ComparisonAnalysis/harbordTest()``.
    package init(_ tests: (egger: RegressionTestResult, peters: RegressionTestResult), harbord: RegressionTestResult? = nil) {
      egger = RegressionTest(tests.egger); peters = RegressionTest(tests.peters); self.harbord = harbord.map(RegressionTest.init)
    }
  }
  package struct RegressionTest: NullPreservingEncodable, Sendable {
    package var predictor: String
    package var statistic: Double?
    package var p_value: Double?
    package var df: Double?
    package var slope: Double?
    package var slope_se: Double?
    package var limit_estimate: Double?
    package var limit_ci_lower: Double?
    package var limit_ci_upper: Double?

    package init(_ r: RegressionTestResult) {
      predictor = r.predictor
      statistic = finite(r.statistic); p_value = finite(r.pValue); df = r.degreesOfFreedom
      slope = finite(r.slope); slope_se = finite(r.slopeStandardError)
      limit_estimate = finite(r.limitEstimate); limit_ci_lower = finite(r.limitCILower); limit_ci_upper = finite(r.limitCIUpper)
    }
  }

  /// One refit of a leave-one-out or cumulative analysis: model scale and reported scale.
  package struct SensitivityRow: NullPreservingEncodable, Sendable {
    package var label: String
    package var estimate: Double?
    package var se: Double?
    package var statistic: Double?
    package var p_value: Double?
    package var ci_lower: Double?
    package var ci_upper: Double?
    package var effect: Double?
    package var effect_ci_lower: Double?
    package var effect_ci_upper: Double?
    package var tau2: Double?
    package var q: Double?
    package var q_p_value: Double?
    package var i2: Double?
    package var h2: Double?

    package init(_ r: LeaveOneOutRow) {
      label = r.label
      estimate = finite(r.estimate); se = finite(r.standardError); statistic = finite(r.statistic); p_value = finite(r.pValue)
      ci_lower = finite(r.ciLower); ci_upper = finite(r.ciUpper)
      effect = finite(r.proportion); effect_ci_lower = finite(r.proportionCILower); effect_ci_upper = finite(r.proportionCIUpper)
      tau2 = finite(r.tau2); q = finite(r.q); q_p_value = finite(r.qPValue); i2 = finite(r.i2); h2 = finite(r.h2)
    }
  }

  package struct Input: NullPreservingEncodable, Sendable {
    package var file: String
    package var layout: String
    package var columns: [String: String]
    package var by_column: String?
    package init(file: String, layout: String, columns: [String: String], by_column: String? = nil) {
      self.file = file; self.layout = layout; self.columns = columns; self.by_column = by_column
    }
  }
  /// Every method choice, stated in full.
  package struct Settings: NullPreservingEncodable, Sendable {
    package var measure: String
    package var measure_name: String
    package var model_scale: String
    package var method: String
    package var method_name: String
    package var tau2_method: String?
    /// `--method GLMM`: UM.FS or CM.EL, else null.
    package var glmm_model: String?
    /// `--method GLMM --model UM.FS`: adaptive Gauss-Hermite points (metafor's nAGQ), else null.
    package var nagq: Int?
    package var test: String
    package var level: Double
    package var add: Double
    package var to: String
    package var drop00: Bool
    package var mh_pooled_counts: String?
    package var cmh_continuity_correction: Bool?
    package var back_transformation: String
    package var ci_method: String
    package var pi_method: String
    package var trial_ci_method: String
    package var i2_definition: String
    /// `--exclude` and `--where`, as flags (empty when none).
    package var row_filters: [String] = []
    /// The profile (`--profile`) and each default it changed from orrmeta's.
    package var profile: String = "orrmeta"
    package var profile_changes: [String] = []
    /// Stopping rules of the τ² iterations: exact, metafor or custom.
    package var convergence: String? = nil
    /// `--profile meta`: the common-effect method (MH, Peto, Inverse) and the τ² CI's method
    /// (QP, J, or null when there is none), else null.
    package var common_method: String? = nil
    package var tau2_ci_method: String? = nil
  }
  /// The common-effect model of `--profile meta` on the model scale and the reported scale.
  package struct Common: NullPreservingEncodable, Sendable {
    package var method: String
    package var estimate: Double?
    package var se: Double?
    package var statistic: Double?
    package var p_value: Double?
    package var ci_lower: Double?
    package var ci_upper: Double?
    package var effect: Double?
    package var effect_ci_lower: Double?
    package var effect_ci_upper: Double?
  }
  /// The model-scale block, the same contract as `pool`'s.
  package typealias Model = PoolReport.Model
  /// The reported-scale block: the effect with its CI and PI (`pooled.interval`) and its scale.
  package typealias Pooled = WithInterval<Scale>
  package struct Scale: NullPreservingEncodable, Sendable {
    /// The measure's name for a ratio, "risk difference" otherwise.
    package var scale: String
  }
  /// The heterogeneity block, `pool`'s keys without its extra tests. τ²'s, I²'s and H's CIs
  /// and H are set with `--profile meta` (τ²'s by Q-profile, or Jackson's for DL; I²'s and H's
  /// test-based), null otherwise.
  package typealias Heterogeneity = PoolReport.HeterogeneityEstimates
  package struct ChiSquareTest: NullPreservingEncodable, Sendable {
    package var statistic: Double?
    package var df: Int
    package var p_value: Double?
  }
  /// MH odds ratio only: CMH (Cochran and Mantel–Haenszel variants), Breslow–Day, Tarone.
  package struct Tests: NullPreservingEncodable, Sendable {
    package var cochran: ChiSquareTest?
    package var cmh: ChiSquareTest?
    package var breslow_day: ChiSquareTest?
    package var tarone: ChiSquareTest?

    /// The tests of a fit: a Mantel–Haenszel fit's CMH and Tarone parts; all null for any other fit.
    init(_ fit: ComparisonAnalysis.Fit? = nil) {
      guard case let .mantelHaenszel(f)? = fit else { return }
      if let c = f.cmh {
        cochran = ChiSquareTest(statistic: finite(c.cochran), df: 1, p_value: finite(c.cochranPValue))
        cmh = ChiSquareTest(statistic: finite(c.mantelHaenszel), df: 1, p_value: finite(c.mantelHaenszelPValue))
      }
      if let t = f.tarone {
        breslow_day = ChiSquareTest(statistic: finite(t.breslowDay), df: t.tables - 1, p_value: finite(t.breslowDayPValue))
        tarone = ChiSquareTest(statistic: finite(t.tarone), df: t.tables - 1, p_value: finite(t.taronePValue))
      }
    }
  }
  package struct Trial: NullPreservingEncodable, Sendable {
    package var label: String
    package var line: Int?
    package var events_treat: Int
    package var n_treat: Int
    package var events_ctrl: Int
    package var n_ctrl: Int
    package var yi: Double?
    package var vi: Double?
    package var ci_lower: Double?
    package var ci_upper: Double?
    package var effect: Double?
    package var effect_ci_lower: Double?
    package var effect_ci_upper: Double?
    package var weight: Double?
    package var corrected: Bool
    package var included: Bool
    /// `--profile meta`: the weight in the common-effect model (percent; `weight` is the
    /// random-effects one), else null.
    package var weight_common: Double? = nil
  }
  package struct Subgroup: NullPreservingEncodable, Sendable {
    package var name: String
    package var k: Int
    package var model: Model
    package var pooled: Pooled
    package var common: Common?
    package var heterogeneity: Heterogeneity
    package var tests: Tests
    package var trials: [Trial]
    package var warnings: [String]
    package init(name: String, k: Int, model: Model, pooled: Pooled, common: Common? = nil, heterogeneity: Heterogeneity, tests: Tests, trials: [Trial], warnings: [String]) {
      self.name = name; self.k = k; self.model = model; self.pooled = pooled; self.common = common; self.heterogeneity = heterogeneity
      self.tests = tests; self.trials = trials; self.warnings = warnings
    }
  }

  /// The blocks of one analysis (overall or a subgroup).
  package struct Blocks {
    package var model: Model
    package var pooled: Pooled
    package var common: Common? = nil
    package var heterogeneity: Heterogeneity
    package var tests: Tests
    package var trials: [Trial]
  }

  /// The model-scale and reported-scale blocks of a pooled estimate (exp for OR and RR).
  package static func modelBlocks(_ p: ModelSummary, measure: ComparisonMeasure) -> (Model, Pooled) {
    let ratio = measure.isRatio
    let back: (Double) -> Double? = { ratio ? finite(Double.exp($0)) : finite($0) }
    let model = PoolReport.model(p)
    let pooled = Pooled(
      Scale(scale: ratio ? measure.name : "risk difference"),
      interval: IntervalEstimate(
        estimate: back(p.estimate), ci_lower: back(p.ciLower), ci_upper: back(p.ciUpper), pi_lower: back(p.piLower),
        pi_upper: back(p.piUpper)))
    return (model, pooled)
  }

  package static func blocks(_ a: ComparisonAnalysis, lines: [Int]?) -> Blocks {
    let p = a.pooled
    let ratio = a.settings.measure.isRatio
    let back: (Double) -> Double? = { ratio ? finite(Double.exp($0)) : finite($0) }
    let (model, pooled) = modelBlocks(p.summary, measure: a.settings.measure)
    let het = Heterogeneity(
      tau2: finite(p.tau2), tau: finite(p.tau2.squareRoot()), tau2_se: finite(p.tau2StandardError), q: finite(p.q),
      q_df: p.qDegreesOfFreedom, q_p_value: finite(p.qPValue), i2: finite(p.i2), h2: finite(p.h2))
    let tests = Tests(a.fit)
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
    let glmm = m == .GLMM
    let trialMeasure = m.trialMeasure(for: s.measure)
    let scale: String
    switch s.measure {
    case .OR, .PETO: scale = "log odds ratio"
    case .RR: scale = "log risk ratio"
    case .RD: scale = "risk difference"
    }
    return Settings(
      measure: s.measure.rawValue, measure_name: s.measure.name, model_scale: scale, method: m.rawValue,
      method_name: glmm ? "GLMM, " + s.model.name : m.name, tau2_method: m.tauSquaredMethod?.rawValue,
      glmm_model: glmm ? s.model.rawValue : nil, nagq: glmm && s.model == .UMFS ? s.nAGQ : nil,
      test: iv || glmm ? s.test.rawValue : "z",
      level: s.level.percent, add: s.add, to: s.to.rawValue, drop00: s.effectiveDrop00,
      mh_pooled_counts: glmm ? "uncorrected counts; trials with no responders or only responders in both arms left out (rma.glmm drop00); add/to apply to the per-trial outcomes and I^2" : iv ? nil : "uncorrected counts of every trial (metafor: add[2] = 0, to[2] = none, drop00[2] = FALSE); add/to/drop00 apply to the per-trial outcomes and Q",
      cmh_continuity_correction: m == .MH && s.measure == .OR ? s.correct : nil,
      back_transformation: s.measure.isRatio ? "exp" : "none",
      ci_method: glmm ? (s.test == .t ? "t with k-1 df, " : "Wald z, ") + (s.model == .UMFS ? "SE from the observed information of the adaptive Gauss-Hermite likelihood (lme4 vcov)" : "SE from the observed information of the exact conditional likelihood (20-point Gauss-Hermite)") : iv ? (s.test == .z ? "Wald z" : (s.test == .t ? "t with k-1 df" : "Hartung-Knapp (\(s.test.rawValue)), t with k-1 df")) : "Wald z (\(m.name) variance\(m == .MH ? s.measure == .OR ? ": Robins-Breslow-Greenland" : s.measure == .RR ? ": Greenland-Robins" : ": Sato-Greenland-Robins" : ""))",
      pi_method: (iv && m != .EE) || glmm ? "metafor predict: estimate +- crit * sqrt(se^2 + tau2)" : "none (common effect; equal to the CI)",
      trial_ci_method: "Wald z on \(trialMeasure == .PETO ? "Peto log odds ratio" : scale), yi +- z * sqrt(vi)",
      i2_definition: (iv && m != .EE) || glmm ? "100 * tau2 / (tau2 + typical within-trial variance)" : "100 * (Q - df) / Q, truncated at 0",
      profile: s.profile.rawValue, profile_changes: s.profileChanges, convergence: iv ? Convergence(control: s.control)?.rawValue ?? "custom" : nil)
  }

  package init(orrmeta_version: String, input: Input, settings: Settings, k: Int, model: Model, pooled: Pooled, common: Common? = nil, heterogeneity: Heterogeneity, tests: Tests, trials: [Trial], subgroups: [Subgroup]? = nil, leave_one_out: [SensitivityRow]? = nil, cumulative: [SensitivityRow]? = nil, bias: Bias? = nil, influence: [InfluenceRow]? = nil, trimfill: TrimAndFillResult? = nil, gosh: SensitivityReport.Gosh? = nil, warnings: [String]) {
    self.orrmeta_version = orrmeta_version; self.input = input; self.settings = settings; self.k = k; self.model = model
    self.pooled = pooled; self.common = common; self.heterogeneity = heterogeneity; self.tests = tests; self.trials = trials
    self.subgroups = subgroups; self.leave_one_out = leave_one_out; self.cumulative = cumulative; self.bias = bias
    self.influence = influence; self.trimfill = trimfill; self.gosh = gosh; self.warnings = warnings
  }
}
