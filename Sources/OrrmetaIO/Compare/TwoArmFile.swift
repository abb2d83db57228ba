// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// Which columns of a two-arm file to use: the wide layout (one row per trial with both arms'
/// counts) or the long cohort table (one row per arm, paired by a trial and an arm column).
package struct TwoArmColumns: Sendable, Hashable {
  /// Long layout: the column naming the arm (e.g. `drug`).
  package var arm: String?
  /// Long layout: the column naming the trial.
  package var trial: String?
  /// Long layout: arm values that count as treatment (any one per trial).
  package var treat: [String]
  /// Long layout: arm values that count as control.
  package var control: [String]
  /// Long layout: the events / n / label columns of the cohort table (their usual aliases).
  package var cohort: ColumnSelection
  /// Subgroup column (either layout).
  package var by: String?

  package init(arm: String? = nil, trial: String? = nil, treat: [String] = [], control: [String] = [], cohort: ColumnSelection = .init(), by: String? = nil) {
    self.arm = arm; self.trial = trial; self.treat = treat; self.control = control; self.cohort = cohort; self.by = by
  }

  /// Whether the long layout was asked for.
  package var isLong: Bool { arm != nil || trial != nil || !treat.isEmpty || !control.isEmpty }

  /// Accepted names for the four wide columns, one alias set per role (case-insensitive).
  package static let wideAliases: [(role: String, names: [String])] = [
    ("treatment events", ["events_treat", "ai", "event.e"]),
    ("treatment patients", ["n_treat", "n1i", "n.e"]),
    ("control events", ["events_ctrl", "ci", "event.c"]),
    ("control patients", ["n_ctrl", "n2i", "n.c"]),
  ]
}

/// A validated two-arm file: the trials, their subgroup levels and lines, and what was read.
package struct TwoArmFile: Sendable {
  package let file: String
  package let studies: [TwoArmStudy]
  package let groups: [String]?
  /// The line of each trial's (treatment) row.
  package let lines: [Int]
  /// "wide" or "long".
  package let layout: String
  /// The columns used, by role (events_treat, n_treat, events_ctrl, n_ctrl, label, or arm, trial,
  /// events, n, label).
  package let columns: [String: String]
  package let byColumn: String?
  /// Warnings (duplicate labels, unpaired trials, skipped blank lines).
  package let warnings: [String]

  /// Validates a parsed table (read once by `orrmeta batch`) in the layout the columns ask for.
  package static func load(table: CSVTable, columns: TwoArmColumns) throws(InputError) -> TwoArmFile {
    if columns.isLong { return try long(table: table, columns: columns) }
    // --exclude and --where (wide layout: one row per trial, labelled by the usual label
    // column); the long layout filters the cohort rows through CohortFile.load.
    let labelIndex = try HeaderColumns(table).labelIndex(nil)
    let kept = try columns.cohort.filter.apply(to: table) { r in
      let record = table.records[r]
      let l = labelIndex.flatMap { record.indices.contains($0) ? record[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
      return l.isEmpty ? "row \(r + 1)" : l
    }
    return try wide(table: kept, by: columns.by)
  }

  /// The wide layout: `events_treat,n_treat,events_ctrl,n_ctrl` or an alias set.
  package static func wide(table: CSVTable, by: String?) throws(InputError) -> TwoArmFile {
    let file = table.file
    let head = try HeaderColumns(table)
    let header = head.names
    var idx: [Int] = []
    for (role, names) in TwoArmColumns.wideAliases {
      idx.append(try head.alias(names, role: role, or: "or a long cohort table with --arm, --trial, --treat and --control"))
    }
    let labelIndex = try head.labelIndex(nil)
    let byIndex = try by.map { by throws(InputError) in try head.index(by, " for subgroups (--by)") }
    guard !table.records.isEmpty else {
      throw .malformed(file: file, line: nil, reason: "the file has a header but no trial rows; expected at least one row")
    }
    var studies: [TwoArmStudy] = [], groups: [String] = [], warnings: [String] = []
    var labels: [String: Int] = [:]
    for (r, record) in table.records.enumerated() {
      let line = table.lines[r]
      guard record.count == header.count else { throw .ragged(file: file, line: line, fields: record.count, expected: header.count) }
      var v: [Int] = []
      for i in idx { v.append(try CohortFile.parseCount(record[i], file: file, line: line, column: header[i])) }
      for (e, n) in [(0, 1), (2, 3)] {
        guard v[n] > 0 else {
          throw .cell(file: file, line: line, column: header[idx[n]], value: record[idx[n]], expected: "a whole number of patients > 0")
        }
        guard v[e] <= v[n] else {
          throw .row(file: file, line: line, reason: "\(header[idx[e]]) = \(v[e]) is larger than \(header[idx[n]]) = \(v[n]); expected events ≤ n")
        }
      }
      var label = labelIndex.map { record[$0].trimmingCharacters(in: .whitespaces) } ?? ""
      if label.isEmpty { label = "row \(r + 1)" }
      if let first = labels[label] { warnings.append("duplicate label '\(InputError.shorten(label))' on lines \(first) and \(line)") } else { labels[label] = line }
      if let b = byIndex {
        let g = record[b].trimmingCharacters(in: .whitespaces)
        guard !g.isEmpty else {
          throw .cell(file: file, line: line, column: header[b], value: record[b], expected: "a subgroup value (the --by column may not be empty)")
        }
        groups.append(g)
      }
      do {
        studies.append(try TwoArmStudy(label: label, eventsTreat: v[0], totalTreat: v[1], eventsControl: v[2], totalControl: v[3]))
      } catch { throw .row(file: file, line: line, reason: error.description) }
    }
    if !table.skippedBlankLines.isEmpty {
      warnings.append("skipped \(table.skippedBlankLines.count) blank line(s): \(table.skippedBlankLines.prefix(10).map(String.init).joined(separator: ", "))")
    }
    var columns: [String: String] = [:]
    for (key, i) in zip(["events_treat", "n_treat", "events_ctrl", "n_ctrl"], idx) { columns[key] = header[i] }
    if let l = labelIndex { columns["label"] = header[l] }
    return TwoArmFile(
      file: file, studies: studies, groups: byIndex == nil ? nil : groups, lines: Array(table.lines), layout: "wide",
      columns: columns, byColumn: byIndex.map { header[$0] }, warnings: warnings)
  }

  /// The long cohort table: rows are arms; a trial's treatment row has an arm value among
  /// `treat`, its control row one among `control` (case-insensitive). Trials without both arms
  /// (single-arm trials, or several cohorts of one arm) are listed in a warning; a trial with
  /// both arms and two treatment (or two control) rows is an error.
  package static func long(table: CSVTable, columns: TwoArmColumns) throws(InputError) -> TwoArmFile {
    let file = table.file
    guard let armName = columns.arm, let trialName = columns.trial, !columns.treat.isEmpty, !columns.control.isEmpty else {
      throw .header(file: file, reason: "the long layout needs --arm COLUMN, --trial COLUMN, --treat NAME and --control NAME together")
    }
    var cohortColumns = columns.cohort
    cohortColumns.by = columns.by
    let cohorts = try CohortFile.load(table: table, columns: cohortColumns)
    let arm = try TableColumn(cohorts, named: armName, role: "the arm (--arm)")
    let trial = try TableColumn(cohorts, named: trialName, role: "the trial (--trial)")
    try arm.requireComplete("an arm name")
    try trial.requireComplete("a trial name")
    let treat = Set(columns.treat.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    let control = Set(columns.control.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    if let both = treat.intersection(control).first {
      throw .header(file: file, reason: "arm '\(InputError.shorten(both))' is given both as --treat and as --control")
    }
    var order: [String] = []
    var rows: [String: (t: [Int], c: [Int])] = [:]
    for i in 0..<cohorts.studies.count {
      let key = trial.values[i]
      if rows[key] == nil { order.append(key); rows[key] = ([], []) }
      let a = arm.values[i].lowercased()
      if treat.contains(a) { rows[key]!.t.append(i) } else if control.contains(a) { rows[key]!.c.append(i) }
    }
    var studies: [TwoArmStudy] = [], groups: [String] = [], lines: [Int] = [], unpaired: [String] = []
    for key in order {
      let (t, c) = rows[key]!
      guard !t.isEmpty, !c.isEmpty else { unpaired.append(key); continue }
      for (list, what) in [(t, "treatment (--treat)"), (c, "control (--control)")] where list.count > 1 {
        throw .row(
          file: file, line: cohorts.lines[list[1]],
          reason: "trial '\(InputError.shorten(key))' has more than one \(what) row (lines \(list.map { String(cohorts.lines[$0]) }.joined(separator: ", "))); expected one row per arm and trial")
      }
      guard let ti = t.first, let ci = c.first else { unpaired.append(key); continue }
      let (s1, s2) = (cohorts.studies[ti], cohorts.studies[ci])
      do {
        studies.append(try TwoArmStudy(label: key, eventsTreat: s1.events, totalTreat: s1.total, eventsControl: s2.events, totalControl: s2.total))
      } catch { throw .row(file: file, line: cohorts.lines[ti], reason: error.description) }
      lines.append(cohorts.lines[ti])
      if let g = cohorts.groups {
        guard g[ti] == g[ci] else {
          throw .row(file: file, line: cohorts.lines[ci], reason: "the two arms of trial '\(InputError.shorten(key))' are in different subgroups ('\(g[ti])' on line \(cohorts.lines[ti]), '\(g[ci])' here); expected one --by value per trial")
        }
        groups.append(g[ti])
      }
    }
    guard !studies.isEmpty else {
      throw .malformed(file: file, line: nil, reason: "no trial has both a treatment arm (\(columns.treat.joined(separator: ", "))) and a control arm (\(columns.control.joined(separator: ", "))) in column '\(arm.name)'")
    }
    var warnings = cohorts.warnings.filter { !$0.hasPrefix("duplicate label") }
    if !unpaired.isEmpty {
      warnings.append("\(unpaired.count) trial(s) without both a treatment and a control arm are not compared: \(unpaired.prefix(12).map { InputError.shorten($0) }.joined(separator: "; "))\(unpaired.count > 12 ? "; ..." : "")")
    }
    var used: [String: String] = ["arm": arm.name, "trial": trial.name, "events": cohorts.eventsColumn, "n": cohorts.totalColumn]
    if let l = cohorts.labelColumn { used["label"] = l }
    return TwoArmFile(
      file: file, studies: studies, groups: cohorts.groups == nil ? nil : groups, lines: lines, layout: "long",
      columns: used, byColumn: cohorts.byColumn, warnings: warnings)
  }
}
