// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Cohort medians → the weighted median of each subset → a ``PFSReport``. Shared by `pfs` and
/// `reproduce`.
package enum PFSPipeline {
  /// The weighted median of the cohorts that have a median (nil when none has one).
  package static func analyze(_ cohorts: [PFSCohort], settings: WeightedMedianSettings) throws(MetaAnalysisError) -> WeightedMedianResult? {
    var values: [Double] = [], weights: [Double] = [], labels: [String] = []
    for c in cohorts {
      guard case let .value(v) = c.median, let w = c.weight else { continue }
      values.append(v)
      weights.append(w)
      labels.append(c.label)
    }
    if values.isEmpty { return nil }
    return try WeightedMedian.analyze(values: values, weights: weights, labels: labels, settings: settings)
  }

  /// Runs the analysis overall and, with a `by` column, per subgroup (in order of first
  /// appearance).
  /// - Throws: ``InputError`` when no cohort of the file has a median; ``MetaAnalysisError`` from
  ///   the analysis.
  package static func run(_ file: PFSFile, settings: WeightedMedianSettings) throws -> PFSReport {
    guard file.cohorts.contains(where: { if case .value = $0.median { return true } else { return false } }) else {
      let missing = file.cohorts.count
      throw InputError.malformed(
        file: file.file, line: nil,
        reason: "no cohort has a median in column '\(file.valueColumn)' (\(missing) row(s), all empty, NR or NA); expected at least one number")
    }
    let overall = PFSReport.block(name: "all", cohorts: file.cohorts, result: try analyze(file.cohorts, settings: settings))
    var subgroups: [PFSReport.Block]? = nil
    if file.byColumn != nil {
      subgroups = try SubgroupOrder.split(file.cohorts) { $0.group ?? "" }.map { g in
        PFSReport.block(name: g.name, cohorts: g.members, result: try analyze(g.members, settings: settings))
      }
    }
    return PFSReport(
      orrmeta_version: OrrmetaVersion.current,
      input: .init(file),
      settings: PFSReport.settings(settings), overall: overall, subgroups: subgroups, warnings: file.warnings)
  }

  /// Renders a report.
  package static func render(_ report: PFSReport, format: SummaryFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.encode(report)
    case .text: return TerminalText.safe(PFSTextReport.render(report))
    }
  }
}
