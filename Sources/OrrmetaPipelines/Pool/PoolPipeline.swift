// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Reads nothing and prints nothing: turns a validated cohort file and settings into the
/// ``PoolReport`` (with subgroups when the file was read with a `by` column). Shared by `pool`,
/// `batch`, the multiverse and the report commands so that they all produce the same contract.
package enum PoolPipeline {
  /// Runs the analysis and builds its report. `cohortIntervals`: the cohorts' CIs computed
  /// beforehand, shared by many analyses of the file (the multiverse); the same numbers either way.
  package static func run(
    _ cohorts: CohortFile, settings: AnalysisSettings, clusters: ClusterColumn? = nil,
    cohortIntervals: CohortIntervals? = nil
  ) throws(MetaAnalysisError) -> PoolReport {
    if let clusters {
      let input = Self.input(cohorts)
      var report: PoolReport
      if let groups = cohorts.groups {
        let s = try ProportionMetaAnalysis.analyze(
          studies: cohorts.studies, groups: groups, settings: settings, clusters: clusters.values, clusterName: clusters.name)
        report = PoolReport(subgrouped: s, input: input, extraWarnings: cohorts.warnings, groups: groups)
      } else {
        let a = try ProportionMetaAnalysis.analyze(
          studies: cohorts.studies, clusters: clusters.values, clusterName: clusters.name, settings: settings,
          cohortIntervals: cohortIntervals)
        report = PoolReport(analysis: a, input: input, extraWarnings: cohorts.warnings)
      }
      report.common = MetaConventions.reportsCommonEffect(settings, clustered: true)
        ? try common(cohorts, settings: settings, report: report) : nil
      report.setClusters(clusters.values)
      return report
    }
    // The cohorts' CIs once, for the analysis and its common-effect fit (which computed them
    // again: about 40 % of a batch file's time went into these GSL quantiles).
    let shared = cohortIntervals ?? sharedIntervals(cohorts, settings: settings)
    return try report(
      cohorts, try fit(cohorts, settings: settings, cohortIntervals: shared), settings: settings, cohortIntervals: shared)
  }

  /// The cohorts' CIs of `settings`, computed once for the fits of one report that report or
  /// skip them (nil when they cannot be computed: each fit then meets the error itself).
  /// `memo`: intervals of earlier files (`batch`).
  package static func sharedIntervals(
    _ cohorts: CohortFile, settings: AnalysisSettings, memo: BinomialIntervalMemo? = nil
  ) -> CohortIntervals? {
    guard cohorts.groups == nil, settings.method != .EE, settings.method != .pooled else { return nil }
    return try? CohortIntervals(studies: cohorts.studies, method: settings.studyInterval, level: settings.level, memo: memo)
  }

  /// The fit of `pool` without clusters: all cohorts, and the subgroups when the file was read
  /// with a `by` column.
  package static func fit(
    _ cohorts: CohortFile, settings: AnalysisSettings, cohortIntervals: CohortIntervals? = nil
  ) throws(MetaAnalysisError) -> (overall: ProportionAnalysis, subgrouped: SubgroupedAnalysis?) {
    if let groups = cohorts.groups {
      let s = try ProportionMetaAnalysis.analyze(studies: cohorts.studies, groups: groups, settings: settings)
      return (s.overall, s)
    }
    return (try ProportionMetaAnalysis.analyze(studies: cohorts.studies, settings: settings, cohortIntervals: cohortIntervals), nil)
  }

  /// The report of a ``fit(_:settings:cohortIntervals:)`` (the report command fits once for the
  /// pooled blocks and the plots), with its `common` block.
  package static func report(
    _ cohorts: CohortFile, _ fit: (overall: ProportionAnalysis, subgrouped: SubgroupedAnalysis?),
    settings: AnalysisSettings, cohortIntervals: CohortIntervals? = nil
  ) throws(MetaAnalysisError) -> PoolReport {
    var report: PoolReport
    if let s = fit.subgrouped, let groups = cohorts.groups {
      report = PoolReport(subgrouped: s, input: input(cohorts), extraWarnings: cohorts.warnings, groups: groups)
    } else {
      report = PoolReport(analysis: fit.overall, input: input(cohorts), extraWarnings: cohorts.warnings)
    }
    report.common = try common(cohorts, settings: settings, report: report, cohortIntervals: cohortIntervals)
    return report
  }

  /// The `common` block: ``CommonEffect`` of the method; for EE the model itself; none for
  /// simple pooling.
  static func common(
    _ cohorts: CohortFile, settings: AnalysisSettings, report: PoolReport, cohortIntervals: CohortIntervals? = nil
  ) throws(MetaAnalysisError) -> PoolReport.Common? {
    if let c = try CommonEffect.fit(studies: cohorts.studies, settings: settings, cohortIntervals: cohortIntervals) {
      return PoolReport.common(PoolReport.model(c.summary), PoolReport.pooled(c.pooled))
    }
    return settings.method == .EE ? PoolReport.common(report.model, report.pooled) : nil
  }

  static func byColumnName(_ c: CohortFile) -> String? { c.byColumn }

  /// The report's `input` block of a cohort file.
  package static func input(_ cohorts: CohortFile) -> PoolReport.Input {
    PoolReport.Input(
      file: cohorts.file, events_column: cohorts.eventsColumn, n_column: cohorts.totalColumn,
      label_column: cohorts.labelColumn, by_column: cohorts.groups == nil ? nil : byColumnName(cohorts),
      filters: cohorts.filters)
  }

  /// The JSON document of `--format json` as UTF-8 bytes (what ``render(_:format:)`` returns as
  /// a `String`): `orrmeta batch` writes and hashes them without the string's copy and check.
  package static func jsonBytes(_ report: PoolReport) throws -> [UInt8] { try JSONOutput.bytes(report) }

  /// Renders a report in a format.
  package static func render(_ report: PoolReport, format: ReportFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.encode(report)
    case .text:
      // Under --profile meta the layout of R meta's print, to compare line by line.
      return TerminalText.safe(report.settings.profile == "meta" ? MetaPrintTextReport.render(report) : TextReport.render(report))
    case .markdown: return TerminalText.safe(MarkdownReport.render(report))
    case .csv: return try CSVReport.render(report)
    }
  }
}
