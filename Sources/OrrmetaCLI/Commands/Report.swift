// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaPlots
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta report FILE --out report.html`: a self-contained HTML report.
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Write a self-contained HTML report: settings, cohorts, pooled results, heterogeneity, subgroups, sensitivity analyses and plots (inline SVG).",
      discussion: """
        The HTML file has no scripts and loads nothing: it can be opened offline or mailed. Analyses (space- or comma-separated): forest (always), funnel (default), and the sensitivity analyses leave-one-out, cumulative, baujat, gosh, trim-and-fill, bias (Egger, Peters, Begg), influence and bootstrap (--bootstrap-resamples, default 1000) (on all cohorts, with the model flags; trim-and-fill also draws the imputed cohorts in the funnel plot). --mods adds the meta-regression on those columns.

        With --cluster COLUMN the report is that of the three-level model (cohorts nested in COLUMN, as 'pool --cluster'): the forest plot groups cohorts under their cluster, a section gives sigma^2 and I^2 per level and the likelihood-ratio test against the two-level model, and leave-one-out, influence, cumulative and bias are the cluster diagnostics of 'sensitivity --cluster' (one cluster at a time; the multilevel Egger test). The funnel plot, baujat, gosh, trim-and-fill, bootstrap, --mods and --by are not available with --cluster.

        Examples:
          orrmeta report Fixtures/alk-nsclc/cohorts.csv --output report.html
          orrmeta report Fixtures/alk-nsclc/cohorts.csv --by line --test knha \\
            --contours --output report.html
          orrmeta report Fixtures/alk-nsclc/cohorts.csv \\
            --analyses forest,funnel,leave-one-out,cumulative,baujat,trim-and-fill \\
            --output report.html
          orrmeta report Fixtures/alk-nsclc/cohorts.csv --analyses forest gosh \\
            --subsets 100000 --seed 1 --output report.html
          orrmeta report Fixtures/alk-nsclc/cohorts.csv \\
            --analyses forest,bias,influence,bootstrap --mods line --output report.html
          orrmeta report Fixtures/alk-nsclc/cohorts.csv --cluster trial \\
            --analyses forest,leave-one-out,influence,cumulative,bias \\
            --output report.html
        """)

    /// An analysis the report can include: a plot of the pooled model, or a sensitivity
    /// analysis (``SensitivityAnalysisKind``, the one list of analyses) named as its flag of
    /// `orrmeta sensitivity`, except trim-and-fill, whose report name `trim-and-fill` (that of
    /// `--trim-and-fill` of the funnel options) predates the kinds; `trimfill` is accepted too.
    enum Analysis: Hashable, CaseIterable {
      case forest, funnel
      case sensitivity(SensitivityAnalysisKind)
      case baujat, multiverse

      static let allCases: [Analysis] = [.forest, .funnel] + SensitivityAnalysisKind.allCases.map(Analysis.sensitivity) + [.baujat, .multiverse]

      /// The name in `--analyses`.
      var name: String {
        switch self {
        case .forest: return "forest"
        case .funnel: return "funnel"
        case .sensitivity(.trimFill): return "trim-and-fill"
        case .sensitivity(let kind): return kind.flagName
        case .baujat: return "baujat"
        case .multiverse: return "multiverse"
        }
      }

      init?(name: String) {
        guard let a = Self.allCases.first(where: { $0.name == name || $0 == .sensitivity(.trimFill) && name == "trimfill" }) else {
          return nil
        }
        self = a
      }

      /// Whether the analysis refits the model on changed data (the inverse-variance engine).
      var isSensitivity: Bool {
        if case .sensitivity = self { return true }
        return self == .baujat
      }
    }

    @Argument(help: "Cohort CSV file.")
    var file: String
    @OptionGroup var columns: ColumnOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var output: PlotOutputOptions
    @OptionGroup var funnel: FunnelOptions
    @OptionGroup var clusterOptions: ClusterOptions

    @Option(name: .customLong("analyses"), parsing: .upToNextOption, help: "Analyses to include, separated by spaces or commas: \(Analysis.allCases.map(\.name).joined(separator: ", ")) (default: forest funnel; forest with --cluster).")
    var analysisNames: [String] = []
    @OptionGroup var order: CumulativeOrderOptions
    @OptionGroup var subsets: GoshSubsetOptions
    @OptionGroup var resampling: ResamplingOptions
    @Option(name: .customLong("bootstrap-resamples"), help: "Resamples of --analyses bootstrap (default 1000).")
    var bootstrapResamples: Int = 1000
    @Option(name: .customLong("mods"), parsing: .upToNextOption, help: "Moderator columns: adds the meta-regression (as 'orrmeta regress --mods').")
    var mods: [String] = []
    @Option(name: .customLong("categorical"), parsing: .upToNextOption, help: "Moderator columns to treat as categorical even when their values are numbers.")
    var categorical: [String] = []

    /// The analyses, parsed from `--analyses`.
    func analyses() throws -> Set<Analysis> {
      if analysisNames.isEmpty { return clusterOptions.column == nil ? [.forest, .funnel] : [.forest] }
      var out = Set<Analysis>()
      for name in analysisNames.flatMap({ $0.split(separator: ",") }) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { continue }
        guard let a = Analysis(name: trimmed.lowercased()) else {
          throw ValidationError("--analyses \(trimmed) is invalid; expected one of \(Analysis.allCases.map(\.name).joined(separator: ", "))")
        }
        out.insert(a)
      }
      return out
    }

    func validate() throws {
      try model.requireSubgroupsForTauCommon(columns)
      let wanted = try analyses()
      if wanted.contains(where: \.isSensitivity) || funnel.trimAndFill || !mods.isEmpty {
        try model.requireInverseVariance("the report's sensitivity analyses")
      }
      if order.orderBy != nil, !wanted.contains(.sensitivity(.cumulative)) { throw ValidationError("--order-by applies to --analyses cumulative") }
      if subsets.subsets != nil, !wanted.contains(.sensitivity(.gosh)) { throw ValidationError("--subsets applies to --analyses gosh") }
      if bootstrapResamples < 1 { throw ValidationError("--bootstrap-resamples \(bootstrapResamples) is invalid; expected a whole number >= 1") }
      if !categorical.isEmpty, mods.isEmpty { throw ValidationError("--categorical applies to --mods") }
      if let column = clusterOptions.column { try requireClusterSupport(wanted, column: column) }
    }

    /// The analyses of the three-level model: the forest plot and the sensitivity analyses
    /// that `ReportPipeline.ClusterSelection` draws (as `orrmeta sensitivity --cluster`).
    static let clusterAnalyses: [Analysis] = [.forest] + ReportPipeline.ClusterSelection.kinds.map(Analysis.sensitivity)

    /// With `--cluster`: refuses what the three-level report does not offer, naming it.
    func requireClusterSupport(_ wanted: Set<Analysis>, column: String) throws {
      var refused = Analysis.allCases.filter { wanted.contains($0) && !Self.clusterAnalyses.contains($0) }.map(\.name)
      if funnel.trimAndFill, !refused.contains(Analysis.sensitivity(.trimFill).name) { refused.append("--trim-and-fill") }
      if !mods.isEmpty { refused.append("--mods") }
      if columns.by != nil { refused.append("--by") }
      if order.orderBy != nil { refused.append("--order-by (clusters are added in the order of their first appearance)") }
      if !refused.isEmpty {
        throw ValidationError("--cluster \(column): \(refused.joined(separator: ", ")) \(refused.count == 1 ? "is" : "are") not available with the three-level model; the report offers \(Self.clusterAnalyses.map(\.name).joined(separator: ", ")) (cluster diagnostics as 'orrmeta sensitivity --cluster')")
      }
    }

    func run() throws {
      try ErrorReporting.run {
        let wanted = try analyses()
        let settings = try model.settings(clustered: clusterOptions.column != nil)
        let cohorts = try CohortFile.read(path: file, columns: columns.selection)
        if let clusters = try clusterOptions.read(cohorts) {
          let selection = ReportPipeline.ClusterSelection(kinds: ReportPipeline.ClusterSelection.kinds.filter { wanted.contains(.sensitivity($0)) })
          let html: String
          do {
            let section = try ReportPipeline.clusterSensitivity(cohorts, settings: settings, clusters: clusters, selection: selection)
            html = try ReportPipeline.render(cohorts, settings: settings, clusters: clusters, title: output.title, sensitivity: section)
          } catch {
            throw FileContextError(file: file, underlying: error)
          }
          return try output.emit(html, inputs: [file])
        }
        var selection = ReportPipeline.SensitivitySelection()
        selection.leaveOneOut = wanted.contains(.sensitivity(.leaveOneOut))
        selection.cumulative = wanted.contains(.sensitivity(.cumulative))
        selection.baujat = wanted.contains(.baujat)
        selection.gosh = wanted.contains(.sensitivity(.gosh))
        selection.trimAndFill = wanted.contains(.sensitivity(.trimFill)) || funnel.trimAndFill
        selection.goshOptions = GoshOptions(maxSubsets: subsets.maxSubsets, seed: resampling.seed, threads: resampling.threads)
        selection.bias = wanted.contains(.sensitivity(.bias))
        selection.influence = wanted.contains(.sensitivity(.influence))
        selection.bootstrapResamples = wanted.contains(.sensitivity(.bootstrap)) ? bootstrapResamples : nil
        if !mods.isEmpty { selection.moderators = try ModeratorColumns.read(cohorts, columns: mods, categorical: categorical) }
        if selection.cumulative, let column = order.orderBy {
          selection.cumulativeOrder = try CohortOrder(cohorts, ascendingBy: column)
        }
        let options = ReportPipeline.Options(
          funnel: wanted.contains(.funnel), contourLevels: funnel.levels, nullProportion: try funnel.nullProportion(), title: output.title)
        let html: String
        do {
          let (section, trimAndFill) = try ReportPipeline.sensitivity(cohorts, settings: settings, selection: selection)
          html = try ReportPipeline.render(
            cohorts, settings: settings, options: options, sensitivity: section, trimAndFill: trimAndFill,
            multiverse: wanted.contains(.multiverse) ? Self.multiverse(cohorts, settings: settings, threads: resampling.threads) : nil)
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        try output.emit(html, inputs: [file])
      }
    }
  }
}
