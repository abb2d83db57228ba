// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta compare FILE`: pool the difference in response between two arms of trials.
  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "compare",
      abstract: "Compare response between two arms of trials (OR, RR, RD; Mantel-Haenszel, Peto, inverse variance).",
      discussion: """
        Input: one row per trial with events_treat,n_treat,events_ctrl,n_ctrl (or ai,n1i,ci,n2i or event.e,n.e,event.c,n.c), or the long cohort table (one row per arm) with --arm, --trial, --treat and --control. See Docs/compare.md.

        Examples:
          orrmeta compare trials.csv --measure RR --method MH
          orrmeta compare trials.csv --measure OR --method REML --test knha \\
            --format json
          orrmeta compare trials.csv --measure OR --method GLMM --model UM.FS
          orrmeta compare Fixtures/alk-nsclc/cohorts.csv --arm drug --trial trial \\
            --treat alectinib --treat brigatinib --treat lorlatinib \\
            --control crizotinib --measure RR
        """)

    @Argument(help: "Trial CSV file.")
    var file: String

    @OptionGroup var options: CompareOptions
    @OptionGroup var profileOptions: CompareProfileOptions
    @Flag(name: .customLong("leave-one-out"), help: "Add the model without each trial (metafor leave1out).")
    var leaveOneOut = false
    @Flag(help: "Add the cumulative analysis in file order (metafor cumul).")
    var cumulative = false
    @Flag(help: "Add Egger's and Peters' regression tests, and Harbord's test for OR (inverse-variance methods; metafor regtest).")
    var bias = false
    @Flag(help: "Add influence diagnostics (inverse-variance methods; metafor influence).")
    var influence = false
    @OptionGroup var funnel: FunnelSubsetAnalysisOptions<TrialAnalysisWording>
    @OptionGroup var resampling: ResamplingOptions
    @OptionGroup var rowFilter: RowFilterOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
      try ErrorReporting.run {
        let settings = try comparisonSettings()
        try checkAnalyses()
        let data = try TwoArmFile.read(path: file, columns: twoArmColumns)
        var report: CompareReport
        do {
          report = try ComparePipeline.run(
            data, settings: settings, leaveOneOut: leaveOneOut, cumulative: cumulative, bias: bias,
            diagnostics: diagnostics)
        } catch {
          throw FileContextError(file: file, underlying: error, line: Self.line(of: error, in: data))
        }
        report.settings.row_filters = rowFilter.filter.descriptions
        try outputOptions.emit(try ComparePipeline.render(report, format: outputOptions.format), inputs: [file])
      }
    }

    /// The case-deletion and funnel analyses of the flags.
    var diagnostics: CompareDiagnostics {
      CompareDiagnostics(
        influence: influence, trimFill: funnel.trimfill, trimFillSide: funnel.side, trimFillEstimator: funnel.estimator ?? .L0,
        gosh: funnel.gosh ? GoshOptions(maxSubsets: funnel.subsets.maxSubsets, seed: resampling.seed, threads: resampling.threads) : nil)
    }

    /// The analyses' rules (also checked for batch specs with `type = "compare"`): options of
    /// an analysis need the analysis; influence, trim-and-fill, GOSH and the regression tests
    /// are metafor's functions of `rma` fits, not defined for `rma.mh`, `rma.peto` or `rma.glmm`.
    func checkAnalyses() throws {
      if (funnel.estimator != nil || funnel.side != nil) && !funnel.trimfill { throw UsageError(message: "--estimator and --side apply to --trimfill only") }
      if funnel.subsets.subsets != nil && !funnel.gosh { throw UsageError(message: "--subsets applies to --gosh only") }
      if !profileOptions.profile.offersComparisonAnalyses, leaveOneOut || cumulative || bias || influence || funnel.trimfill || funnel.gosh {
        throw UsageError(message: "--leave-one-out, --cumulative, --bias, --influence, --trimfill and --gosh are not available with --profile meta yet; run them without the profile")
      }
      for (flag, on) in [("--influence", influence), ("--trimfill", funnel.trimfill), ("--gosh", funnel.gosh)] where on && options.method.tauSquaredMethod == nil {
        throw UsageError(message: Self.inverseVarianceOnly(flag, method: options.method))
      }
      if bias, options.method.tauSquaredMethod == nil {
        throw UsageError(message: Self.inverseVarianceOnly("--bias", method: options.method))
      }
    }

    /// The refusal of an inverse-variance-only analysis for MH, Peto or the GLMM.
    static func inverseVarianceOnly(_ flag: String, method: ComparisonMethod) -> String {
      let function = ["--influence": "influence()", "--trimfill": "trimfill()", "--gosh": "gosh()", "--bias": "regtest()"][flag] ?? flag
      let fit = method == .MH ? "rma.mh" : method == .Peto ? "rma.peto" : "rma.glmm"
      return "\(flag) is not available with --method \(method.rawValue): metafor's \(function) is not defined for \(fit) fits. "
        + "Use an inverse-variance method for it (--method EE for the common effect, or DL, REML, ...), or --leave-one-out and --cumulative, which are defined for \(fit)\(method == .GLMM ? "" : " and match metafor's leave1out() and cumul()")"
    }

    /// The model settings of the flags, checked (also used by batch specs with `type = "compare"`).
    func comparisonSettings() throws -> ComparisonSettings { try options.comparisonSettings(profile: profileOptions) }

    /// The columns of the flags.
    var twoArmColumns: TwoArmColumns { options.twoArmColumns(filter: rowFilter.filter) }

    /// The line of the trial an analysis error names.
    static func line(of error: any Error, in data: TwoArmFile) -> Int? {
      guard case let .invalidStudy(label, _)? = error as? MetaAnalysisError, let i = data.studies.firstIndex(where: { $0.label == label }) else { return nil }
      return data.lines[i]
    }
  }
}

extension ComparisonMeasure: ExpressibleByArgument {
  public init?(argument: String) {
    guard let v = [ComparisonMeasure.OR, .RR, .RD].first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else { return nil }
    self = v
  }
  public static var allValueStrings: [String] { ["OR", "RR", "RD"] }
}

extension ComparisonGLMMModel: ExpressibleByArgument {
  public init?(argument: String) {
    guard let v = ComparisonGLMMModel.allCases.first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else { return nil }
    self = v
  }
}

extension ComparisonMethod: ExpressibleByArgument {
  public init?(argument: String) {
    // metafor's aliases of EE.
    if ["fe", "ce"].contains(argument.lowercased()) { self = .EE; return }
    guard let v = ComparisonMethod.allCases.first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else { return nil }
    self = v
  }
}
