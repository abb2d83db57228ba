// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// How the help of ``FunnelSubsetAnalysisOptions`` names a command's studies and words its
/// two analyses: cohorts for `orrmeta sensitivity`, trials for `orrmeta compare`.
protocol FunnelSubsetAnalysisWording {
  /// The studies, plural ("cohorts", "trials").
  static var studies: String { get }
  /// The help of `--trimfill` and of `--gosh`.
  static var trimFillHelp: String { get }
  static var goshHelp: String { get }
}

/// The analyses of the funnel and of subsets of the studies that a command adds to its fit:
/// trim-and-fill (`--trimfill`, `--estimator`, `--side`) and GOSH (`--gosh`, `--subsets`).
/// Shared by `orrmeta sensitivity` (and its batch specs) and `orrmeta compare`; `Wording` words
/// the help for the command's studies.
struct FunnelSubsetAnalysisOptions<Wording: FunnelSubsetAnalysisWording>: ParsableArguments {
  @Flag(help: ArgumentHelp(Wording.trimFillHelp))
  var trimfill = false
  @Option(help: "Trim-and-fill estimator: L0 (default), R0 or Q0.")
  var estimator: TrimAndFillEstimator?
  @Option(help: ArgumentHelp("Trim-and-fill: the side of the funnel where \(Wording.studies) are missing, left or right (default: estimated from Egger's slope)."))
  var side: FunnelSide?
  @Flag(help: ArgumentHelp(Wording.goshHelp))
  var gosh = false
  @OptionGroup var subsets: GoshSubsetOptions
}

/// The wording of `orrmeta sensitivity`.
enum CohortAnalysisWording: FunnelSubsetAnalysisWording {
  static let studies = "cohorts"
  static let trimFillHelp = "Trim-and-fill (metafor trimfill)."
  static let goshHelp = "GOSH: the model fitted to subsets of the cohorts (metafor gosh); summary in the output, every subset with --gosh-out."
}

/// The wording of `orrmeta compare`.
enum TrialAnalysisWording: FunnelSubsetAnalysisWording {
  static let studies = "trials"
  static let trimFillHelp = "Add trim-and-fill (inverse-variance methods; metafor trimfill)."
  static let goshHelp = "Add GOSH: the model fitted to subsets of the trials (inverse-variance methods; metafor gosh)."
}
