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
  /// The columns (`--by`; `batch`'s `--exclude` and `--where`).
  package var columns: TwoArmColumns

  package init(settings: ComparisonSettings, columns: TwoArmColumns) {
    self.settings = settings; self.columns = columns
  }

  /// Runs `orrmeta compare`'s pipeline on one parsed file: the report is the one
  /// `orrmeta compare FILE --format json` prints for the same settings.
  package func run(_ table: CSVTable) throws -> CompareReport {
    let data = try TwoArmFile.load(table: table, columns: columns)
    var report = try ComparePipeline.run(data, settings: settings)
    report.settings.row_filters = columns.cohort.filter.descriptions
    return report
  }
}
