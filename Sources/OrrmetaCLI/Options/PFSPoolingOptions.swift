// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// How `orrmeta pfs` pools.
enum PFSPoolMode: String, CaseIterable, ExpressibleByArgument {
  /// The (sample-size-)weighted median of cohort medians (default).
  case weightedMedian = "weighted-median"
  /// Inverse-variance random-effects pooling of the medians from their CIs.
  case iv
}

/// Extra intervals of the weighted median (`--ci`).
enum PFSExtraInterval: String, CaseIterable, ExpressibleByArgument {
  /// metamedian `pool.med(norm.approx = FALSE)`.
  case signExact = "sign-exact"
}

extension MedianSurvivalEstimand: ExpressibleByArgument {}
extension PFSArm: ExpressibleByArgument {}

/// The inverse-variance flags of `orrmeta pfs` (`--pool iv`, `--hr`) and `--ci`. The one owner
/// of which flag goes with which analysis.
struct PFSPoolingOptions: ParsableArguments {
  @Option(help: "Pooling: weighted-median (default: the weighted median of cohort medians) or iv (inverse-variance random-effects pooling of medians from their CIs, McGrath et al. 2025).")
  var pool: PFSPoolMode = .weightedMedian

  @Option(help: "With --pool iv: median (default; one arm), difference or log-ratio (treatment vs control: columns median_treat and median_ctrl with their CIs).")
  var estimand: MedianSurvivalEstimand?

  @Option(help: "With --pool iv --estimand median: the arm, treat or ctrl (columns median_<arm>, median_<arm>_ci_lower, median_<arm>_ci_upper, optional median_<arm>_ci_level). Default: the --value-column and its _ci_ columns.")
  var arm: PFSArm?

  @OptionGroup var model: PFSModelOptions

  @Option(name: .customLong("ci"), help: "With the weighted median: add an interval; sign-exact = exact sign-test CI (metamedian pool.med, norm.approx = FALSE).")
  var extraIntervals: [PFSExtraInterval] = []

  @Flag(name: .customLong("hr"), help: "Pool log hazard ratios from their CIs (columns hr, hr_ci_lower, hr_ci_upper, optional hr_ci_level; metafor conv.wald with transf = log).")
  var hazardRatio = false

  @Option(name: .customLong("mods"), parsing: .upToNextOption, help: "With --pool iv or --hr: moderator columns of a meta-regression on every cohort used (numeric columns continuous, others categorical; metafor rma.uni(yi, vi, mods =)).")
  var moderators: [String] = []

  @Option(name: .customLong("categorical"), parsing: .upToNextOption, help: "With --mods: moderator columns to treat as categorical even when numeric.")
  var categorical: [String] = []

  @Option(name: .customLong("forest"), help: "With --pool iv or --hr: also write a forest plot (SVG) of the cohorts and the pooled estimate to this file (atomically).")
  var forest: String?

  /// Whether an inverse-variance analysis was asked for.
  var inverseVariance: Bool { pool == .iv || hazardRatio }

  /// The measure, given the value column (nil for the weighted median).
  func measure(valueColumn: String) -> PFSIntervalMeasure? {
    if hazardRatio { return .hazardRatio }
    guard pool == .iv else { return nil }
    let estimand = estimand ?? .median
    return .median(estimand: estimand, column: arm?.medianColumn ?? valueColumn)
  }

  /// The model settings of an inverse-variance analysis.
  func settings(level: ConfidenceLevel) throws -> PFSPooledPipeline.Settings {
    try model.settings(level: level, arm: arm)
  }

  func validate() throws {
    if !inverseVariance {
      for (given, flag) in [(estimand != nil, "--estimand"), (arm != nil, "--arm"), (model.method != nil, "--method"), (model.test != nil, "--test"), (forest != nil, "--forest"), (!moderators.isEmpty, "--mods"), (!categorical.isEmpty, "--categorical")] where given {
        throw ValidationError("\(flag) applies to inverse-variance pooling: add --pool iv (medians from their CIs) or --hr")
      }
    } else {
      if !extraIntervals.isEmpty {
        throw ValidationError("--ci sign-exact applies to the weighted median, not to --pool iv or --hr")
      }
      if hazardRatio, estimand != nil || arm != nil {
        throw ValidationError("--estimand and --arm apply to medians (--pool iv), not to --hr")
      }
      if let e = estimand, e.needsBothArms, arm != nil {
        throw ValidationError("--arm applies to --estimand median; --estimand \(e.rawValue) uses both arms (median_treat and median_ctrl)")
      }
      _ = try settings(level: .ninetyFive)
      let mods = Set(moderators.map { $0.lowercased() })
      for c in categorical where !mods.contains(c.lowercased()) {
        throw ValidationError("--categorical \(c) is not one of the --mods columns")
      }
    }
  }
}
