// SPDX-License-Identifier: GPL-3.0-or-later

/// Output formats of the summary commands (`pfs`, `check`, `reproduce`).
public enum SummaryFormat: String, CaseIterable, Sendable {
  /// A readable report (default).
  case text
  /// JSON (`Docs/cli.md` gives each command's keys).
  case json
}

extension SummaryFormat {
  /// The same format among the reporting commands' formats.
  public var reportFormat: ReportFormat { self == .json ? .json : .text }
}
