// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPlots
import OrrmetaReports

extension ReportPipeline {
  /// The cluster diagnostics the report of a three-level model includes
  /// (`orrmeta report --cluster COLUMN --analyses …`): those of `orrmeta sensitivity --cluster`.
  package struct ClusterSelection: Sendable, Hashable {
    /// The analyses the three-level report offers, in order: leave one cluster out, influence
    /// per cluster (Cook's distance, DFBETAS, change in σ²), cumulative by cluster (order of
    /// each cluster's first appearance) and the multilevel Egger test.
    package static let kinds: [SensitivityAnalysisKind] = [.leaveOneOut, .influence, .cumulative, .bias]
    /// The analyses selected.
    package var selected: Set<SensitivityAnalysisKind>

    /// A selection of some of ``kinds``.
    package init(kinds: [SensitivityAnalysisKind] = []) { selected = Set(kinds) }

    /// Whether nothing is selected.
    package var isEmpty: Bool { selected.isEmpty }
  }

  /// The cluster diagnostics: ``ClusterSensitivityReport`` (the numbers of
  /// `orrmeta sensitivity --cluster`), nil when none is selected.
  package static func clusterSensitivity(
    _ cohorts: CohortFile, settings: AnalysisSettings, clusters: ClusterColumn, selection s: ClusterSelection
  ) throws -> ReportSensitivity? {
    guard !s.isEmpty else { return nil }
    var out = ReportSensitivity()
    out.cluster = try ClusterSensitivityReport.run(
      cohorts, settings: settings, clusters: clusters, leaveOneOut: s.selected.contains(.leaveOneOut),
      influence: s.selected.contains(.influence), cumulative: s.selected.contains(.cumulative), bias: s.selected.contains(.bias))
    return out
  }

  /// The report of a three-level analysis (`orrmeta report --cluster COLUMN`): the model is
  /// fitted once and gives both the pooled blocks (as `orrmeta pool --cluster`) and the forest
  /// plot with the cohorts grouped under their cluster (as `orrmeta plot forest --cluster`).
  package static func render(
    _ cohorts: CohortFile, settings: AnalysisSettings, clusters: ClusterColumn, title: String? = nil,
    sensitivity: ReportSensitivity? = nil
  ) throws(MetaAnalysisError) -> String {
    let a = try ProportionMetaAnalysis.analyze(
      studies: cohorts.studies, clusters: clusters.values, clusterName: clusters.name, settings: settings)
    let report = PoolReport(analysis: a, input: PoolPipeline.input(cohorts), extraWarnings: cohorts.warnings)
    let forest = ForestPlot.render(ForestPlotData(
      clustered: a, clusters: clusters.values, commonEffect: try PlotPipeline.commonEffect(cohorts, settings: settings),
      clusterColumn: clusters.name))
    let level = PlotFormat.tick(settings.level.percent)
    let caption = "Forest plot of the three-level model: cohorts grouped under their \(clusters.name), each with its \(level)% CI (box area proportional to its weight), the pooled diamonds and the prediction interval (with σ² of both levels)."
    return HTMLReport(
      report: report, figures: [HTMLReport.Figure(svg: forest, caption: caption)], sensitivity: sensitivity,
      figureNotes: ["No funnel plot: it is not available with --cluster (the three-level model)."], title: title
    ).render()
  }
}
