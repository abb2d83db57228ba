// SPDX-License-Identifier: GPL-3.0-or-later

/// Output formats of the reporting commands.
package enum ReportFormat: String, CaseIterable, Sendable {
  /// A readable report like metafor's `print` (default).
  case text
  /// The JSON contract (`Docs/output-schema.md`).
  case json
  /// One row per cohort, then one row per pooled result.
  case csv
  /// Markdown tables.
  case markdown
}
