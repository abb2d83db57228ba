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

  /// The analyses requested with the options that change their results, for
  /// ``BatchFingerprint`` (nil: none).
  var analyses: Analyses? {
    let a = Analyses(self)
    return leaveOneOut || cumulative || bias || a.influence || a.trimfill != nil || a.gosh != nil ? a : nil
  }

  /// The analyses of a `compare` analysis as the fingerprint encodes them: an option enters
  /// only with its analysis (a `seed` without GOSH does not; `side` nil is "estimated from
  /// Egger's slope"); the thread count never changes a result and does not enter.
  struct Analyses: Encodable {
    /// The analyses without options that change a result.
    var leave_one_out, cumulative, bias, influence: Bool
    /// Trim-and-fill and GOSH with their options (nil: not run).
    var trimfill: TrimFill?
    var gosh: Gosh?

    struct TrimFill: Encodable {
      var estimator: String
      var side: String?
    }

    struct Gosh: Encodable {
      var subsets: Int
      var seed: UInt64
    }

    init(_ c: BatchComparison) {
      let d = c.diagnostics
      leave_one_out = c.leaveOneOut
      cumulative = c.cumulative
      bias = c.bias
      influence = d.influence
      trimfill = d.trimFill ? TrimFill(estimator: d.trimFillEstimator.rawValue, side: d.trimFillSide?.rawValue) : nil
      gosh = d.gosh.map { Gosh(subsets: $0.maxSubsets, seed: $0.seed) }
    }
  }
}
