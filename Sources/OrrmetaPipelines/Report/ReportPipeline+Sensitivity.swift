// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPlots
import OrrmetaReports

extension ReportPipeline {
  /// The sensitivity analyses the report includes (`orrmeta report --analyses …`).
  package struct SensitivitySelection: Sendable {
    /// Leave-one-out table.
    package var leaveOneOut = false
    /// Cumulative forest plot.
    package var cumulative = false
    /// Baujat plot.
    package var baujat = false
    /// GOSH plot.
    package var gosh = false
    /// Trim-and-fill paragraph (and the imputed cohorts in the funnel plot).
    package var trimAndFill = false
    /// The cumulative order (nil: file order).
    package var cumulativeOrder: CohortOrder?
    /// GOSH settings.
    package var goshOptions = GoshOptions()
    /// Egger's, Peters' and Begg's tests.
    package var bias = false
    /// Influence diagnostics.
    package var influence = false
    /// Bootstrap resamples (nil: no bootstrap); seed and threads from `goshOptions`.
    package var bootstrapResamples: Int?
    /// Meta-regression moderators (nil: none).
    package var moderators: (moderators: [Moderator], columns: [ModeratorColumns.Column])?

    /// Creates an empty selection.
    package init() {}

    /// Whether nothing is selected.
    package var isEmpty: Bool {
      !(leaveOneOut || cumulative || baujat || gosh || trimAndFill || bias || influence) && bootstrapResamples == nil
        && moderators == nil
    }
  }

  /// Runs each selected analysis once and copies its numbers into the report's plain structs.
  ///
  /// - Returns: the report's sensitivity section and, with trim-and-fill, its result (for the
  ///   funnel plot; pass it to ``render(_:settings:options:sensitivity:trimAndFill:)``).
  /// - Throws: ``MetaAnalysisError`` (simple pooling and GLMM: invalid setting) and
  ///   ``SensitivityFailure``.
  package static func sensitivity(
    _ cohorts: CohortFile, settings: AnalysisSettings, selection s: SensitivitySelection
  ) throws -> (section: ReportSensitivity, trimAndFill: TrimAndFillResult?) {
    var out = ReportSensitivity()
    guard !s.isEmpty else { return (out, nil) }
    // The one fit of the full model: every analysis below refits subsets of it.
    let a = try SensitivityPipeline.analysis(cohorts, settings: settings)
    if s.leaveOneOut || s.baujat || s.influence {
      let step = s.leaveOneOut || s.baujat ? "case deletion (leave-one-out, Baujat)" : "case deletion (leave-one-out, influence)"
      let cd = try SensitivityPipeline.step(step) { () throws(MetaAnalysisError) in try a.caseDeletion() }
      if s.leaveOneOut {
        out.leaveOneOut = cd.leaveOneOut.map {
          ReportSensitivity.LeaveOneOut(
            label: $0.label, proportion: $0.proportion, ciLower: $0.proportionCILower, ciUpper: $0.proportionCIUpper,
            tau2: $0.tau2, i2: $0.i2)
        }
      }
      if s.baujat { out.baujat = PlotPipeline.baujatData(cd.baujat, settings: settings) }
      if s.influence { out.influence = cd.influence }
    }
    if s.cumulative {
      let rows = try SensitivityPipeline.step("cumulative meta-analysis") { () throws(MetaAnalysisError) in
        try a.cumulative(order: s.cumulativeOrder?.indices)
      }
      out.cumulative = PlotPipeline.cumulativeData(rows, settings: settings, orderColumn: s.cumulativeOrder?.column)
    }
    if s.gosh {
      let g = try SensitivityPipeline.step("GOSH") { () throws(MetaAnalysisError) in try a.gosh(s.goshOptions) }
      out.gosh = PlotPipeline.goshData(g, analysis: a, settings: settings)
    }
    var tf: TrimAndFillResult?
    if s.trimAndFill {
      let t = try SensitivityPipeline.step("trim-and-fill") { () throws(MetaAnalysisError) in try a.trimAndFill() }
      out.trimAndFill = ReportSensitivity.TrimAndFill(
        imputed: t.k0, side: t.side.rawValue, proportion: t.proportion, ciLower: t.proportionCILower,
        ciUpper: t.proportionCIUpper)
      tf = t
    }
    // The same functions as `orrmeta sensitivity`, so the report shows its numbers (the
    // section shows no warnings of its own).
    var warnings: [String] = []
    if s.bias { out.bias = try SensitivityPipeline.bias(a, warnings: &warnings) }
    if let b = s.bootstrapResamples {
      out.bootstrap = try SensitivityPipeline.bootstrap(a, resamples: b, seed: s.goshOptions.seed, threads: s.goshOptions.threads, warnings: &warnings)
    }
    if let m = s.moderators {
      out.regression = try RegressionPipeline.run(cohorts, settings: settings, moderators: m)
    }
    return (out, tf)
  }
}
