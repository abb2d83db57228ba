// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Reads nothing and prints nothing: fits every specification of the multiverse through
/// ``PoolPipeline/run(_:settings:clusters:)`` (the one code path of `orrmeta pool`, so each row
/// is bit-identical to `pool` with the row's `pool_arguments`), on `threads` workers, and
/// builds the ``MultiverseReport``. The order of the rows is the order of
/// ``MultiverseChoices/specifications(clusterColumn:)`` whatever the number of threads.
package enum MultiversePipeline {
  /// One specification's outcome: the pool report, or the message of the error it raised.
  package struct Fit: Sendable {
    package var specification: MultiverseSpecification
    package var report: PoolReport?
    package var error: String?
  }

  /// Fits every specification (in parallel) and builds the report.
  package static func run(
    _ cohorts: CohortFile, choices: MultiverseChoices, clusters: ClusterColumn? = nil,
    reference: Double? = nil, threads: Int = 1
  ) -> MultiverseReport {
    let specs = choices.specifications(clusterColumn: clusters?.name)
    let fits = fit(specs, cohorts: cohorts, clusters: clusters, threads: threads)
    return report(fits, cohorts: cohorts, choices: choices, clusters: clusters, reference: reference)
  }

  /// Fits the specifications; `fits[i]` belongs to `specs[i]` whatever `threads` is.
  package static func fit(
    _ specs: [MultiverseSpecification], cohorts: CohortFile, clusters: ClusterColumn?, threads: Int
  ) -> [Fit] {
    var fits = specs.map { Fit(specification: $0, report: nil, error: nil) }
    // The cohorts' exact CIs, shared by every specification that reports them (all but simple
    // pooling with another CI): computed once instead of once per specification.
    let level = specs.first?.settings.level ?? .ninetyFive
    let shared = try? CohortIntervals(studies: cohorts.studies, method: .clopperPearson, level: level)
    fits.withUnsafeMutableBufferPointer { slots in
      // Each worker writes only the slots of its own specifications.
      forEachChunk(specs.count, threads: threads) { i in
        do {
          slots[i].report = try PoolPipeline.run(
            cohorts, settings: specs[i].settings, clusters: specs[i].usesClusters ? clusters : nil, cohortIntervals: shared)
        } catch {
          slots[i].error = (error as? MetaAnalysisError)?.description ?? "\(error)"
        }
      }
    }
    return fits
  }

  /// Builds the report from the fits.
  package static func report(
    _ fits: [Fit], cohorts: CohortFile, choices: MultiverseChoices, clusters: ClusterColumn?, reference: Double?
  ) -> MultiverseReport {
    let rows = fits.flatMap { Self.rows(of: $0, fileWarnings: cohorts.warnings.count) }
    let overall = rows.filter { $0.subgroup == nil }
    let totals = cohorts.studies.reduce(into: PoolReport.Totals(events: 0, n: 0)) { $0.events += $1.events; $0.n += $1.total }
    return MultiverseReport(
      orrmeta_version: OrrmetaVersion.current, input: PoolPipeline.input(cohorts), k: cohorts.studies.count,
      totals: totals,
      settings: MultiverseReport.Settings(
        level: choices.level.percent, cluster: clusters?.name,
        models: choices.effectiveModels(hasClusters: clusters != nil).map(\.rawValue),
        measures: choices.measures.map(\.rawValue), methods: choices.methods.map(\.rawValue),
        tests: choices.tests.map(\.rawValue), ci_methods: choices.ciMethods.map(\.rawValue),
        nagq: choices.quadraturePoints, reference: reference),
      specifications: rows, summary: MultiverseSummary.make(overall, specifications: fits.count, reference: reference),
      flags: MultiverseFlags.all(fits, rows: overall, cohorts: cohorts, reference: reference), warnings: cohorts.warnings)
  }

  /// The rows of one fit: the overall result, then one per subgroup.
  static func rows(of fit: Fit, fileWarnings: Int) -> [MultiverseReport.Row] {
    let s = fit.specification
    let simple = s.model == .simple
    func row(_ subgroup: String?, _ k: Int, _ m: PoolReport.Model?, _ p: PoolReport.Pooled?, _ h: PoolReport.Heterogeneity?, _ converged: Bool, _ warnings: [String]) -> MultiverseReport.Row {
      MultiverseReport.Row(
        MultiverseReport.RowFields(
          id: s.id, subgroup: subgroup, model: s.model.rawValue, measure: simple ? nil : s.settings.measure.rawValue,
          method: s.settings.method.rawValue, test: simple ? nil : s.settings.test.rawValue,
          ci_method: simple ? s.settings.studyInterval.rawValue : nil, k: k, estimate: simple ? nil : m?.estimate,
          tau2: h?.tau2, i2: h?.i2, converged: converged, warnings: warnings, error: fit.error, pool_arguments: s.poolArguments),
        group: p ?? .failed)
    }
    guard let r = fit.report else { return [row(nil, 0, nil, nil, nil, false, [])] }
    var out = [row(nil, r.k, r.model, r.pooled, r.heterogeneity, r.convergence.converged, Array(r.warnings.dropFirst(fileWarnings)))]
    for g in r.subgroups ?? [] {
      out.append(row(g.name, g.k, g.model, g.pooled, g.heterogeneity, g.convergence.converged, g.warnings))
    }
    return out
  }
}
