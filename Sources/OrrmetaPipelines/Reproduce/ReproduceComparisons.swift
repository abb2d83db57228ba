// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

extension ReproducePipeline {
  /// The `[[comparison]]` tables of the published file, computed on the sourced cohort table
  /// by the `orrmeta compare` pipeline (long layout).
  /// With row filters (`--exclude`, `--where`) a comparison whose arms the filters removed is
  /// left out with a warning; without filters that is an error.
  static func comparisons(
    _ cohorts: CohortFile, _ published: PublishedFigures, warnings: inout [String]
  ) throws -> [ReproduceReport.ComparisonRow] {
    var rows: [ReproduceReport.ComparisonRow] = []
    for c in published.comparisons {
      var paired: TwoArmFile? = nil
      do {
        paired = try TwoArmFile.long(
          table: cohorts.table,
          columns: TwoArmColumns(arm: c.armColumn, trial: c.trialColumn, treat: c.treat, control: c.control))
      } catch {
        if cohorts.filters.isEmpty { throw error }
        warnings.append("comparison '\(c.name)' left out: the row filters leave no pair of arms (\(error))")
      }
      guard let data = paired else { continue }
      let settings = ComparisonSettings(measure: c.measure, method: c.method)
      let r = try ComparePipeline.run(data, settings: settings)
      rows.append(ReproduceReport.ComparisonRow(
        name: c.name, label: c.label, measure: c.measure.rawValue, method: c.method.rawValue, trials: data.studies.map(\.label), k: r.k,
        pooled: r.pooled, model: r.model, heterogeneity: r.heterogeneity))
    }
    return rows
  }
}
