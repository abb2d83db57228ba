// SPDX-License-Identifier: GPL-3.0-or-later

/// Output formats of the commands that write text or JSON only (`pfs`, `check`, `reproduce`,
/// `sensitivity`, `regress`).
package enum SummaryFormat: String, CaseIterable, Sendable {
  /// A readable report (default).
  case text
  /// JSON (`Docs/cli.md` gives each command's keys).
  case json
}
