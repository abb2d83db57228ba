// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPlots

extension PlotPipeline {
  /// `plot compare-forest`: the forest plot of a two-arm comparison with both arms' counts
  /// (subgroup blocks when the file was read with a `by` column); for a random-effects method
  /// the inverse-variance common-effect (EE) diamond is drawn above the method's, as `plot forest`.
  package static func compareForest(
    _ data: TwoArmFile, settings: ComparisonSettings, treatLabel: String = "Treatment", controlLabel: String = "Control",
    title: String? = nil
  ) throws(MetaAnalysisError) -> SVGDocument {
    let overall = try ComparisonAnalysis(studies: data.studies, settings: settings)
    var common: ComparisonAnalysis? = nil
    if let tau = settings.method.tauSquaredMethod, tau != .EE {
      var ee = settings
      ee.method = .EE
      common = try ComparisonAnalysis(studies: data.studies, settings: ee)
    }
    var subgroups: [ComparisonForestPlotData.SubgroupFit]? = nil
    if let groups = data.groups {
      var order: [String] = []
      var members: [String: [Int]] = [:]
      for (i, g) in groups.enumerated() {
        if members[g] == nil { order.append(g) }
        members[g, default: []].append(i)
      }
      subgroups = []
      for g in order {
        let idx = members[g]!
        let a = try ComparisonAnalysis(studies: idx.map { data.studies[$0] }, settings: settings)
        subgroups!.append(.init(name: g, analysis: a, members: idx))
      }
    }
    let plot = ComparisonForestPlotData(
      analysis: overall, commonEffect: common, subgroups: subgroups, groupColumn: data.byColumn, treatLabel: treatLabel,
      controlLabel: controlLabel, title: title)
    return ComparisonForestPlot.render(plot)
  }

  /// `plot compare-funnel`: the funnel plot of a two-arm comparison; with `trimAndFill`
  /// (inverse-variance methods), the imputed trials and the adjusted estimate.
  package static func compareFunnel(
    _ data: TwoArmFile, settings: ComparisonSettings, contourLevels: [Double] = [], trimAndFill: Bool = false,
    title: String? = nil
  ) throws -> SVGDocument {
    let a = try ComparisonAnalysis(studies: data.studies, settings: settings)
    guard trimAndFill else { return FunnelPlot.render(FunnelPlotData(comparison: a, contourLevels: contourLevels, title: title)) }
    guard let tf = try a.trimAndFill() else {
      throw PlotError(description: "--trim-and-fill needs an inverse-variance method (EE, DL, HE, HS, SJ, ML, REML, EB or PM): trimfill() is not defined for rma.mh, rma.peto or rma.glmm in metafor")
    }
    let imputed = FunnelPlotData.Point.filled(tf)
    var plot = FunnelPlotData(
      comparison: a, contourLevels: contourLevels, imputed: imputed, adjustedEstimate: tf.k0 > 0 ? tf.estimate : nil, title: title)
    let note = "trim-and-fill (\(tf.estimator.rawValue), \(tf.side.rawValue) side): \(tf.k0) trial(s) imputed"
    plot.footnote = plot.footnote.map { "\($0); \(note)" } ?? note
    return FunnelPlot.render(plot)
  }
}
