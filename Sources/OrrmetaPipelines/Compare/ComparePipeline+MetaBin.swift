// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

extension ComparePipeline {
  /// `--profile meta`: R meta's `metabin` (``MetaBinAnalysis``) overall and in each `--by`
  /// level (each level its own τ², as meta's `tau.common = FALSE`). The case-deletion and
  /// bias analyses are not available under this profile yet.
  static func runMetaBin(_ data: TwoArmFile, settings: ComparisonSettings) throws(MetaAnalysisError) -> CompareReport {
    let overall = try MetaBinAnalysis(studies: data.studies, settings: settings)
    let b = CompareReport.blocks(overall, studies: data.studies, lines: data.lines)
    var subgroups: [CompareReport.Subgroup]? = nil
    if let groups = data.groups {
      subgroups = []
      for (g, idx) in levels(groups) {
        let studies = idx.map { data.studies[$0] }
        let a = try MetaBinAnalysis(studies: studies, settings: settings)
        let sb = CompareReport.blocks(a, studies: studies, lines: idx.map { data.lines[$0] })
        subgroups!.append(CompareReport.Subgroup(
          name: g, k: a.k, model: sb.model, pooled: sb.pooled, common: sb.common, heterogeneity: sb.heterogeneity,
          tests: sb.tests, trials: sb.trials, warnings: a.warnings.map(\.description)))
      }
    }
    return CompareReport(
      orrmeta_version: OrrmetaVersion.current,
      input: .init(file: data.file, layout: data.layout, columns: data.columns, by_column: data.byColumn),
      settings: CompareReport.settings(overall), k: overall.k, model: b.model, pooled: b.pooled, common: b.common,
      heterogeneity: b.heterogeneity, tests: b.tests, trials: b.trials, subgroups: subgroups,
      warnings: data.warnings + overall.warnings.map(\.description))
  }
}
