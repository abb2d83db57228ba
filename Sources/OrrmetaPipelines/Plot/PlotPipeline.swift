// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPlots

/// Reads nothing and writes nothing: turns a validated cohort file and settings into plots,
/// running the analyses the plots need. Shared by `orrmeta plot` and `orrmeta report`.
package enum PlotPipeline {
  /// A plot that cannot be drawn for these settings.
  package struct PlotError: Error, CustomStringConvertible, Sendable {
    /// The message.
    package let description: String
  }

  /// The forest plot's common-effect diamond: the common-effect version of the chosen method
  /// (``CommonEffect/fit(studies:settings:)``: inverse-variance EE for DL, REML, …; the GLMM
  /// with τ² = 0 for GLMM); nil for EE and simple pooling.
  package static func commonEffect(_ cohorts: CohortFile, settings: AnalysisSettings) throws(MetaAnalysisError) -> CommonEffect? {
    try CommonEffect.fit(studies: cohorts.studies, settings: settings)
  }

  /// The fits the plots draw: the analysis of all cohorts, the subgroup analysis (when the file
  /// was read with a `by` column) and the common-effect fit for the forest plot's common diamond.
  package struct Analyses: Sendable {
    /// All cohorts, with the chosen settings.
    package var overall: ProportionAnalysis
    /// One analysis per subgroup and the test for differences (nil without `by`).
    package var subgrouped: SubgroupedAnalysis?
    /// The common-effect version of the method (nil for EE and simple pooling).
    package var commonEffect: CommonEffect?
  }

  /// Runs the analyses the plots need.
  package static func analyses(_ cohorts: CohortFile, settings: AnalysisSettings) throws(MetaAnalysisError) -> Analyses {
    let common = try commonEffect(cohorts, settings: settings)
    if let groups = cohorts.groups {
      let s = try ProportionMetaAnalysis.analyze(studies: cohorts.studies, groups: groups, settings: settings)
      return Analyses(overall: s.overall, subgrouped: s, commonEffect: common)
    }
    let a = try ProportionMetaAnalysis.analyze(studies: cohorts.studies, settings: settings)
    return Analyses(overall: a, subgrouped: nil, commonEffect: common)
  }

  /// The forest plot (a subgroup forest when the file was read with a `by` column).
  package static func forest(
    _ cohorts: CohortFile, settings: AnalysisSettings, title: String? = nil, options: ForestPlot.Options = .init()
  ) throws(MetaAnalysisError) -> SVGDocument {
    ForestPlot.render(forestData(try analyses(cohorts, settings: settings), cohorts: cohorts, title: title), options: options)
  }

  /// The forest plot of a three-level analysis, cohorts grouped under their cluster
  /// (`plot forest --cluster`).
  package static func forest(
    _ cohorts: CohortFile, settings: AnalysisSettings, clusters: ClusterColumn, title: String? = nil,
    options: ForestPlot.Options = .init()
  ) throws(MetaAnalysisError) -> SVGDocument {
    let a = try ProportionMetaAnalysis.analyze(
      studies: cohorts.studies, clusters: clusters.values, clusterName: clusters.name, settings: settings)
    let data = ForestPlotData(
      clustered: a, clusters: clusters.values, commonEffect: try commonEffect(cohorts, settings: settings),
      clusterColumn: clusters.name, title: title)
    return ForestPlot.render(data, options: options)
  }

  /// The forest plot's data from the analyses of `cohorts`.
  package static func forestData(_ a: Analyses, cohorts: CohortFile, title: String? = nil) -> ForestPlotData {
    if let s = a.subgrouped, let groups = cohorts.groups {
      return ForestPlotData(subgrouped: s, groups: groups, commonEffect: a.commonEffect, groupColumn: cohorts.byColumn, title: title)
    }
    return ForestPlotData(analysis: a.overall, commonEffect: a.commonEffect, title: title)
  }

  /// The funnel plot of all cohorts.
  ///
  /// - Throws: ``PlotError`` for simple pooling and GLMM (no inverse-variance fit).
  package static func funnel(
    _ cohorts: CohortFile, settings: AnalysisSettings, contourLevels: [Double] = [], nullProportion: Double = 0.5,
    title: String? = nil
  ) throws -> SVGDocument {
    let a = try ProportionMetaAnalysis.analyze(studies: cohorts.studies, settings: settings)
    return try funnel(a, contourLevels: contourLevels, nullProportion: nullProportion, title: title)
  }

  /// The funnel plot of an analysis.
  package static func funnel(
    _ a: ProportionAnalysis, contourLevels: [Double] = [], nullProportion: Double = 0.5, title: String? = nil
  ) throws(PlotError) -> SVGDocument {
    guard let data = FunnelPlotData(analysis: a, contourLevels: contourLevels, nullProportion: nullProportion, title: title) else {
      throw PlotError(description: "a funnel plot needs an inverse-variance model (method EE, DL, HE, HS, SJ, ML, REML, EB or PM); method \(a.settings.method.rawValue) has no yi/vi fit")
    }
    return FunnelPlot.render(data)
  }
}
