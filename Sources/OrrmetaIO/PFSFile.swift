// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Which columns of a cohort CSV hold the medians, their weights, the labels and (optionally)
/// the subgroups.
package struct PFSColumnSelection: Sendable, Hashable {
  /// The median column (default `median_pfs_months`).
  package var value: String
  /// The weight column; nil means the cohort-size column (``ColumnSelection/totalAliases``).
  package var weights: String?
  /// The label column; nil means the first of ``ColumnSelection/labelAliases``, else "row N".
  package var label: String?
  /// The subgroup column (`--by`).
  package var by: String?

  /// The default median column.
  package static let defaultValueColumn = "median_pfs_months"

  /// Creates a selection.
  /// Rows left out (`--exclude`, `--where`).
  package var filter = RowFilter()

  package init(value: String = PFSColumnSelection.defaultValueColumn, weights: String? = nil, label: String? = nil, by: String? = nil) {
    self.value = value; self.weights = weights; self.label = label; self.by = by
  }
}

/// One cohort's row for a weighted median.
package struct PFSCohort: Sendable, Hashable {
  /// The label.
  package var label: String
  /// The line in the file.
  package var line: Int
  /// The median cell.
  package var median: MedianCell
  /// The weight (nil only for cohorts without a median whose weight cell is empty).
  package var weight: Double?
  /// The subgroup level, when a `by` column was selected.
  package var group: String?
}

/// A cohort file read for a weighted median of cohort medians (`orrmeta pfs`): every row, with
/// its median or the reason it has none.
package struct PFSFile: Sendable {
  /// The file as given.
  package let file: String
  /// The columns used (as spelled in the header).
  package let valueColumn: String
  package let weightsColumn: String
  package let labelColumn: String?
  package let byColumn: String?
  /// Every row, in file order.
  package let cohorts: [PFSCohort]
  /// Warnings from reading (duplicate labels, skipped blank lines).
  package let warnings: [String]
  /// The row filters applied, as flags; empty when none.
  package var filters: [String] = []

  /// Validates a parsed table.
  ///
  /// Rules: unique non-empty column names (case-insensitive); the median and weight columns
  /// present; every row with as many fields as the header; a median is a number ≥ 0 or empty,
  /// `NR` (not reached) or `NA` (not reported) (``MedianCell``); a cohort with a median needs a
  /// positive, finite weight; the `by` column may not be empty.
  package static func load(table unfiltered: CSVTable, columns: PFSColumnSelection) throws(InputError) -> PFSFile {
    let file = unfiltered.file
    let pfsHeader = try HeaderColumns(unfiltered)
    let header = pfsHeader.names
    func index(_ name: String, role: String, flag: String) throws(InputError) -> Int {
      try pfsHeader.index(name, role: role, flag: flag)
    }
    let valueIndex = try index(columns.value, role: "the medians", flag: "--value-column")
    let weightIndex: Int
    if let w = columns.weights {
      weightIndex = try index(w, role: "the weights", flag: "--weights")
    } else {
      weightIndex = try pfsHeader.alias(ColumnSelection.totalAliases, role: "weight", described: "a cohort-size column", flag: "--weights", required: true)!
    }
    let labelIndex = try pfsHeader.labelIndex(columns.label)
    let byIndex: Int? = try columns.by.map { (b: String) throws(InputError) -> Int in try index(b, role: "the subgroups", flag: "--by") }
    // --exclude and --where, as for the cohort files (CohortFile.load).
    let table = try columns.filter.apply(to: unfiltered) { r in
      let record = unfiltered.records[r]
      let l = labelIndex.flatMap { record.indices.contains($0) ? record[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
      return l.isEmpty ? "row \(r + 1)" : l
    }

    if table.records.isEmpty {
      throw .malformed(file: file, line: nil, reason: "the file has a header but no cohort rows; expected at least one row")
    }
    var cohorts: [PFSCohort] = []
    var warnings: [String] = []
    var labelsSeen: [String: Int] = [:]
    for (r, record) in table.records.enumerated() {
      let line = table.lines[r]
      guard record.count == header.count else {
        throw .ragged(file: file, line: line, fields: record.count, expected: header.count)
      }
      let median = try MedianCell.parse(record[valueIndex], file: file, line: line, column: header[valueIndex])
      let weightText = record[weightIndex].trimmingCharacters(in: .whitespaces)
      var weight: Double? = nil
      if case .value = median {
        weight = try parseWeight(record[weightIndex], file: file, line: line, column: header[weightIndex])
      } else if !weightText.isEmpty {
        weight = try? parseWeight(record[weightIndex], file: file, line: line, column: header[weightIndex])
      }
      var label = labelIndex.map { record[$0].trimmingCharacters(in: .whitespaces) } ?? ""
      if label.isEmpty { label = "row \(r + 1)" }
      if let first = labelsSeen[label] {
        warnings.append("duplicate label '\(label)' on lines \(first) and \(line)")
      } else {
        labelsSeen[label] = line
      }
      var group: String? = nil
      if let b = byIndex {
        let g = record[b].trimmingCharacters(in: .whitespaces)
        if g.isEmpty {
          throw .cell(file: file, line: line, column: header[b], value: record[b], expected: "a subgroup value (the --by column may not be empty)")
        }
        group = g
      }
      cohorts.append(PFSCohort(label: label, line: line, median: median, weight: weight, group: group))
    }
    if !table.skippedBlankLines.isEmpty {
      warnings.append("skipped \(table.skippedBlankLines.count) blank line(s): \(table.skippedBlankLines.prefix(10).map(String.init).joined(separator: ", "))")
    }
    return PFSFile(
      file: file, valueColumn: header[valueIndex], weightsColumn: header[weightIndex],
      labelColumn: labelIndex.map { header[$0] }, byColumn: byIndex.map { header[$0] }, cohorts: cohorts,
      warnings: warnings, filters: columns.filter.descriptions)
  }

  /// Parses a positive, finite weight written in decimal digits (a cohort size, or any positive
  /// number).
  static func parseWeight(_ raw: String, file: String, line: Int, column: String) throws(InputError) -> Double {
    let text = raw.trimmingCharacters(in: .whitespaces)
    let expected = "a positive weight written in decimal digits (the cohort's number of patients)"
    guard !text.isEmpty else {
      throw .cell(file: file, line: line, column: column, value: raw, expected: expected + " (the cell is empty, but the cohort has a median)")
    }
    var body = Substring(text)
    if body.first == "+" { body = body.dropFirst() }
    let digits = !body.isEmpty && body.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." }
      && body.filter({ $0 == "." }).count <= 1 && body != "."
    guard digits, let w = Double(body), w.isFinite, w > 0 else {
      var hint = ""
      if text.hasPrefix("-") { hint = " (negative weights are impossible)" }
      else if Double(body) == 0 { hint = " (a weight of 0 would leave the cohort out: remove its median instead)" }
      else if text.contains(",") { hint = " (remove thousands separators)" }
      throw .cell(file: file, line: line, column: column, value: raw, expected: expected + hint)
    }
    return w
  }
}
