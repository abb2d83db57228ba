// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

extension ForestPlotData {
  /// The forest plot of a three-level analysis (`--cluster`): one block per cluster (trial), in
  /// order of first appearance, titled `<column> = <cluster>`, holding its cohorts with their
  /// three-level weights (row sums of V⁻¹); then the three-level diamond, its prediction interval
  /// (σ²_trial + σ²_cohort) and the total I². Clusters get no diamonds of their own: the model
  /// pools the cohorts, not per-trial estimates.
  package init(
    clustered a: ProportionAnalysis, clusters: [String], commonEffect: CommonEffect?,
    clusterColumn: String, title: String? = nil
  ) {
    let rows = a.studies.map(Self.row)
    let structure = ClusterStructure(clusters: clusters)
    let blocks = (0..<structure.count).map { c in
      Block(
        title: "\(clusterColumn) = \(structure.labels[c])",
        rows: structure.order[structure.offsets[c]..<structure.offsets[c + 1]].map { rows[$0] })
    }
    var footnote = Self.footnote(a.settings)
    if let fit = a.multilevel {
      footnote += "; three-level model, cohorts in \(clusterColumn) (sigma^2 \(clusterColumn) = \(PlotFormat.fixed(fit.levels[0].sigma2, 4)), cohort = \(PlotFormat.fixed(fit.levels[1].sigma2, 4)))"
    }
    self.init(
      title: title, blocks: blocks, overall: Self.overallSummaries(a, commonEffect: commonEffect),
      predictionInterval: Self.predictionInterval(a), heterogeneity: Self.heterogeneity(a),
      levelPercent: a.settings.level.percent, footnote: footnote,
      referenceLine: a.pooled.proportion.isFinite ? a.pooled.proportion : nil)
  }
}
