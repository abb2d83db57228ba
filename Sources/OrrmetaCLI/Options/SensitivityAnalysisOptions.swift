// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// The analyses of `orrmeta sensitivity` and their options: `--leave-one-out`, `--influence`,
/// `--cumulative [--order-by]`, `--bias`, `--trimfill [--estimator] [--side]`,
/// `--gosh [--subsets]`, `--bootstrap B`, `--all`.
///
/// Shared by the command and by the `sensitivity` analyses of a batch spec (whose `analyses`
/// list names these flags), so that both accept and refuse exactly the same settings.
struct SensitivityAnalysisOptions: ParsableArguments {
  @Flag(name: .customLong("leave-one-out"), help: "Leave-one-out: the model without each cohort (metafor leave1out).")
  var leaveOneOut = false
  @Flag(help: "Influence diagnostics (rstudent, DFFITS, Cook's distance, covariance ratio, hat, weight, DFBETAS, influential flag) and Baujat coordinates (metafor influence, baujat).")
  var influence = false
  @Flag(help: "Cumulative meta-analysis (metafor cumul), in file order or by --order-by.")
  var cumulative = false
  @OptionGroup var order: CumulativeOrderOptions
  @Flag(help: "Small-study effects: Egger's regression test, Peters' test (metafor regtest) and Begg's rank correlation test (ranktest).")
  var bias = false
  @OptionGroup var funnel: FunnelSubsetAnalysisOptions<CohortAnalysisWording>
  @Option(help: "Bootstrap with this many resamples of the cohorts: percentile CIs of the estimate and tau^2.")
  var bootstrap: Int?
  @Flag(help: "All analyses but GOSH and the bootstrap.")
  var all = false

  /// The names of the analyses, each the long name of its flag (`leave-one-out` is
  /// `--leave-one-out`): the values of a batch spec's `analyses` list. `bootstrap` takes its
  /// number of resamples from the spec's `bootstrap` key.
  static let analysisNames = SensitivityAnalysisKind.allValueStrings + ["all"]

  /// The analyses named by their own flags (not through `--all`).
  var named: [SensitivityAnalysisKind] {
    SensitivityAnalysisKind.allCases.filter { kind in
      switch kind {
      case .leaveOneOut: return leaveOneOut
      case .influence: return influence
      case .cumulative: return cumulative
      case .bias: return bias
      case .trimFill: return funnel.trimfill
      case .gosh: return funnel.gosh
      case .bootstrap: return bootstrap != nil
      }
    }
  }

  /// The analyses selected, in the order of ``SensitivityAnalysisKind/allCases`` (`--all`
  /// stands for ``SensitivityAnalysisKind/selectedByAll``).
  var selected: [SensitivityAnalysisKind] {
    let chosen = Set(named + (all ? SensitivityAnalysisKind.selectedByAll : []))
    return SensitivityAnalysisKind.allCases.filter(chosen.contains)
  }

  /// Refuses the analyses that `method` does not support
  /// (``SensitivityAnalysisKind/supports(method:)``, the one owner of the rule), for the
  /// command and for batch specs.
  func requireMethodSupport(_ method: PoolingMethod) throws {
    let supported = SensitivityAnalysisKind.allCases.filter { $0.supports(method: method) }
    if supported.isEmpty {
      // No analysis at all: the model has nothing to refit (simple pooling).
      return try ModelOptions.requireInverseVariance(method, "sensitivity analyses")
    }
    if selected.contains(where: { !$0.supports(method: method) }) {
      let names = supported.map(\.flag)
      let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
      throw ValidationError("--method \(method.rawValue) supports only \(list) (the other analyses refit an inverse-variance model)")
    }
  }

  func validate() throws {
    if let b = bootstrap, b < 2 { throw ValidationError("--bootstrap \(b) is invalid; expected at least 2 resamples") }
    try ResamplingLimits.check("--bootstrap", bootstrap, ResamplingLimits.bootstrapResamples)
    let r = request(seed: 1, threads: 1)
    if r.isEmpty {
      throw ValidationError("choose at least one analysis: \(SensitivityAnalysisKind.allCases.map(\.flag).joined(separator: ", ")), or --all")
    }
    if order.orderBy != nil, !r.cumulative { throw ValidationError("--order-by applies to --cumulative") }
    if funnel.estimator != nil || funnel.side != nil, !r.trimFill { throw ValidationError("--estimator and --side apply to --trimfill") }
    if funnel.subsets.subsets != nil, !r.gosh { throw ValidationError("--subsets applies to --gosh") }
  }

  /// With `--cluster` (the three-level model): refuses the analyses that have no cluster
  /// version. The one owner of this rule, for the command and for batch specs.
  /// - Parameter method: the pooling method; the three-level GLMM (`--method GLMM`) has
  ///   leave-one-cluster-out and cumulative (``requireMethodSupport(_:)`` refuses the others).
  func requireClusterSupport(method: PoolingMethod = .REML) throws {
    // `--all` means every analysis the three-level model has; a named one it lacks is refused.
    if named.contains(where: { !$0.supportsClusters }) {
      throw ValidationError("with --cluster, sensitivity offers --leave-one-out (one cluster at a time), --influence, --cumulative, --bias, --gosh and --bootstrap B (over clusters); trim-and-fill is not available for the three-level model")
    }
    if funnel.gosh, funnel.subsets.subsets == nil {
      // Every cluster-GOSH subset is a three-level fit written to the JSON (gosh.fits): no
      // silent default of 10^6 rows.
      throw ValidationError("--gosh with --cluster needs --subsets N: every subset is a three-level fit listed in the output (all subsets when 2^clusters - 1 <= N)")
    }
    if order.orderBy != nil {
      throw ValidationError("--order-by does not apply with --cluster: the cumulative analysis adds clusters in the order of their first appearance in the file")
    }
  }

  /// The analyses asked for (without the cumulative order, which needs the file:
  /// ``SensitivityRequest/ordered(by:in:)`` with `order.orderBy`).
  func request(seed: UInt64, threads: Int) -> SensitivityRequest {
    var r = SensitivityRequest()
    let chosen = selected
    r.leaveOneOut = chosen.contains(.leaveOneOut)
    r.influence = chosen.contains(.influence)
    r.cumulative = chosen.contains(.cumulative)
    r.bias = chosen.contains(.bias)
    r.trimFill = chosen.contains(.trimFill)
    r.trimFillEstimator = funnel.estimator ?? .L0
    r.trimFillSide = funnel.side
    r.gosh = chosen.contains(.gosh)
    r.goshSubsets = funnel.subsets.maxSubsets
    r.bootstrapResamples = bootstrap
    r.seed = seed
    r.threads = threads
    return r
  }
}
