// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Rebuilds a publication's figures (`orrmeta reproduce`): from integer totals consistent with
/// it (``PublishedCheck``), from a sourced cohort table with the paper's simple pooling and
/// weighted median, and from the same table with a random-effects model.
package enum ReproducePipeline {
  /// The random-effects model of the fourth column: logit, REML, Hartung–Knapp.
  package static func randomEffectsSettings(level: ConfidenceLevel) -> AnalysisSettings {
    AnalysisSettings(measure: .PLO, method: .REML, test: .knha, level: level)
  }

  /// The three-level column: as the random-effects column, with cohorts nested in trials and
  /// t(k − 1) tests (metafor's rma.mv has no Hartung–Knapp option).
  package static func threeLevelSettings(level: ConfidenceLevel) -> AnalysisSettings {
    AnalysisSettings(measure: .PLO, method: .REML, test: .t, level: level)
  }

  /// The column names, as in the JSON (owned by ``ReproduceReport``).
  static let totalsColumn = ReproduceReport.totalsColumn
  static let paperColumn = ReproduceReport.paperColumn
  static let randomEffectsColumn = ReproduceReport.randomEffectsColumn

  /// Builds the report.
  ///
  /// - Parameters:
  ///   - cohorts: the sourced cohort table (events and n; other columns used by the figures'
  ///     `cohort_column`, `value_column`, `weights_column`).
  ///   - published: the published figures.
  ///   - fixtures: the fixture directory, for the report.
  ///   - medianSettings: the weighted median's settings.
  /// - Throws: ``InputError`` when a figure names a column or level the cohort table lacks;
  ///   ``MetaAnalysisError`` from the analyses.
  package static func run(
    cohorts: CohortFile, published: PublishedFigures, fixtures: String? = nil,
    medianSettings: WeightedMedianSettings = .init()
  ) throws -> ReproduceReport {
    let check = try PublishedCheck.run(published)
    let table = cohorts.table
    var rows: [ReproduceReport.FigureRow] = []
    var details: [ReproduceReport.Detail] = []
    var warnings: [String] = cohorts.warnings

    let header = try HeaderColumns(table)
    let trialIndex = header.optionalIndex("trial")
    func subset(_ column: String?, _ level: String?, figure: String) throws(InputError) -> [Int] {
      guard let column, let level else { return Array(table.records.indices) }
      let c = try header.index(column, ", which \(published.file) names as cohort_column of '\(figure)'")
      let rows = table.records.indices.filter { table.records[$0][c].trimmingCharacters(in: .whitespaces) == level }
      guard !rows.isEmpty else {
        throw .malformed(file: cohorts.file, line: nil, reason: "no row has \(column) = '\(level)', which \(published.file) names for '\(figure)'")
      }
      return rows
    }
    func trials(_ rows: [Int]) -> Int? {
      trialIndex.map { t in Set(rows.map { table.records[$0][t].trimmingCharacters(in: .whitespaces) }).count }
    }
    func row(_ name: String, unit: String, figure: RoundedFigure, _ totals: Double?, _ paper: Double?, _ re: Double?) -> ReproduceReport.FigureRow {
      var by: [String] = []
      if let v = totals, figure.admits(v) { by.append(totalsColumn) }
      if let v = paper, figure.admits(v) { by.append(paperColumn) }
      if let v = re, figure.admits(v) { by.append(randomEffectsColumn) }
      return .init(name: name, unit: unit, decimals: figure.decimals, published: figure.value, from_published_totals: totals,
                   sourced_paper_method: paper, sourced_random_effects: re, reproduced: !by.isEmpty, reproduced_by: by)
    }

    for p in published.proportions {
      let r = p.reported
      let indices = try subset(p.cohortColumn, p.cohortLevel, figure: p.name)
      let studies = indices.map { cohorts.studies[$0] }
      let rebuilt = check.rebuilt(p.name)
      let wholeMethod = p.partitionOf.flatMap { check.rebuilt($0)?.ciMethod }
      let ciMethod = rebuilt?.ciMethod ?? wholeMethod ?? .clopperPearson
      let simple = try SimplePooling(studies: studies, method: ciMethod, level: r.level)
      let re = try ProportionMetaAnalysis.analyze(studies: studies, settings: randomEffectsSettings(level: r.level))
      let paperWidth = simple.ciUpper - simple.ciLower
      let reWidth = re.pooled.ciUpper - re.pooled.ciLower

      rows.append(row(p.name, unit: "percent", figure: r.percent, rebuilt?.percent, 100 * simple.proportion, 100 * re.pooled.proportion))
      if let lo = r.ciLower, let hi = r.ciUpper {
        rows.append(row("\(p.name)_ci_lower", unit: "percent", figure: lo, rebuilt?.ciLower, 100 * simple.ciLower, 100 * re.pooled.ciLower))
        rows.append(row("\(p.name)_ci_upper", unit: "percent", figure: hi, rebuilt?.ciUpper, 100 * simple.ciUpper, 100 * re.pooled.ciUpper))
      }
      let isWhole = p.cohortColumn == nil && p.partitionOf == nil
      let publishedColumn = ReproduceReport.PublishedColumn(
        k: isWhole ? published.counts.cohorts : nil, trials: isWhole ? published.counts.trials : nil,
        n: r.patients ?? (isWhole ? published.counts.patients : nil), ci_level: r.hasInterval ? r.level.percent : nil)
      let totalsColumn = rebuilt.map(ReproduceReport.TotalsColumn.init)
      var paper = ReproduceReport.PaperColumn(k: studies.count, n: Double(simple.total))
      paper.trials = trials(indices)
      paper.events = simple.events
      paper.estimate = 100 * simple.proportion
      paper.ci_method = ciMethod.rawValue
      paper.ci_lower = 100 * simple.ciLower
      paper.ci_upper = 100 * simple.ciUpper
      let h = re.heterogeneity
      var reColumn = ReproduceReport.RandomEffectsColumn(
        .init(k: re.k, n: re.totalPatients, warnings: re.warnings.map(\.description)), interval: IntervalEstimate(percent: re.pooled))
      reColumn.tau2 = finite(h.tau2)
      reColumn.i2 = finite(h.i2)
      reColumn.i2_ci_lower = finite(h.i2CILower)
      reColumn.i2_ci_upper = finite(h.i2CIUpper)
      reColumn.ci_width_ratio = paperWidth > 0 ? finite(reWidth / paperWidth) : nil
      let subsetName = p.cohortColumn.map { "\($0) = \(p.cohortLevel!)" } ?? "all cohorts"
      var detail = ReproduceReport.Detail(
        figure: p.name, kind: "proportion", unit: "percent", subset: subsetName, published: publishedColumn,
        from_published_totals: totalsColumn, sourced_paper_method: paper, sourced_random_effects: reColumn)
      if let t = trialIndex, studies.count >= 3, (trials(indices) ?? 0) >= 2 {
        let labels = indices.map { table.records[$0][t].trimmingCharacters(in: .whitespaces) }
        let three = try ProportionMetaAnalysis.analyze(
          studies: studies, clusters: labels, clusterName: "trial", settings: threeLevelSettings(level: r.level))
        if let fit = three.multilevel {
          var column = ReproduceReport.ThreeLevelColumn(.init(k: fit.k, trials: fit.clusters), interval: IntervalEstimate(percent: three.pooled))
          column.sigma2_trial = finite(fit.levels[0].sigma2)
          column.sigma2_cohort = finite(fit.levels[1].sigma2)
          column.lrt = finite(fit.lrtStatistic)
          column.lrt_p_value = finite(fit.lrtPValue)
          column.ci_width_ratio = reWidth > 0 ? finite((three.pooled.ciUpper - three.pooled.ciLower) / reWidth) : nil
          detail.sourced_three_level = column
        }
      }
      details.append(detail)
      if rebuilt == nil {
        warnings.append("\(p.name): no integer totals are consistent with the published figures, so the rebuilt column is empty (see orrmeta check)")
      }
    }

    for m in published.medians {
      let indices = try subset(m.cohortColumn, m.cohortLevel, figure: m.name)
      let pfs = try PFSFile.load(table: table, columns: PFSColumnSelection(value: m.valueColumn, weights: m.weightsColumn, label: cohorts.labelColumn))
      let members = indices.map { pfs.cohorts[$0] }
      let result = try PFSPipeline.analyze(members, settings: medianSettings)
      let block = PFSReport.block(name: m.name, cohorts: members, result: result)
      let iv = try pooledFromIntervals(table: table, valueColumn: m.valueColumn, labelColumn: cohorts.labelColumn, indices: indices, weights: pfs)
      rows.append(row(m.name, unit: m.unit, figure: m.value, nil, result.map(\.estimate), iv?.interval.estimate))
      let used = indices.filter { if case .value = pfs.cohorts[$0].median { return true } else { return false } }
      var paper = ReproduceReport.PaperColumn(k: block.k, n: block.total_weight ?? 0)
      paper.trials = trials(used)
      paper.estimate = block.weighted_median
      paper.left_out = block.left_out.count
      paper.left_out_labels = block.left_out.labels
      paper.sign_test_ci_lower = block.sign_test_ci_lower
      paper.sign_test_ci_upper = block.sign_test_ci_upper
      paper.bootstrap_ci_lower = block.bootstrap_ci_lower
      paper.bootstrap_ci_upper = block.bootstrap_ci_upper
      let subsetName = m.cohortColumn.map { "\($0) = \(m.cohortLevel!)" } ?? "all cohorts"
      details.append(ReproduceReport.Detail(
        figure: m.name, kind: "median", unit: m.unit, subset: subsetName,
        published: ReproduceReport.PublishedColumn(k: nil, trials: nil, n: nil), from_published_totals: nil,
        sourced_paper_method: paper, sourced_random_effects: iv))
      if block.left_out.count > 0 {
        warnings.append("\(m.name): \(block.left_out.count) of \(members.count) cohorts have no median (not reached or not reported) and are left out of the weighted median")
      }
    }
    if let k = published.counts.cohorts, k != cohorts.studies.count {
      warnings.append("the sourced table has \(cohorts.studies.count) cohorts; the publication reports \(k): the cohort sets differ")
    }

    let rule = "a column reproduces a figure when it rounds to it at the printed number of decimals (either direction of an exact half)"
    var report = ReproduceReport(
      orrmeta_version: OrrmetaVersion.current, fixtures: fixtures, cohort_file: cohorts.file, row_filters: cohorts.filters, published_file: published.file,
      source_title: published.title,
      methods: .init(
        from_published_totals: "whole numbers of responders and patients consistent with every printed figure, closest to them (orrmeta check); CI with the first of clopper-pearson, wilson, wald, agresti-coull, jeffreys, wilson-cc that reproduces the printed CI",
        sourced_paper_method: "sum of responders / sum of patients over the sourced cohorts, CI with the same method as the rebuilt column; medians: sample-size-weighted median of cohort medians (\(medianSettings.method.rawValue)), cohorts without a median left out",
        sourced_random_effects: "logit (PLO), REML, Hartung-Knapp (t, k-1 df), back-transformed; prediction interval mu +/- t(k-1) sqrt(SE^2 + tau^2); medians: inverse-variance random-effects pooling of the cohort medians from their reported CIs (SE = (upper - lower)/(2 z), or (median - lower)/z when the upper bound is not reached; REML, z; McGrath et al. 2025, metamedian_survival), cohorts without a median CI left out",
        sourced_three_level: "three-level model, cohorts nested in trials (metafor rma.mv(random = ~ 1 | trial/cohort)): logit (PLO), REML, t(k-1) tests, back-transformed; prediction interval mu +/- t(k-1) sqrt(SE^2 + sigma2_trial + sigma2_cohort); LRT against the two-level model (chi^2, 1 df)",
        weighted_median: "\(medianSettings.method.rawValue): \(medianSettings.method.name); sign-test CI (metamedian pool.med) and percentile bootstrap (\(medianSettings.bootstrapReplicates) replicates, seed \(medianSettings.seed))",
        reproduced: rule),
      figures: rows, details: details, check_summary: check.report.summary, warnings: warnings)
    report.comparisons = try comparisons(cohorts, published, warnings: &report.warnings)
    report.multiverse = ReproduceMultiverse.place(published, cohorts: cohorts)
    return report
  }

  /// The inverse-variance pooled median (REML, z: metamedian's defaults) of the cohorts of a
  /// subset that report a CI of their median, or nil when the table has no CI columns for the
  /// median column (``IntervalColumns/median(_:)``) or no cohort of the subset has a usable CI.
  static func pooledFromIntervals(
    table: CSVTable, valueColumn: String, labelColumn: String?, indices: [Int], weights: PFSFile
  ) throws -> ReproduceReport.RandomEffectsColumn? {
    let columns = IntervalColumns.median(valueColumn)
    let header = try HeaderColumns(table)
    guard header.optionalIndex(columns.lower) != nil, header.optionalIndex(columns.upper) != nil else { return nil }
    let measure = PFSIntervalMeasure.median(estimand: .median, column: valueColumn)
    let file = try PFSIntervalFile.load(table: table, measure: measure, label: labelColumn, by: nil)
    let members = indices.map { file.rows[$0] }
    let block = try PFSPooledPipeline.block(name: valueColumn, rows: members, measure: measure, settings: .init())
    guard let iv = block.iv else { return nil }
    let patients = indices.filter { file.rows[$0].leftOut == nil }.reduce(0.0) { $0 + (weights.cohorts[$1].weight ?? 0) }
    var column = ReproduceReport.RandomEffectsColumn(.init(
      k: iv.k, n: Int(patients),
      warnings: ["inverse-variance pooled median over the \(iv.k) of \(indices.count) cohorts that report a CI of their median (\(block.left_out.count) left out)"] + block.warnings),
      interval: iv.model.interval)
    column.tau2 = iv.heterogeneity.tau2
    column.i2 = iv.heterogeneity.i2
    return column
  }

  /// Renders a report.
  package static func render(_ report: ReproduceReport, format: SummaryFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.encode(report)
    case .text: return TerminalText.safe(ReproduceTextReport.render(report))
    }
  }
}
