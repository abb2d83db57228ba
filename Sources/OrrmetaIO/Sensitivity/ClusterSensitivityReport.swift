// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// `orrmeta sensitivity --cluster`: cluster-level diagnostics of the three-level model
/// (leave-one-cluster-out, influence per cluster, cumulative by cluster, multilevel Egger test).
/// Estimates are on the model's scale, with the back-transformed proportion next to them.
public struct ClusterSensitivityReport: Encodable, Sendable {
  public struct Row: Encodable, Sendable {
    /// The cluster (left out, or added last for `cumulative`).
    public var label: String
    /// Cohorts in the cluster (leave-one-out) or in the cumulative fit.
    public var cohorts: Int
    public var estimate: Double?
    public var se: Double?
    public var ci_lower: Double?
    public var ci_upper: Double?
    public var proportion: Double?
    /// σ² (cluster level, cohort level).
    public var sigma2: [Double?]
  }
  public struct InfluenceRow: Encodable, Sendable {
    public var label: String
    public var cooks_distance: Double?
    /// DFBETAS of the intercept.
    public var dfbetas: Double?
    /// Change in σ² (cluster level, cohort level) when the cluster is left out.
    public var sigma2_change: [Double?]
  }
  public struct Egger: Encodable, Sendable {
    public var intercept: Double?
    public var slope: Double?
    public var se: Double?
    public var statistic: Double?
    public var p_value: Double?
    public var method: String
  }
  public var orrmeta_version: String
  public var input: PoolReport.Input
  public var settings: PoolReport.Settings
  /// The full three-level fit: μ̂, SE, σ² per level.
  public var estimate: Double?
  public var se: Double?
  public var sigma2: [Double?]
  public var leave_one_cluster_out: [Row]?
  public var influence: [InfluenceRow]?
  public var cumulative: [Row]?
  public var bias: Egger?
  public var warnings: [String]

  /// Runs the requested analyses.
  public static func run(
    _ cohorts: CohortFile, settings: AnalysisSettings, clusters: ClusterColumn,
    leaveOneOut: Bool, influence: Bool, cumulative: Bool, bias: Bool
  ) throws -> ClusterSensitivityReport {
    guard let method = settings.method.tauSquaredMethod, method == .REML || method == .ML else {
      throw MetaAnalysisError.invalidSetting(name: "--method", value: settings.method.rawValue, expected: "REML or ML with --cluster (the three-level model)")
    }
    let es = try EffectSizes(studies: cohorts.studies, measure: settings.measure, add: settings.add, to: settings.to)
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
    var warnings = cohorts.warnings + full.warnings.map(\.description)
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
      bias: egger, warnings: warnings)
  }

  /// JSON or text.
  public static func render(_ r: ClusterSensitivityReport, format: ReportFormat) throws -> String {
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
    if !r.warnings.isEmpty { out += "\nWarnings\n" + r.warnings.map { "  - \($0)\n" }.joined() }
    return out
  }
}
