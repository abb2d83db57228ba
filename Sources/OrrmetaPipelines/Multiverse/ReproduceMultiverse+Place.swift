// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

extension ReproduceMultiverse {
  /// Fits the multiverse of `cohorts` and places the whole-table proportion of `published`;
  /// nil when the publication reports none.
  package static func place(_ published: PublishedFigures, cohorts: CohortFile, threads: Int = availableProcessorCount()) -> ReproduceMultiverse? {
    guard let p = published.proportions.first(where: { $0.cohortColumn == nil && $0.partitionOf == nil }) else { return nil }
    let reference = p.reported.percent.value / 100
    var choices = MultiverseChoices()
    choices.level = p.reported.level
    let clusters = try? ClusterColumn(cohorts, named: "trial")
    let m = MultiversePipeline.run(cohorts, choices: choices, clusters: clusters, reference: reference, threads: threads)
    let s = m.summary
    return ReproduceMultiverse(
      figure: p.name, published: reference, specifications: s.specifications, proportion_min: s.proportion_min,
      proportion_median: s.proportion_median, proportion_max: s.proportion_max, reference_in_ci: s.reference_in_ci,
      reference_in_ci_share: s.reference_in_ci_share, reference_percentile: s.reference_percentile, flags: m.flags)
  }
}
