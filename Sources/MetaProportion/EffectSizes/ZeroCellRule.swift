// SPDX-License-Identifier: GPL-3.0-or-later

/// To which cohorts the continuity correction `add` is added (metafor's `to`).
///
/// A cohort has a zero cell when it has no responders (x = 0) or only responders (x = n).
/// The correction adds `add` to both x and n − x, so n grows by 2·add.
public enum ZeroCellRule: String, CaseIterable, Sendable, Codable {
  /// Only cohorts with a zero cell (metafor's default).
  case only0
  /// Every cohort.
  case all
  /// Every cohort, if at least one has a zero cell.
  case if0all
  /// No cohort.
  case none
}
