// SPDX-License-Identifier: GPL-3.0-or-later

/// Where a report's rows came from, the keys that the `input` blocks of `pool` (and of the
/// commands that reuse its block: `sensitivity`, `regress`, `multiverse`) and `pfs` share:
/// `file`, `label_column`, `by_column` and `filters`. Each block holds one next to its own
/// column keys and writes it flat (``WithGroup``), so `input.file` is `input.group.file`.
package struct InputSource: Encodable, Sendable {
  package var file: String
  package var label_column: String?
  package var by_column: String?
  /// The row filters applied (`--exclude LABEL`, `--where COL=VALUE`); empty when none.
  package var filters: [String]

  package init(file: String, label_column: String? = nil, by_column: String? = nil, filters: [String] = []) {
    self.file = file; self.label_column = label_column; self.by_column = by_column; self.filters = filters
  }

  /// "Row filters: A, B": how every output echoes the row filters; nil without filters.
  package static func rowFilters(_ filters: [String]) -> String? {
    filters.isEmpty ? nil : "Row filters: " + filters.joined(separator: ", ")
  }
}

extension WithGroup where Group == InputSource {
  /// The line that text reports print after the file line (with its newline); nil without filters.
  package var filtersLine: String? {
    InputSource.rowFilters(group.filters).map { $0 + "\n" }
  }
}
