// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO

/// The values of the column flags (``ColumnFlags``, with its ``LabelColumnOption`` and
/// ``RowFilterOptions``) as plain data: what `pool`'s table-driven parser fills
/// (``PoolRequest``) without argument-parser's property wrappers.
struct ColumnChoices: Equatable, Sendable {
  var events: String?
  var total: String?
  var label: String?
  var orr: String?
  var by: String?
  /// `--exclude` and `--where` as given.
  var exclude: [String] = []
  var conditions: [String] = []

  /// The checks of ``RowFilterOptions/validate()``.
  func validate() throws { _ = try RowFilterOptions.parsedConditions(conditions) }

  var selection: ColumnSelection {
    ColumnSelection(
      events: events, total: total, label: label, by: by, orrPercent: orr,
      filter: RowFilterOptions.filter(exclude: exclude, conditions: conditions))
  }
}
