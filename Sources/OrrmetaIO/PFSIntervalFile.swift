// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// The four columns of one reported estimate with its confidence interval: the estimate, the
/// bounds and (optional) the interval's level.
package struct IntervalColumns: Sendable, Hashable {
  package var estimate: String
  package var lower: String
  package var upper: String
  /// Optional in the file; a missing column or empty cell means 95 %.
  package var level: String

  /// The columns of a median column: its name without a trailing `_months`, then `_ci_lower`,
  /// `_ci_upper`, `_ci_level` (`median_pfs_months` → `median_pfs_ci_lower`, …;
  /// `median_treat` → `median_treat_ci_lower`, …).
  package static func median(_ column: String) -> IntervalColumns {
    let stem = column.lowercased().hasSuffix("_months") ? String(column.dropLast("_months".count)) : column
    return IntervalColumns(estimate: column, lower: stem + "_ci_lower", upper: stem + "_ci_upper", level: stem + "_ci_level")
  }

  /// The hazard-ratio columns `hr`, `hr_ci_lower`, `hr_ci_upper`, `hr_ci_level`.
  package static let hazardRatio = IntervalColumns(estimate: "hr", lower: "hr_ci_lower", upper: "hr_ci_upper", level: "hr_ci_level")
}

/// The arm of a two-arm trial file (`--arm`).
package enum PFSArm: String, CaseIterable, Sendable {
  case treat
  case ctrl

  /// The arm's median column, `median_<arm>`.
  package var medianColumn: String { "median_\(rawValue)" }
}

/// What `orrmeta pfs --pool iv` or `--hr` pools.
package enum PFSIntervalMeasure: Sendable, Hashable {
  /// Medians from their CIs: the median of the arm whose median is in `column` (estimand
  /// median), or the difference or log ratio of `median_treat` and `median_ctrl`.
  case median(estimand: MedianSurvivalEstimand, column: String)
  /// Hazard ratios from their CIs.
  case hazardRatio

  /// The interval columns read, in order (treatment first).
  package var columns: [IntervalColumns] {
    switch self {
    case let .median(estimand, column):
      return estimand.needsBothArms
        ? [.median(PFSArm.treat.medianColumn), .median(PFSArm.ctrl.medianColumn)] : [.median(column)]
    case .hazardRatio: return [.hazardRatio]
    }
  }
}

/// One row of a file read for inverse-variance pooling.
package struct PFSIntervalRow: Sendable, Hashable {
  /// The row's index among the table's records.
  package var record: Int
  package var label: String
  package var line: Int
  package var group: String?
  /// The cohort for median pooling (nil when left out or for hazard ratios).
  package var cohort: MedianSurvivalCohort?
  /// The hazard ratio (nil when left out or for medians).
  package var ratio: ReportedRatio?
  /// Why the row is left out (`median_empty`, `median_not_reached`, `median_not_reported`,
  /// `no_ci_lower`, `no_ci_upper`), nil when used.
  package var leftOut: String?
  /// Whether an upper bound was not reached (the one-sided SE rule).
  package var upperNotReached: Bool
}

/// A cohort file read for `orrmeta pfs --pool iv` / `--hr`: every row with its estimates and CIs,
/// or the reason it is left out.
package struct PFSIntervalFile: Sendable {
  package let file: String
  package let measure: PFSIntervalMeasure
  /// The columns used, as spelled in the header (the level column nil when absent).
  package let columns: [(estimate: String, lower: String, upper: String, level: String?)]
  package let labelColumn: String?
  package let byColumn: String?
  package let rows: [PFSIntervalRow]
  package let warnings: [String]
  /// The table read (for moderator columns).
  package let table: CSVTable

  /// Reads and validates a CSV file.
  package static func read(path: String, measure: PFSIntervalMeasure, label: String? = nil, by: String? = nil) throws(InputError) -> PFSIntervalFile {
    try load(table: try CSVTable.read(path: path), measure: measure, label: label, by: by)
  }

  /// One interval as written: the estimate, the bounds (upper nil = NR) and the level, or why
  /// it cannot be used.
  enum Cells {
    case usable(estimate: Double, lower: Double, upper: Double?, level: ConfidenceLevel)
    case missing(String)
  }

  /// Validates a parsed table.
  ///
  /// Rules (beyond those of every cohort file: unique column names, rectangular rows): the
  /// estimate and bound columns are present; each cell is a number ≥ 0 in decimal digits, empty,
  /// NR or NA (``MedianCell``); NR is allowed for an upper bound only (the one-sided rule); a level
  /// is empty (95 %), a percentage (95) or a fraction (0.95); lower ≤ upper; the interval must give
  /// a positive standard error. A row whose estimate or bound is empty/NA (or whose median is NR)
  /// is left out and counted.
  package static func load(table: CSVTable, measure: PFSIntervalMeasure, label: String?, by: String?) throws(InputError) -> PFSIntervalFile {
    let file = table.file
    let header = try HeaderColumns(table)
    let wanted = measure.columns
    var indices: [(estimate: Int, lower: Int, upper: Int, level: Int?)] = []
    for c in wanted {
      let role = measure == .hazardRatio ? "the hazard ratios" : "the medians and their CIs"
      indices.append((
        try header.index(c.estimate, role: role, flag: measure == .hazardRatio ? "--hr" : "--value-column / --arm"),
        try header.index(c.lower, role: "the CI lower bounds", flag: "column naming rule <median column without _months>_ci_lower"),
        try header.index(c.upper, role: "the CI upper bounds", flag: "column naming rule <median column without _months>_ci_upper"),
        header.optionalIndex(c.level)))
    }
    let labelIndex = try header.labelIndex(label)
    let byIndex = try by.map { (b: String) throws(InputError) -> Int in try header.index(b, role: "the subgroups", flag: "--by") }
    if table.records.isEmpty {
      throw .malformed(file: file, line: nil, reason: "the file has a header but no cohort rows; expected at least one row")
    }
    let names = header.names
    var rows: [PFSIntervalRow] = []
    var warnings: [String] = []
    var labelsSeen: [String: Int] = [:]
    for (r, record) in table.records.enumerated() {
      let line = table.lines[r]
      guard record.count == names.count else { throw .ragged(file: file, line: line, fields: record.count, expected: names.count) }
      var rowLabel = labelIndex.map { record[$0].trimmingCharacters(in: .whitespaces) } ?? ""
      if rowLabel.isEmpty { rowLabel = "row \(r + 1)" }
      if let first = labelsSeen[rowLabel] { warnings.append("duplicate label '\(rowLabel)' on lines \(first) and \(line)") } else { labelsSeen[rowLabel] = line }
      var group: String? = nil
      if let b = byIndex {
        let g = record[b].trimmingCharacters(in: .whitespaces)
        if g.isEmpty { throw .cell(file: file, line: line, column: names[b], value: record[b], expected: "a subgroup value (the --by column may not be empty)") }
        group = g
      }
      var row = PFSIntervalRow(record: r, label: rowLabel, line: line, group: group, cohort: nil, ratio: nil, leftOut: nil, upperNotReached: false)
      var arms: [(estimate: Double, lower: Double, upper: Double?, level: ConfidenceLevel)] = []
      for idx in indices {
        switch try cells(record, idx, names: names, file: file, line: line) {
        case let .missing(why): if row.leftOut == nil { row.leftOut = why }
        case let .usable(e, l, u, lv): arms.append((e, l, u, lv)); if u == nil { row.upperNotReached = true }
        }
      }
      if row.leftOut == nil {
        do {
          switch measure {
          case let .median(estimand, _):
            let m = arms.map { ReportedMedian(median: $0.estimate, lower: $0.lower, upper: $0.upper, level: $0.level) }
            let cohort = MedianSurvivalCohort(label: rowLabel, treatment: m[0], control: m.count > 1 ? m[1] : nil)
            _ = try MedianSurvivalMetaAnalysis.outcome(cohort, estimand: estimand)
            row.cohort = cohort
          case .hazardRatio:
            let a = arms[0]
            guard let upper = a.upper else {
              throw InputError.cell(file: file, line: line, column: names[indices[0].upper], value: "NR", expected: "a number: a hazard ratio's upper bound is always reported")
            }
            let ratio = ReportedRatio(estimate: a.estimate, lower: a.lower, upper: upper, level: a.level)
            _ = try ratio.logScale()
            row.ratio = ratio
          }
        } catch let e as InputError {
          throw e
        } catch let e as MetaAnalysisError {
          if case let .invalidStudy(_, reason) = e { throw .row(file: file, line: line, reason: "cohort '\(rowLabel)': \(reason)") }
          throw .row(file: file, line: line, reason: e.description)
        } catch {
          throw .row(file: file, line: line, reason: "\(error)")
        }
      }
      rows.append(row)
    }
    if !table.skippedBlankLines.isEmpty {
      warnings.append("skipped \(table.skippedBlankLines.count) blank line(s): \(table.skippedBlankLines.prefix(10).map(String.init).joined(separator: ", "))")
    }
    return PFSIntervalFile(
      file: file, measure: measure,
      columns: indices.map { (names[$0.estimate], names[$0.lower], names[$0.upper], $0.level.map { names[$0] }) },
      labelColumn: labelIndex.map { names[$0] }, byColumn: byIndex.map { names[$0] }, rows: rows, warnings: warnings,
      table: table)
  }

  /// Reads one interval's cells.
  static func cells(
    _ record: [String], _ idx: (estimate: Int, lower: Int, upper: Int, level: Int?), names: [String], file: String, line: Int
  ) throws(InputError) -> Cells {
    let estimate = try MedianCell.parse(record[idx.estimate], file: file, line: line, column: names[idx.estimate])
    func bound(_ i: Int) throws(InputError) -> MedianCell {
      do { return try MedianCell.parse(record[i], file: file, line: line, column: names[i]) } catch {
        throw .cell(
          file: file, line: line, column: names[i], value: record[i],
          expected: "a CI bound \u{2265} 0 written in decimal digits, NR (upper bound not reached), or empty/NA (not reported)")
      }
    }
    let lower = try bound(idx.lower), upper = try bound(idx.upper)
    if lower == .notReached {
      throw .cell(file: file, line: line, column: names[idx.lower], value: record[idx.lower], expected: "a number, empty or NA: NR is allowed for an upper bound only")
    }
    var level = ConfidenceLevel.ninetyFive
    if let li = idx.level {
      var text = record[li].trimmingCharacters(in: .whitespaces)
      if text.hasSuffix("%") { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
      if !text.isEmpty {
        guard let v = Double(text), v.isFinite, let lv = try? ConfidenceLevel(v) else {
          throw .cell(file: file, line: line, column: names[li], value: record[li], expected: "a CI level as a percentage in (50, 100) such as 95 or 95%, or a fraction such as 0.95 (empty = 95)")
        }
        level = lv
      }
    }
    guard case let .value(e) = estimate else { return .missing("median_" + estimate.missingKind!) }
    guard case let .value(l) = lower else { return .missing("no_ci_lower") }
    switch upper {
    case let .value(u):
      guard l <= u else {
        throw .cell(file: file, line: line, column: names[idx.lower], value: record[idx.lower], expected: "a lower bound \u{2264} the upper bound (\(record[idx.upper].trimmingCharacters(in: .whitespaces)))")
      }
      return .usable(estimate: e, lower: l, upper: u, level: level)
    case .notReached:
      return .usable(estimate: e, lower: l, upper: nil, level: level)
    case .empty, .notReported:
      return .missing("no_ci_upper")
    }
  }
}
