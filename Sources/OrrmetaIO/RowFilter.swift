// SPDX-License-Identifier: GPL-3.0-or-later

/// Rows to leave out of a cohort file before the analysis, for prespecified sensitivity
/// analyses: `--exclude LABEL…` (cohorts by label) and `--where COL=VALUE` / `COL!=VALUE`
/// (rows by a column's value; several conditions must all hold).
///
/// Values are compared as text, after trimming spaces, case-sensitively (`line=naive`). A label
/// or a value that matches no row is an error naming it (a misspelt exclusion must not pass
/// silently), as is a filter that leaves no row. Every output echoes ``descriptions``.
package struct RowFilter: Sendable, Hashable {
  /// One `--where` condition.
  package struct Condition: Sendable, Hashable {
    package var column: String
    package var value: String
    /// `!=` instead of `=`.
    package var negated: Bool

    /// Parses `COL=VALUE` or `COL!=VALUE`; nil when there is no `=` or no column name.
    package init?(_ text: String) {
      guard let eq = text.firstIndex(of: "=") else { return nil }
      var column = text[..<eq]
      negated = column.hasSuffix("!")
      if negated { column = column.dropLast() }
      self.column = column.trimmingCharacters(in: .whitespaces)
      value = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
      if self.column.isEmpty { return nil }
    }

    /// As given on the command line, normalised: `line=naive`.
    package var description: String { "\(column)\(negated ? "!=" : "=")\(value)" }
  }

  /// Labels of the cohorts to leave out.
  package var exclude: [String]
  /// Conditions every kept row meets.
  package var conditions: [Condition]

  package init(exclude: [String] = [], conditions: [Condition] = []) {
    self.exclude = exclude; self.conditions = conditions
  }

  /// No filter.
  package var isEmpty: Bool { exclude.isEmpty && conditions.isEmpty }

  /// The filters as flags, for the settings of every output (`--exclude A`, `--where line=naive`).
  package var descriptions: [String] {
    exclude.map { "--exclude \($0)" } + conditions.map { "--where \($0.description)" }
  }

  /// The rows of `table` the filter keeps.
  ///
  /// - Parameter label: each row's label, as the analysis names it.
  /// - Throws: ``InputError/header(file:reason:)`` for a column that does not exist, a value no
  ///   row has, a label no cohort has, or when no row is left.
  package func apply(to table: CSVTable, label: (Int) -> String) throws(InputError) -> CSVTable {
    if isEmpty { return table }
    let header = try HeaderColumns(table)
    var keep = Array(repeating: true, count: table.records.count)
    for c in conditions {
      let column = try header.index(c.column, " for --where \(c.description)")
      let values = table.records.map { $0.indices.contains(column) ? $0[column].trimmingCharacters(in: .whitespaces) : "" }
      guard values.contains(c.value) else {
        let distinct = Array(Set(values)).sorted().prefix(20).map { "'\(InputError.shorten($0))'" }.joined(separator: ", ")
        throw .header(file: table.file, reason: "--where \(c.description): no row has '\(InputError.shorten(c.value))' in column '\(header.names[column])'; its values are: \(distinct)")
      }
      for (r, v) in values.enumerated() where (v == c.value) == c.negated { keep[r] = false }
    }
    let labels = table.records.indices.map(label)
    for name in exclude {
      let wanted = name.trimmingCharacters(in: .whitespaces)
      let rows = labels.indices.filter { labels[$0] == wanted }
      guard !rows.isEmpty else {
        let known = labels.prefix(20).map { "'\(InputError.shorten($0))'" }.joined(separator: ", ")
        throw .header(file: table.file, reason: "--exclude \(InputError.shorten(name)): no cohort has this label; the labels are: \(known)\(labels.count > 20 ? ", ..." : "")")
      }
      for r in rows { keep[r] = false }
    }
    guard keep.contains(true) else {
      throw .header(file: table.file, reason: "\(descriptions.joined(separator: " ")) leave(s) no cohort of the \(table.records.count) in the file; expected at least one")
    }
    let kept = keep.indices.filter { keep[$0] }
    return CSVTable(
      file: table.file, header: table.header, records: kept.map { table.records[$0] }, lines: kept.map { table.lines[$0] },
      skippedBlankLines: table.skippedBlankLines)
  }
}
