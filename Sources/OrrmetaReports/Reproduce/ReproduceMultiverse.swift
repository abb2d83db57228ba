// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// Where a published pooled proportion sits in the multiverse of the sourced table
/// (`orrmeta reproduce`): the default multiverse (three-level included when the table has a
/// `trial` column) with the published figure as the reference.
package struct ReproduceMultiverse: Encodable, Sendable {
  package init(figure: String, published: Double, specifications: Int, proportion_min: Double?, proportion_median: Double?, proportion_max: Double?, reference_in_ci: Int?, reference_in_ci_share: Double?, reference_percentile: Double?, flags: [MultiverseReport.Flag]) {
    self.figure = figure; self.published = published; self.specifications = specifications
    self.proportion_min = proportion_min; self.proportion_median = proportion_median; self.proportion_max = proportion_max
    self.reference_in_ci = reference_in_ci; self.reference_in_ci_share = reference_in_ci_share
    self.reference_percentile = reference_percentile; self.flags = flags
  }


  /// The published figure placed (the first whole-table proportion of published.toml).
  package var figure: String
  /// The published value as a proportion.
  package var published: Double
  package var specifications: Int
  package var proportion_min: Double?
  package var proportion_median: Double?
  package var proportion_max: Double?
  /// How many CIs contain the published value, and their share.
  package var reference_in_ci: Int?
  package var reference_in_ci_share: Double?
  /// The share of estimates below the published value.
  package var reference_percentile: Double?
  /// The flags' codes and messages, as in `orrmeta multiverse`.
  package var flags: [MultiverseReport.Flag]

  /// The text report's paragraph.
  package var text: String {
    var out = "\nMultiverse (orrmeta multiverse, \(specifications) specifications on the sourced table)\n"
    out += "  published \(figure) \(Fmt.pct(published)): \(Fmt.pct(reference_percentile)) of the estimates lie below it;"
    out += " inside \(reference_in_ci.map(String.init) ?? "NA") of \(specifications) CIs; estimates \(Fmt.pct(proportion_min)) - \(Fmt.pct(proportion_max)) (median \(Fmt.pct(proportion_median)))\n"
    for f in flags { out += "  [\(f.code)] \(f.message)\n" }
    return out
  }
}
