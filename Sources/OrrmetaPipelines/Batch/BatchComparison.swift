// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// What a batch analysis of type `compare` computes: the settings and columns of
/// `orrmeta compare` (resolved by the command line from the spec's keys, read with the
/// command's own flags), run through ``ComparePipeline`` on each two-arm file.
package struct BatchComparison: Sendable, Hashable {
  /// The model settings (`--measure`, `--method`, `--model`, `--nagq`, `--test`, `--level`,
  /// `--add`, `--to`).
  package let settings: ComparisonSettings
  /// The columns (`--by`, the long layout's `--arm`, `--trial`, `--treat`, `--control`,
  /// `--events-column`, `--n-column`; `batch`'s `--exclude` and `--where`).
  package var columns: TwoArmColumns
  /// The spec's `analyses` (`--leave-one-out`, `--cumulative`, `--bias`).
  package var leaveOneOut: Bool
  package var cumulative: Bool
  package var bias: Bool
  /// `--influence`, `--trimfill` (`estimator`, `side`) and `--gosh` (`subsets`, `seed`).
  package var diagnostics: CompareDiagnostics

  package init(
    settings: ComparisonSettings, columns: TwoArmColumns, leaveOneOut: Bool = false, cumulative: Bool = false,
    bias: Bool = false, diagnostics: CompareDiagnostics = CompareDiagnostics()
  ) {
    self.settings = settings
    self.columns = columns
    self.leaveOneOut = leaveOneOut
    self.cumulative = cumulative
    self.bias = bias
    self.diagnostics = diagnostics
  }

  /// Runs `orrmeta compare`'s pipeline on one parsed file: the report is the one
  /// `orrmeta compare FILE --format json` prints for the same settings.
  package func run(_ table: CSVTable) throws -> CompareReport {
    let data = try TwoArmFile.load(table: table, columns: columns)
    var report = try ComparePipeline.run(
      data, settings: settings, leaveOneOut: leaveOneOut, cumulative: cumulative, bias: bias, diagnostics: diagnostics)
    report.settings.row_filters = columns.cohort.filter.descriptions
    return report
  }

  /// The analyses requested, for ``BatchFingerprint`` (none: empty).
  var analysisNames: [String] {
    let d = diagnostics
    var out: [String] = []
    if leaveOneOut { out.append("compare_leave_one_out") }
    if cumulative { out.append("compare_cumulative") }
    if bias { out.append("compare_bias") }
    if d.influence { out.append("compare_influence") }
    if d.trimFill { out.append("compare_trimfill=\(d.trimFillEstimator.rawValue),\(d.trimFillSide?.rawValue ?? "estimated")") }
    if let g = d.gosh { out.append("compare_gosh=\(g.maxSubsets),\(g.seed)") }
    return out
  }
}
