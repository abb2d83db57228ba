// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO

/// The model and column flags of a two-arm comparison, shared by `orrmeta compare`,
/// `orrmeta plot compare-forest` and `orrmeta plot compare-funnel` (and, through `compare`,
/// batch specs with `type = "compare"`).
struct CompareOptions: ParsableArguments {
  @Option(name: .customLong("measure"), help: "Effect measure: OR, RR or RD (default OR; RR with compare --profile meta, metabin's default).")
  var measureFlag: ComparisonMeasure?
  @Option(help: "Pooling method: MH (Mantel-Haenszel), Peto, inverse variance EE, DL, HE, HS, SJ, ML, REML, EB, PM, or GLMM (odds ratio).")
  var method: ComparisonMethod = .MH
  @OptionGroup var glmm: ComparisonGLMMOptions
  @Option(help: "Test and CI for inverse-variance methods: z, t or knha (MH and Peto use z).")
  var test: TestMethod = .z
  @Option(help: "Confidence level (95 or 0.95).")
  var level: Double = 95
  @Option(help: "Continuity correction added to the cells of trials chosen by --to (default 0.5).")
  var add: Double = 0.5
  @Option(help: "Which trials get the correction: only0 (default), all, if0all, none.")
  var to: ZeroCellRule = .only0
  @Flag(inversion: .prefixedNo, help: "Drop trials with no (or only) responders in both arms from the per-trial outcomes (default: yes for MH and Peto, no otherwise, as metafor).")
  var drop00: Bool? = nil
  @Flag(name: .customLong("no-cmh-correction"), help: "Compute the Cochran-Mantel-Haenszel test without the 1/2 continuity correction.")
  var noCMHCorrection = false
  @Option(help: "Long layout: the column naming the arm (e.g. drug).")
  var arm: String?
  @Option(help: "Long layout: the column naming the trial.")
  var trial: String?
  @Option(help: "Long layout: an arm name counted as treatment (repeat for several).")
  var treat: [String] = []
  @Option(help: "Long layout: an arm name counted as control (repeat for several).")
  var control: [String] = []
  @Option(name: .customLong("events-column"), help: "Long layout: responders column (default: the usual aliases).")
  var events: String?
  @Option(name: .customLong("n-column"), help: "Long layout: patients column (default: the usual aliases).")
  var total: String?
  @Option(help: "Subgroup column: fit the model within each level.")
  var by: String?

  /// The measure: the flag, else the profile's (``AnalysisProfile/comparisonMeasure``).
  func measure(profile: AnalysisProfile = .orrmeta) -> ComparisonMeasure { measureFlag ?? profile.comparisonMeasure }
  var measure: ComparisonMeasure { measure() }

  /// The model settings of the flags, checked (also used by batch specs with `type = "compare"`).
  /// `profile`: the profile flags of `orrmeta compare` (``CompareProfileOptions``).
  func comparisonSettings(profile: CompareProfileOptions? = nil) throws -> ComparisonSettings {
    let measure = measure(profile: profile?.profile ?? .orrmeta)
    var settings = ComparisonSettings(
      measure: measure, method: method, test: test, level: try ConfidenceLevel(level), add: add, to: to,
      drop00: drop00, correct: !noCMHCorrection, model: glmm.resolvedModel, nAGQ: glmm.quadraturePoints)
    if let profile { try profile.apply(to: &settings, measureGiven: measureFlag != nil) }
    // Under --profile meta the metabin rules apply (MetaBinAnalysis.methods, checked by apply):
    // HK is the random-effects model's CI next to MH and Peto too.
    if settings.profile != .meta { try method.validate(measure: measure, test: test) }
    try glmm.check(method: method)
    return settings
  }

  /// The columns of the flags, with the row filter of `--exclude`/`--where`.
  func twoArmColumns(filter: RowFilter) -> TwoArmColumns {
    TwoArmColumns(
      arm: arm, trial: trial, treat: treat, control: control,
      cohort: ColumnSelection(events: events, total: total, filter: filter), by: by)
  }

}
