// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// Where a published pooled proportion sits in the multiverse of the sourced table
/// (`orrmeta reproduce`): the default multiverse (three-level included when the table has a
/// `trial` column) with the published figure as the reference.
public struct ReproduceMultiverse: Encodable, Sendable {
  /// The published figure placed (the first whole-table proportion of published.toml).
  public var figure: String
  /// The published value as a proportion.
  public var published: Double
  public var specifications: Int
  public var proportion_min: Double?
  public var proportion_median: Double?
  public var proportion_max: Double?
  /// How many CIs contain the published value, and their share.
  public var reference_in_ci: Int?
  public var reference_in_ci_share: Double?
  /// The share of estimates below the published value.
  public var reference_percentile: Double?
  /// The flags' codes and messages, as in `orrmeta multiverse`.
  public var flags: [MultiverseReport.Flag]

  /// Fits the multiverse of `cohorts` and places the whole-table proportion of `published`;
  /// nil when the publication reports none.
  public static func place(_ published: PublishedFigures, cohorts: CohortFile, threads: Int = availableProcessorCount()) -> ReproduceMultiverse? {
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

  /// The text report's paragraph.
  public var text: String {
    var out = "\nMultiverse (orrmeta multiverse, \(specifications) specifications on the sourced table)\n"
    out += "  published \(figure) \(Fmt.pct(published)): \(Fmt.pct(reference_percentile)) of the estimates lie below it;"
    out += " inside \(reference_in_ci.map(String.init) ?? "NA") of \(specifications) CIs; estimates \(Fmt.pct(proportion_min)) - \(Fmt.pct(proportion_max)) (median \(Fmt.pct(proportion_median)))\n"
    for f in flags { out += "  [\(f.code)] \(f.message)\n" }
    return out
  }
}
