// SPDX-License-Identifier: GPL-3.0-or-later

/// Which columns of a cohort file hold the events, the sizes, the labels and (optionally) the
/// subgroup and an ORR percentage. Unset names are found by their common aliases.
public struct ColumnSelection: Sendable, Hashable {
  /// Responders column (aliases: ``eventAliases``).
  public var events: String?
  /// Cohort size column (aliases: ``totalAliases``).
  public var total: String?
  /// Label column (aliases: ``labelAliases``, first present wins; else "row N").
  public var label: String?
  /// Subgroup column (`--by`).
  public var by: String?
  /// An ORR-percentage column to derive events from, used only when given explicitly.
  public var orrPercent: String?
  /// Rows left out (`--exclude`, `--where`).
  public var filter: RowFilter
  /// The cluster (trial) column of a three-level model (`--cluster`; batch key `cluster`).
  public var cluster: String? = nil

  /// Creates a selection.
  public init(
    events: String? = nil, total: String? = nil, label: String? = nil, by: String? = nil, orrPercent: String? = nil,
    filter: RowFilter = .init()
  ) {
    self.filter = filter
    self.events = events
    self.total = total
    self.label = label
    self.by = by
    self.orrPercent = orrPercent
  }

  /// Accepted names for the responders column (case-insensitive). More than one present is an error.
  public static let eventAliases = ["events", "responders", "x", "xi", "event", "responses", "r"]
  /// Accepted names for the cohort-size column. More than one present is an error.
  public static let totalAliases = ["n", "total", "patients", "ni", "size", "sample_size"]
  /// Accepted names for the label column, in order of preference.
  public static let labelAliases = ["label", "study", "study_id", "cohort", "name", "trial", "id"]
}
