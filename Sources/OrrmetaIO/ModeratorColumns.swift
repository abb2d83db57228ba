// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// Reads the moderators of a meta-regression from columns of a cohort file (`--mods`).
///
/// A column is **categorical** when it is named in `categorical` (`--categorical`) or when any
/// cell is not a decimal number; otherwise it is **continuous**. A column that mixes numbers
/// with text (a typo such as `2 mg` in a dose, or a real code such as `chemo` among TKI
/// generations) is categorical with a warning naming the first cell that is not a number
/// (``mixedColumnWarnings(_:columns:)``), never silently. Categorical levels are sorted
/// by Unicode code points and the first is the reference (R's `factor` under `LC_ALL=C`, with
/// treatment contrasts). A missing cell (empty, NA, N/A, NaN, null or ".") is an error naming
/// the file, line and column: cohorts are never dropped silently.
package enum ModeratorColumns {
  /// A moderator and how it was read (in the reports: an element of `moderators`, encoded by
  /// `OrrmetaReports`).
  package struct Column: Sendable, Hashable {
    /// The column name, as in the header.
    package var name: String
    /// "continuous" or "categorical".
    package var type: String
    /// The levels of a categorical moderator, reference first (nil for continuous).
    package var levels: [String]?
    /// The reference level (nil for continuous).
    package var reference: String?
  }

  /// Reads the moderators.
  ///
  /// - Parameters:
  ///   - cohorts: the cohort file (its `table` holds every column).
  ///   - columns: the moderator columns, in order.
  ///   - categorical: columns to treat as categorical even when numeric.
  ///   - references: reference levels (`--reference`): `COLUMN=LEVEL`, or `LEVEL` alone when
  ///     exactly one categorical moderator has it. Default: the first level.
  /// - Throws: ``InputError`` when a column is missing, a cell is missing, a categorical
  ///   moderator has a single level or a continuous one is constant, or a reference names no
  ///   categorical moderator's level.
  package static func read(
    _ cohorts: CohortFile, columns: [String], categorical: [String] = [], references: [String] = []
  ) throws(InputError) -> (moderators: [Moderator], columns: [Column]) {
    try read(cohorts.table, rows: nil, columns: columns, categorical: categorical, references: references)
  }

  /// Reads the moderators of the given rows of a table (all rows when nil), e.g. the cohorts
  /// an inverse-variance pooling of medians used.
  package static func read(
    _ table: CSVTable, rows: [Int]?, columns: [String], categorical: [String] = [], references: [String] = []
  ) throws(InputError) -> (moderators: [Moderator], columns: [Column]) {
    let forced = Set(categorical.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    var moderators: [Moderator] = []
    var described: [Column] = []
    for wanted in columns {
      let c = try TableColumn(table, named: wanted, role: "a moderator (--mods)", rows: rows)
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
    for r in references {
      try setReference(r, moderators: &moderators, described: &described, file: table.file)
    }
    return (moderators, described)
  }

  /// Moves the level named by `--reference` to the front of its moderator's levels.
  static func setReference(_ text: String, moderators: inout [Moderator], described: inout [Column], file: String) throws(InputError) {
    var column: String? = nil
    var level = text.trimmingCharacters(in: .whitespaces)
    if let eq = text.firstIndex(of: "=") {
      column = text[..<eq].trimmingCharacters(in: .whitespaces)
      level = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
    }
    let candidates = described.indices.filter { i in
      guard let levels = described[i].levels else { return false }
      return (column.map { described[i].name.lowercased() == $0.lowercased() } ?? true) && levels.contains(level)
    }
    let categorical = described.filter { $0.levels != nil }
      .map { "\($0.name) (\($0.levels!.joined(separator: ", ")))" }.joined(separator: "; ")
    guard candidates.count == 1, let i = candidates.first, var levels = described[i].levels else {
      let reason = candidates.count > 1
        ? "--reference \(text): several categorical moderators have the level '\(level)'; write COLUMN=LEVEL"
        : "--reference \(text): no categorical moderator has the level '\(level)'\(column.map { " in column '\($0)'" } ?? ""); the categorical moderators and their levels are: \(categorical.isEmpty ? "none" : categorical)"
      throw .header(file: file, reason: reason)
    }
    levels.removeAll { $0 == level }
    levels.insert(level, at: 0)
    described[i].levels = levels
    described[i].reference = level
    if case let .categorical(name, values, _) = moderators[i] {
      moderators[i] = .categorical(name: name, values: values, levels: levels)
    }
  }

  /// A warning for each categorical moderator that mixes numbers with text, naming the first
  /// cell that is not a number.
  package static func mixedColumnWarnings(_ cohorts: CohortFile, columns: [Column]) -> [String] {
    var out: [String] = []
    for described in columns where described.type == "categorical" {
      guard let c = try? TableColumn(cohorts, named: described.name, role: "a moderator (--mods)") else { continue }
      let numeric = c.values.filter { TableColumn.decimal($0) != nil }.count
      guard numeric > 0, let bad = c.values.indices.first(where: { TableColumn.decimal(c.values[$0]) == nil }) else { continue }
      out.append(
        "moderator '\(InputError.shorten(c.name))' is treated as categorical although \(numeric) of its \(c.values.count) values are numbers: line \(c.lines[bad]) has '\(InputError.shorten(c.values[bad]))'; if it is meant to be numeric, correct that cell ('2 mg', '2,5', '-' and 'Inf' are not numbers)")
    }
    return out
  }
}
