// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// One named analysis of a batch, fully resolved: what it computes, with which settings, on
/// which columns.
package struct BatchAnalysis: Sendable {
  /// The name (`default` without a spec); part of each result's file name.
  package let name: String
  /// What it computes.
  package let kind: BatchAnalysisKind
  /// The model settings.
  package let settings: AnalysisSettings
  /// The columns to read.
  package let columns: ColumnSelection
  /// The sensitivity analyses to run: set for a `sensitivity` analysis, and only for it.
  package let sensitivity: BatchSensitivity?
  /// The moderators of a `regress` analysis, and only of it.
  package let regression: BatchRegression?
  /// The two-arm settings and columns of a `compare` analysis, and only of it.
  package let comparison: BatchComparison?

  /// Creates an analysis.
  package init(
    name: String, kind: BatchAnalysisKind = .pool, settings: AnalysisSettings, columns: ColumnSelection,
    sensitivity: BatchSensitivity? = nil, regression: BatchRegression? = nil, comparison: BatchComparison? = nil
  ) {
    precondition((kind == .compare) == (comparison != nil), "a compare analysis, and only it, has two-arm settings")
    self.comparison = comparison
    precondition((kind == .sensitivity) == (sensitivity != nil), "a sensitivity analysis, and only it, has sensitivity settings")
    precondition((kind == .regress) == (regression != nil), "a regress analysis, and only it, has moderators")
    self.regression = regression
    self.name = name
    self.kind = kind
    self.settings = settings
    self.columns = columns
    self.sensitivity = sensitivity
  }

  /// Every choice that determines the result, one `key=value` per line, in a fixed order, with
  /// the orrmeta version (a new version may compute differently); a `sensitivity` analysis
  /// adds its analyses and their options (``BatchSensitivity``). Names and spellings do not
  /// enter: `reml` and `REML` give the same text.
  package var fingerprint: String {
    let s = settings
    let c = s.control
    func opt(_ v: String?) -> String { v.map { "\"\($0)\"" } ?? "-" }
    let common = [
      "orrmeta=\(OrrmetaVersion.current)",
      "type=\(kind.rawValue)",
      "measure=\(s.measure.rawValue)",
      "method=\(s.method.rawValue)",
      "test=\(s.test.rawValue)",
      "level=\(s.level.percent)",
      "ci_method=\(s.studyInterval.rawValue)",
      "add=\(s.add.map { "\($0)" } ?? "-")",
      "to=\(s.to.rawValue)",
      "nagq=\(s.quadraturePoints)",
      "control=\(c.threshold),\(c.maxIterations),\(c.rootTolerance),\(c.logLikelihoodCheck),\(c.logLikelihoodTolerance),\(c.algorithm.rawValue)",
      "events_column=\(opt(columns.events))",
      "n_column=\(opt(columns.total))",
      "label_column=\(opt(columns.label))",
      "orr_column=\(opt(columns.orrPercent))",
      "by=\(opt(columns.by))",
    ] + (columns.cluster.map { ["cluster=\"\($0)\""] } ?? []) + (s.tauCommon ? ["tau_common=true"] : [])
      + (columns.filter.isEmpty ? [] : ["filter=\(columns.filter.descriptions.map { "\"\($0)\"" }.joined(separator: " "))"])
      + (sensitivity?.fingerprintLines ?? []) + (regression?.fingerprintLines ?? [])
    let lines: [String] = common + (comparison?.fingerprintLines ?? [])
    return lines.joined(separator: "\n") + "\n"
  }

  /// SHA-256 of ``fingerprint``: `--resume` recomputes a result when this changes.
  package var settingsHash: String { SHA256.hex(fingerprint) }
}
