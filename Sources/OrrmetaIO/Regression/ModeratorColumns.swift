// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// Reads the moderators of a meta-regression from columns of a cohort file (`--mods`).
///
/// A column is **categorical** when it is named in `categorical` (`--categorical`) or when no
/// cell is a decimal number; **continuous** when every cell is one. A column mixing numbers and
/// other text is an error naming the first cell that is not a number (a typo such as `2 mg`
/// must not silently turn a dose into categories), unless `--categorical` names it. Categorical levels are sorted
/// by Unicode code points and the first is the reference (R's `factor` under `LC_ALL=C`, with
/// treatment contrasts). A missing cell (empty, NA, N/A, NaN, null or ".") is an error naming
/// the file, line and column: cohorts are never dropped silently.
public enum ModeratorColumns {
  /// A moderator and how it was read (JSON: an element of `moderators`).
  public struct Column: NullPreservingEncodable, Sendable {
    /// The column name, as in the header.
    public var name: String
    /// "continuous" or "categorical".
    public var type: String
    /// The levels of a categorical moderator, reference first (null for continuous).
    public var levels: [String]?
    /// The reference level (null for continuous).
    public var reference: String?
  }

  /// Reads the moderators.
  ///
  /// - Parameters:
  ///   - cohorts: the cohort file (its `table` holds every column).
  ///   - columns: the moderator columns, in order.
  ///   - categorical: columns to treat as categorical even when numeric.
  /// - Throws: ``InputError`` when a column is missing, a cell is missing, a categorical
  ///   moderator has a single level or a continuous one is constant.
  public static func read(
    _ cohorts: CohortFile, columns: [String], categorical: [String] = []
  ) throws(InputError) -> (moderators: [Moderator], columns: [Column]) {
    let forced = Set(categorical.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    var moderators: [Moderator] = []
    var described: [Column] = []
    for wanted in columns {
      let c = try TableColumn(cohorts, named: wanted, role: "a moderator (--mods)")
      try c.requireComplete("a moderator value")
      if !forced.contains(c.name.lowercased()), let x = c.numbers {
        if let first = x.first, x.allSatisfy({ $0 == first }) {
          throw .header(
            file: c.file,
            reason: "moderator column '\(c.name)' has the same value (\(c.values[0])) for every cohort; a constant moderator cannot be estimated next to the intercept")
        }
        moderators.append(.continuous(name: c.name, values: x))
        described.append(Column(name: c.name, type: "continuous", levels: nil, reference: nil))
      } else {
        // Mostly numbers with a stray cell ('-', 'Inf', '2 mg', '2,5') is a typo, not categories:
        // without --categorical it is an error naming the cell.
        if !forced.contains(c.name.lowercased()), c.values.contains(where: { TableColumn.decimal($0) != nil }),
          let bad = c.values.indices.first(where: { TableColumn.decimal(c.values[$0]) == nil })
        {
          throw .cell(
            file: c.file, line: c.lines[bad], column: c.name, value: c.values[bad],
            expected: "a finite decimal number like the other cells of this moderator (or --categorical \(c.name) to treat every value as a category)")
        }
        let levels = Array(Set(c.values)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        guard levels.count >= 2 else {
          throw .header(
            file: c.file,
            reason: "moderator column '\(c.name)' has a single level ('\(levels.first ?? "")'); a categorical moderator needs at least two")
        }
        moderators.append(.categorical(name: c.name, values: c.values, levels: levels))
        described.append(Column(name: c.name, type: "categorical", levels: levels, reference: levels[0]))
      }
    }
    return (moderators, described)
  }
}
