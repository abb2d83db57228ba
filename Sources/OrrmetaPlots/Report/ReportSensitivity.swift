// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaReports

/// Sensitivity results for the HTML report, as plain numbers (filled from the sensitivity
/// analyses; any part may be absent). Proportions on the 0–1 scale.
package struct ReportSensitivity: Sendable {
  /// One leave-one-out row: the model refitted without `label`.
  package typealias LeaveOneOut = RefitRow

  /// A trim-and-fill result: cohorts imputed and the adjusted estimate.
  package struct TrimAndFill: ProportionIntervalCarrying, Sendable, Hashable {
    /// Number of imputed cohorts k₀.
    package var imputed: Int
    /// The side on which cohorts were imputed ("left" or "right").
    package var side: String
    /// The adjusted pooled proportion (0–1) with its CI.
    package var interval: EstimateInterval

    /// Creates a result.
    package init(imputed: Int, side: String, proportion: Double, ciLower: Double, ciUpper: Double) {
      self.imputed = imputed; self.side = side; self.interval = EstimateInterval(proportion, lower: ciLower, upper: ciUpper)
    }
  }

  /// Leave-one-out rows (metafor `leave1out`).
  package var leaveOneOut: [LeaveOneOut]?
  /// Cumulative meta-analysis.
  package var cumulative: CumulativePlotData?
  /// Baujat coordinates.
  package var baujat: BaujatPlotData?
  /// GOSH subset fits.
  package var gosh: GoshPlotData?
  /// Trim-and-fill result.
  package var trimAndFill: TrimAndFill?
  /// Small-study tests (Egger, Peters, Begg), as in `orrmeta sensitivity --bias`.
  package var bias: SensitivityReport.Bias?
  /// Influence diagnostics (metafor `influence`), as in `orrmeta sensitivity --influence`.
  package var influence: [InfluenceRow]?
  /// The bootstrap, as in `orrmeta sensitivity --bootstrap N`.
  package var bootstrap: BootstrapResult?
  /// The meta-regression, as in `orrmeta regress --mods …`.
  package var regression: RegressionReport?
  /// The cluster diagnostics of a three-level model, as in `orrmeta sensitivity --cluster`.
  package var cluster: ClusterSensitivityReport?
  /// Sentences about analyses that were requested but could not be run.
  package var notes: [String]

  /// Creates the results.
  package init(
    leaveOneOut: [LeaveOneOut]? = nil, cumulative: CumulativePlotData? = nil, baujat: BaujatPlotData? = nil,
    gosh: GoshPlotData? = nil, trimAndFill: TrimAndFill? = nil, notes: [String] = []
  ) {
    self.leaveOneOut = leaveOneOut; self.cumulative = cumulative; self.baujat = baujat; self.gosh = gosh
    self.trimAndFill = trimAndFill; self.notes = notes
  }

  /// Whether nothing was computed.
  package var isEmpty: Bool {
    leaveOneOut == nil && cumulative == nil && baujat == nil && gosh == nil && trimAndFill == nil && bias == nil
      && influence == nil && bootstrap == nil && regression == nil && cluster == nil
  }
}
