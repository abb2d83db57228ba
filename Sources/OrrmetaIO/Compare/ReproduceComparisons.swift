// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

extension ReproducePipeline {
  /// The `[[comparison]]` tables of the published file, computed on the sourced cohort table
  /// by the `orrmeta compare` pipeline (long layout).
  static func comparisons(_ cohorts: CohortFile, _ published: PublishedFigures) throws -> [ReproduceReport.ComparisonRow] {
    try published.comparisons.map { c in
      let data = try TwoArmFile.long(
        table: cohorts.table,
        columns: TwoArmColumns(arm: c.armColumn, trial: c.trialColumn, treat: c.treat, control: c.control))
      let settings = ComparisonSettings(measure: ComparisonMeasure(rawValue: c.measure)!, method: ComparisonMethod(rawValue: c.method)!)
      let r = try ComparePipeline.run(data, settings: settings)
      return ReproduceReport.ComparisonRow(
        name: c.name, label: c.label, measure: c.measure, method: c.method, trials: data.studies.map(\.label), k: r.k,
        pooled: r.pooled, model: r.model, heterogeneity: r.heterogeneity)
    }
  }
}
