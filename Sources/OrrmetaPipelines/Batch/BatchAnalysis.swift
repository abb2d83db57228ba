// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

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
  /// Whether the result states each cohort's CI (`cohort_intervals = "all"`, the default, as
  /// `orrmeta pool`); false (`"none"`, pool analyses without `by` only): `studies[].ci_lower` and
  /// `ci_upper` are null and the intervals are not computed (``CohortIntervals/omitted(method:level:)``).
  package let cohortIntervals: Bool

  /// Creates an analysis.
  package init(
    name: String, kind: BatchAnalysisKind = .pool, settings: AnalysisSettings, columns: ColumnSelection,
    sensitivity: BatchSensitivity? = nil, regression: BatchRegression? = nil, comparison: BatchComparison? = nil,
    cohortIntervals: Bool = true
  ) {
    precondition(cohortIntervals || (kind == .pool && columns.by == nil), "only a pool analysis without by leaves out the cohorts' CIs")
    self.cohortIntervals = cohortIntervals
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

  /// Every choice that determines the result, as JSON (``BatchFingerprint``: the settings
  /// blocks of the reports, the version, the type, the columns and the analysis's own options).
  package var fingerprint: String {
    // The blocks hold no NaN (settings are finite by validation), so encoding cannot fail.
    (try? JSONOutput.encode(BatchFingerprint(self), pretty: false)) ?? "\(kind) \(settings) \(columns)"
  }

  /// SHA-256 of ``fingerprint``: `--resume` recomputes a result when this changes.
  package var settingsHash: String { SHA256.hex(fingerprint) }
}
