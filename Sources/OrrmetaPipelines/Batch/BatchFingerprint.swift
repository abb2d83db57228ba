// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Everything that determines a batch result, encoded as JSON for ``BatchAnalysis/fingerprint``.
///
/// The settings are the blocks the reports write (one owner of how a setting is stated):
/// `settings` of `pool` (``PoolReport/settings(_:k:)``), `sensitivity_settings` of
/// `sensitivity` and `settings` of `compare`, so a setting that enters a report enters the
/// fingerprint without a line here. Added to them: the orrmeta version (a new version may
/// compute differently), the analysis type, the columns asked for (names as given, before the
/// alias lookup) and the row filters, the moderators of a `regress` analysis and the two-arm
/// layout of a `compare` analysis, and whether `--add` was given. Names and spellings do not
/// enter: `reml` and `REML` give the same settings.
struct BatchFingerprint: Encodable {
  var orrmeta = OrrmetaVersion.current
  var type: String
  var settings: PoolReport.Settings
  /// `--add` as given (nil: the measure's default): the block states the value used, but
  /// whether it was given matters too (the `stata` profile drops 0 % and 100 % cohorts of PR only
  /// when it was not; ``StataConventions/appliesDropRule(_:)``).
  var add_given: Double?
  var columns: Columns
  /// `none` when the result leaves out the cohorts' CIs (nil: the default, all).
  var cohort_intervals: String?
  var sensitivity_settings: SensitivityReport.SensitivitySettings?
  var regression: Regression?
  var compare_settings: CompareReport.Settings?
  var compare_columns: Columns?
  /// A `compare` analysis's sensitivity and bias analyses with their settings (nil: none).
  var compare_analyses: BatchComparison.Analyses?

  /// The columns asked for (nil: the usual aliases) and the row filters.
  struct Columns: Encodable {
    var events: String?
    var n: String?
    var label: String?
    var orr: String?
    var by: String?
    var cluster: String?
    var filters: [String]
    var arm: String?
    var trial: String?
    var treat: [String]?
    var control: [String]?

    init(_ c: ColumnSelection, two arms: TwoArmColumns? = nil) {
      events = c.events; n = c.total; label = c.label; orr = c.orrPercent; by = arms?.by ?? c.by; cluster = c.cluster
      filters = c.filter.descriptions
      arm = arms?.arm; trial = arms?.trial; treat = arms?.treat; control = arms?.control
    }
  }

  /// The moderators of a `regress` analysis (`--mods`, `--categorical`, `--reference`, `--interaction`).
  struct Regression: Encodable {
    var mods: [String]
    var categorical: [String]
    var references: [String]
    var interactions: [[String]]
  }

  init(_ a: BatchAnalysis) {
    type = a.kind.rawValue
    settings = PoolReport.settings(a.settings, k: 0)
    add_given = a.settings.add
    cohort_intervals = a.cohortIntervals ? nil : "none"
    columns = Columns(a.columns)
    if let s = a.sensitivity {
      var block = SensitivityPipeline.sensitivitySettings(s.request, settings: a.settings)
      block.order_by = s.request.cumulative ? s.orderBy : nil
      sensitivity_settings = block
    }
    regression = a.regression.map {
      Regression(mods: $0.mods, categorical: $0.categorical, references: $0.references, interactions: $0.interactions)
    }
    if let c = a.comparison {
      var block = CompareReport.settings(c.settings)
      if c.settings.profile == .meta {
        // metabin's estimators and stopping rule: the pre-fit block leaves tau2_method and
        // convergence null for MH and Peto, which under the meta profile also fit random effects.
        if let (common, tau) = try? MetaBinAnalysis.methods(c.settings) {
          block.tau2_method = tau.rawValue
          block.common_method = common.rawValue
        }
        block.convergence = Convergence(control: c.settings.control)?.rawValue ?? "custom"
      }
      compare_settings = block
      compare_columns = Columns(c.columns.cohort, two: c.columns)
      compare_analyses = c.analyses
    }
  }
}
