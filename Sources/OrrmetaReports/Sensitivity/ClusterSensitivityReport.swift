// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// `orrmeta sensitivity --cluster`: cluster-level diagnostics of the three-level model
/// (leave-one-cluster-out, influence per cluster, cumulative by cluster, multilevel Egger test,
/// the cluster bootstrap and GOSH over clusters).
/// Estimates are on the model's scale, with the back-transformed proportion next to them.
package struct ClusterSensitivityReport: Encodable, Sendable {
  package struct Row: Encodable, Sendable {
    /// The cluster (left out, or added last for `cumulative`).
    package var label: String
    /// Cohorts in the cluster (leave-one-out) or in the cumulative fit.
    package var cohorts: Int
    package var estimate: Double?
    package var se: Double?
    package var ci_lower: Double?
    package var ci_upper: Double?
    package var proportion: Double?
    /// σ² (cluster level, cohort level).
    package var sigma2: [Double?]
  }
  package struct InfluenceRow: Encodable, Sendable {
    package var label: String
    package var cooks_distance: Double?
    /// DFBETAS of the intercept.
    package var dfbetas: Double?
    /// Change in σ² (cluster level, cohort level) when the cluster is left out.
    package var sigma2_change: [Double?]
  }
  package struct Egger: Encodable, Sendable {
    package var intercept: Double?
    package var slope: Double?
    package var se: Double?
    package var statistic: Double?
    package var p_value: Double?
    package var method: String
  }
  /// The cluster bootstrap (`bootstrap`).
  package struct Bootstrap: Encodable, Sendable {
    package var resamples: Int
    package var seed: UInt64
    /// Resamples with fewer than 2 distinct clusters or 3 cohorts (not fitted).
    package var unfittable: Int
    /// Resamples whose fit failed.
    package var failed: Int
    package var ci_lower: Double?
    package var ci_upper: Double?
    package var proportion_ci_lower: Double?
    package var proportion_ci_upper: Double?
    /// Percentile CIs of σ² (cluster level, cohort level).
    package var sigma2_ci_lower: [Double?]
    package var sigma2_ci_upper: [Double?]
    package var bias: Double?
    package var se: Double?
    package var estimate_summary: DistributionSummary
    /// Summaries of σ̂²* (cluster level, cohort level).
    package var sigma2_summary: [DistributionSummary]
    package var method: String
  }
  /// One GOSH subset fit.
  package struct GoshFit: Encodable, Sendable {
    package var clusters: [String]
    package var k: Int
    package var estimate: Double?
    package var sigma2: [Double?]
    package var i2_total: Double?
  }
  /// GOSH over clusters (`gosh`).
  package struct Gosh: Encodable, Sendable {
    package var clusters: Int
    package var exhaustive: Bool
    package var subsets: Int
    package var rejected: Int
    package var seed: UInt64?
    package var failed: Int
    package var estimate_summary: DistributionSummary
    package var sigma2_summary: [DistributionSummary]
    package var i2_total_summary: DistributionSummary
    package var fits: [GoshFit]
    package var method: String
  }
  package var orrmeta_version: String
  package var input: PoolReport.Input
  package var settings: PoolReport.Settings
  /// The full three-level fit: μ̂, SE, σ² per level.
  package var estimate: Double?
  package var se: Double?
  package var sigma2: [Double?]
  package var leave_one_cluster_out: [Row]?
  package var influence: [InfluenceRow]?
  package var cumulative: [Row]?
  package var bias: Egger?
  package var bootstrap: Bootstrap?
  package var gosh: Gosh?
  package var warnings: [String]

  /// Runs the requested analyses.
  package static func run(
    _ cohorts: CohortFile, settings: AnalysisSettings, clusters: ClusterColumn,
    leaveOneOut: Bool, influence: Bool, cumulative: Bool, bias: Bool,
    bootstrap: Int? = nil, goshSubsets: Int? = nil, seed: UInt64 = 1, threads: Int = availableProcessorCount()
  ) throws -> ClusterSensitivityReport {
    if settings.method == .GLMM {
      guard !influence, !bias, bootstrap == nil, goshSubsets == nil else {
        throw MetaAnalysisError.invalidSetting(
          name: "--method", value: "GLMM", expected: "leave-one-cluster-out or cumulative only with --cluster (the other cluster analyses refit the inverse-variance three-level model)")
      }
      return try runGLMM(cohorts, settings: settings, clusters: clusters, leaveOneOut: leaveOneOut, cumulative: cumulative)
    }
    guard let method = settings.method.tauSquaredMethod, method == .REML || method == .ML else {
      throw MetaAnalysisError.invalidSetting(name: "--method", value: settings.method.rawValue, expected: "REML, ML or GLMM with --cluster (the three-level model)")
    }
    let es = try EffectSizes(studies: cohorts.studies, settings: settings)
    let structure = ClusterStructure(clusters: clusters.values)
    let harmonic = Double(cohorts.studies.count) / cohorts.studies.reduce(0) { $0 + 1 / Double($1.total) }
    let bt = settings.backTransformation
    func row(_ d: ClusterDeletion) -> Row {
      Row(label: d.label, cohorts: d.cohorts, estimate: finite(d.estimate), se: finite(d.standardError),
          ci_lower: finite(d.ciLower), ci_upper: finite(d.ciUpper),
          proportion: finite(bt.apply(d.estimate, harmonicMeanN: harmonic)), sigma2: d.sigma2.map(finite))
    }
    let (full, deletions) = try ClusterInfluence.leaveOneClusterOut(
      yi: es.yi, vi: es.vi, clusters: structure, clusterName: clusters.name, method: method, test: settings.test,
      level: settings.level)
    var echoed = PoolReport.settings(settings, k: full.k)
    PoolReport.describeThreeLevel(&echoed, full)
    var egger: Egger? = nil
    if bias {
      let e = try ClusterInfluence.egger(yi: es.yi, vi: es.vi, clusters: structure, method: method, test: settings.test, level: settings.level)
      egger = Egger(
        intercept: finite(e.intercept), slope: finite(e.slope), se: finite(e.standardError), statistic: finite(e.statistic),
        p_value: finite(e.pValue), method: "multilevel Egger test: sqrt(vi) as moderator in the three-level model (rma.mv(mods = ~ sqrt(vi)))")
    }
    let options = ClusterResamplingOptions(method: method, test: settings.test, level: settings.level, seed: seed, threads: threads)
    var boot: Bootstrap? = nil
    if let bootstrap {
      let b = try ClusterResampling.bootstrap(yi: es.yi, vi: es.vi, clusters: structure, resamples: bootstrap, options: options)
      let pa = bt.apply(b.ciLower, harmonicMeanN: harmonic), pb = bt.apply(b.ciUpper, harmonicMeanN: harmonic)
      boot = Bootstrap(
        resamples: b.resamples, seed: b.seed, unfittable: b.unfittable, failed: b.failed, ci_lower: finite(b.ciLower),
        ci_upper: finite(b.ciUpper), proportion_ci_lower: finite(min(pa, pb)), proportion_ci_upper: finite(max(pa, pb)),
        sigma2_ci_lower: b.sigma2CILower.map(finite), sigma2_ci_upper: b.sigma2CIUpper.map(finite), bias: finite(b.bias),
        se: finite(b.standardError), estimate_summary: b.estimateSummary, sigma2_summary: b.sigma2Summary,
        method: "cluster bootstrap: \(structure.count) \(clusters.name) clusters drawn with replacement per resample, three-level \(method.rawValue) refit; percentile CIs")
    }
    var goshBlock: Gosh? = nil
    if let goshSubsets {
      let g = try ClusterResampling.gosh(yi: es.yi, vi: es.vi, clusters: structure, maxSubsets: goshSubsets, options: options)
      let fits = (0..<g.subsets).map { s in
        GoshFit(
          clusters: (0..<g.clusters).filter { g.includes(subset: s, cluster: $0) }.map { structure.labels[$0] }, k: g.cohorts[s],
          estimate: finite(g.estimate[s]), sigma2: [finite(g.sigma2Cluster[s]), finite(g.sigma2Cohort[s])], i2_total: finite(g.i2Total[s]))
      }
      goshBlock = Gosh(
        clusters: g.clusters, exhaustive: g.exhaustive, subsets: g.subsets, rejected: g.rejected, seed: g.seed, failed: g.failed,
        estimate_summary: DistributionSummary(g.estimate), sigma2_summary: [DistributionSummary(g.sigma2Cluster), DistributionSummary(g.sigma2Cohort)],
        i2_total_summary: DistributionSummary(g.i2Total), fits: fits,
        method: g.exhaustive
          ? "GOSH over clusters: every subset of the \(g.clusters) \(clusters.name) clusters with at least 2 clusters and 3 cohorts, three-level \(method.rawValue) fit"
          : "GOSH over clusters: random subsets (each \(clusters.name) cluster in with probability 1/2; draws with fewer than 2 clusters or 3 cohorts drawn again), three-level \(method.rawValue) fit")
    }
    var warnings = cohorts.warnings + full.warnings.map(\.description)
    if let b = boot, b.unfittable + b.failed > 0 {
      warnings.append("cluster bootstrap: \(b.unfittable) of \(b.resamples) resamples had fewer than 2 distinct clusters or 3 cohorts and \(b.failed) fits failed; the percentile CIs use the other \(b.resamples - b.unfittable - b.failed)")
    }
    if let g = goshBlock, g.failed > 0 { warnings.append("GOSH over clusters: \(g.failed) of \(g.subsets) subset fits failed and are left out of the summaries") }
    let failed = deletions.filter { $0.estimate.isNaN }.map(\.label)
    if !failed.isEmpty { warnings.append("leave-one-cluster-out: no fit without \(failed.joined(separator: ", ")) (fewer than 3 cohorts or 2 clusters left)") }
    return ClusterSensitivityReport(
      orrmeta_version: OrrmetaVersion.current,
      input: PoolReport.Input(file: cohorts.file, events_column: cohorts.eventsColumn, n_column: cohorts.totalColumn, label_column: cohorts.labelColumn, by_column: nil),
      settings: echoed, estimate: finite(full.estimate), se: finite(full.standardError),
      sigma2: full.levels.map { finite($0.sigma2) },
      leave_one_cluster_out: leaveOneOut ? deletions.map(row) : nil,
      influence: influence ? deletions.map { InfluenceRow(label: $0.label, cooks_distance: finite($0.cooksDistance), dfbetas: finite($0.dfbetas[0]), sigma2_change: $0.sigma2Change.map(finite)) } : nil,
      cumulative: cumulative ? ClusterInfluence.cumulative(yi: es.yi, vi: es.vi, clusters: structure, method: method, test: settings.test, level: settings.level).map(row) : nil,
      bias: egger, bootstrap: boot, gosh: goshBlock, warnings: warnings)
  }

  /// The three-level binomial-normal GLMM (`--method GLMM`): leave-one-cluster-out and
  /// cumulative refits (``ThreeLevelGLMMSensitivity``), the only cluster analyses it has.
  static func runGLMM(
    _ cohorts: CohortFile, settings: AnalysisSettings, clusters: ClusterColumn, leaveOneOut: Bool, cumulative: Bool
  ) throws -> ClusterSensitivityReport {
    let structure = ClusterStructure(clusters: clusters.values)
    let studies = cohorts.studies
    let full = try ThreeLevelBinomialNormalModel.fit(
      studies: studies, clusters: structure, clusterName: clusters.name, nAGQ: settings.quadraturePoints,
      test: settings.test, level: settings.level, profileIntervals: false)
    let summary = full.threeLevelSummary
    var echoed = PoolReport.settings(settings, k: full.k)
    PoolReport.describeThreeLevel(&echoed, summary, glmm: full)
    echoed.nagq = full.nAGQ
    let harmonic = Double(studies.count) / studies.reduce(0) { $0 + 1 / Double($1.total) }
    let bt = settings.backTransformation
    func row(_ r: ThreeLevelGLMMRefit) -> Row {
      let d = r.deletion
      return Row(label: d.label, cohorts: d.cohorts, estimate: finite(d.estimate), se: finite(d.standardError),
          ci_lower: finite(d.ciLower), ci_upper: finite(d.ciUpper),
          proportion: finite(bt.apply(d.estimate, harmonicMeanN: harmonic)), sigma2: d.sigma2.map(finite))
    }
    var warnings = cohorts.warnings + full.warnings.map(\.description)
    let n = settings.quadraturePoints
    let loo = leaveOneOut
      ? ThreeLevelGLMMSensitivity.leaveOneClusterOut(studies: studies, clusters: structure, nAGQ: n, test: settings.test, level: settings.level)
      : nil
    let cum = cumulative
      ? ThreeLevelGLMMSensitivity.cumulative(studies: studies, clusters: structure, nAGQ: n, test: settings.test, level: settings.level)
      : nil
    if let failed = loo?.filter({ $0.fit == nil }).map(\.label), !failed.isEmpty {
      warnings.append("leave-one-cluster-out: no fit without \(failed.joined(separator: ", ")) (fewer than 3 cohorts or 2 clusters left, or the GLMM fit failed)")
    }
    for (name, rows) in [("leave-one-cluster-out", loo ?? []), ("cumulative", cum ?? [])] {
      let boundary = rows.filter { r in r.fit.map { $0.levels.contains { $0.sigma2 == 0 } } ?? false }.map(\.label)
      if !boundary.isEmpty {
        warnings.append("\(name): a sigma^2 is at 0 in the refits for \(boundary.joined(separator: ", ")) (see each fit's sigma2)")
      }
    }
    return ClusterSensitivityReport(
      orrmeta_version: OrrmetaVersion.current,
      input: PoolReport.Input(file: cohorts.file, events_column: cohorts.eventsColumn, n_column: cohorts.totalColumn, label_column: cohorts.labelColumn, by_column: nil),
      settings: echoed, estimate: finite(full.estimate), se: finite(full.standardError),
      sigma2: full.levels.map { finite($0.sigma2) },
      leave_one_cluster_out: loo?.map(row), influence: nil, cumulative: cum?.map(row),
      bias: nil, bootstrap: nil, gosh: nil, warnings: warnings)
  }

  /// JSON or text.
  package static func render(_ r: ClusterSensitivityReport, format: SummaryFormat) throws -> String {
    if format == .json { return try JSONOutput.encode(r) }
    var out = "orrmeta \(r.orrmeta_version): cluster diagnostics of the three-level model (cohorts in \(r.settings.cluster ?? "clusters"))\n"
    out += "File: \(r.input.file); measure \(r.settings.measure), \(r.settings.method_name), test \(r.settings.test)\n"
    out += "Full fit: estimate \(Fmt.f(r.estimate)) (SE \(Fmt.f(r.se))); sigma^2 \(r.sigma2.map { Fmt.f($0) }.joined(separator: " / "))\n"
    func table(_ title: String, _ rows: [Row]) {
      out += "\n\(title)\n"
      for x in rows {
        out += "  \(Fmt.pad(x.label, 24))  k \(Fmt.pad("\(x.cohorts)", 3, right: true))  \(Fmt.f(x.estimate)) [\(Fmt.f(x.ci_lower)), \(Fmt.f(x.ci_upper))]  \(Fmt.pct(x.proportion))  sigma^2 \(x.sigma2.map { Fmt.f($0) }.joined(separator: " / "))\n"
      }
    }
    if let l = r.leave_one_cluster_out { table("Leave one cluster out", l) }
    if let inf = r.influence {
      out += "\nInfluence per cluster (Cook's distance, DFBETAS, change in sigma^2)\n"
      for x in inf {
        out += "  \(Fmt.pad(x.label, 24))  \(Fmt.f(x.cooks_distance))  \(Fmt.f(x.dfbetas))  \(x.sigma2_change.map { Fmt.f($0) }.joined(separator: " / "))\n"
      }
    }
    if let c = r.cumulative { table("Cumulative by cluster", c) }
    if let b = r.bias {
      out += "\n\(b.method): slope \(Fmt.f(b.slope)) (SE \(Fmt.f(b.se))), statistic \(Fmt.f(b.statistic, 3)), p = \(Fmt.p(b.p_value))\n"
    }
    if let g = r.gosh {
      let how = g.exhaustive ? "all \(g.subsets) subsets with >= 2 clusters and >= 3 cohorts" : "\(g.subsets) random subsets (seed \(g.seed.map(String.init) ?? "NA"))"
      out += "\nGOSH over clusters: \(how) of the \(g.clusters) clusters\n"
      if g.failed > 0 { out += "  \(g.failed) fits failed and are left out\n" }
      out += SensitivityTextReport.summaryTable([
        ("estimate", g.estimate_summary), ("sigma^2 \(r.settings.cluster ?? "cluster")", g.sigma2_summary[0]),
        ("sigma^2 cohort", g.sigma2_summary[1]), ("I^2 total", g.i2_total_summary),
      ])
    }
    if let b = r.bootstrap {
      let level = Fmt.f(r.settings.level, 0)
      out += "\nCluster bootstrap (\(b.resamples) resamples of the clusters, seed \(b.seed))\n"
      out += "  percentile \(level)% CI of the estimate: [\(Fmt.f(b.ci_lower)), \(Fmt.f(b.ci_upper))]; proportion [\(Fmt.pct(b.proportion_ci_lower)), \(Fmt.pct(b.proportion_ci_upper))]\n"
      out += "  percentile \(level)% CI of sigma^2: \(zip(b.sigma2_ci_lower, b.sigma2_ci_upper).map { "[\(Fmt.f($0)), \(Fmt.f($1))]" }.joined(separator: " / "))\n"
      out += "  bias \(Fmt.f(b.bias)), SE \(Fmt.f(b.se)); \(b.unfittable) unfittable, \(b.failed) failed\n"
    }
    if !r.warnings.isEmpty { out += "\nWarnings\n" + r.warnings.map { "  - \($0)\n" }.joined() }
    return out
  }
}
