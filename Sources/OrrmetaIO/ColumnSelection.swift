// SPDX-License-Identifier: GPL-3.0-or-later

/// Which columns of a cohort file hold the events, the sizes, the labels and (optionally) the
/// subgroup and an ORR percentage. Unset names are found by their common aliases.
package struct ColumnSelection: Sendable, Hashable {
  /// Responders column (aliases: ``eventAliases``).
  package var events: String?
  /// Cohort size column (aliases: ``totalAliases``).
  package var total: String?
  /// Label column (aliases: ``labelAliases``, first present wins; else "row N").
  package var label: String?
  /// Subgroup column (`--by`).
  package var by: String?
  /// An ORR-percentage column to derive events from, used only when given explicitly.
  package var orrPercent: String?
  /// Rows left out (`--exclude`, `--where`).
  package var filter: RowFilter
  /// The cluster (trial) column of a three-level model (`--cluster`; batch key `cluster`).
  package var cluster: String? = nil

  /// Creates a selection.
  package init(
    events: String? = nil, total: String? = nil, label: String? = nil, by: String? = nil, orrPercent: String? = nil,
    filter: RowFilter = .init()
  ) {
    self.filter = filter; self.events = events; self.total = total; self.label = label; self.by = by
    self.orrPercent = orrPercent
  }

  /// Accepted names for the responders column (case-insensitive). More than one present is an error.
  package static let eventAliases = ["events", "responders", "x", "xi", "event", "responses", "r"]
  /// Accepted names for the cohort-size column. More than one present is an error.
  package static let totalAliases = ["n", "total", "patients", "ni", "size", "sample_size"]
  /// Accepted names for the label column, in order of preference.
  package static let labelAliases = ["label", "study", "study_id", "cohort", "name", "trial", "id"]
}
