// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaReports

/// The parts of the report of a three-level model (`orrmeta report --cluster`): the
/// `multilevel` block of the pool contract and the cluster diagnostics of
/// ``ClusterSensitivityReport``, formatted by the shared formatter (``PlotFormat`` is `Fmt`).
extension HTMLReport {
  /// σ² per level with their profile-likelihood CIs, I² per level and in total, the
  /// log-likelihood and the likelihood-ratio test against the two-level model; nil without
  /// `--cluster`.
  var multilevelSection: MarkupNode? {
    guard let m = report.multilevel else { return nil }
    let level = PlotFormat.tick(report.settings.level)
    let rows = m.levels.map { l in
      [
        l.name, String(l.count), PlotFormat.fixed(l.sigma2, 4),
        "\(PlotFormat.fixed(l.sigma2_ci_lower, 4)) – \(PlotFormat.fixed(l.sigma2_ci_upper, 4))", "\(PlotFormat.fixed(l.i2, 2))%",
      ]
    }
    let cluster = m.levels.first?.name ?? "cluster"
    let lrt = m.lrt_vs_two_level
    return HTML.section("multilevel", "Three-level model", [
      HTML.table(["Level", "Count", "σ²", "\(level)% profile CI of σ²", "I²"], rows, numeric: [1, 2, 3, 4], cssClass: "multilevel"),
      HTML.keyValue([
        ("I² (total)", "\(PlotFormat.fixed(m.i2_total, 2))%"),
        ("Log-likelihood", PlotFormat.fixed(m.log_likelihood, 4)),
        ("LRT vs two-level (σ² of \(cluster) = 0)", "χ²(1) = \(PlotFormat.fixed(lrt.statistic, 4)), \(PlotFormat.pClause(lrt.p_value))"),
      ]),
      HTML.text("p", "Cohorts nested in \(cluster) (metafor rma.mv, random = ~ 1 | \(cluster)/cohort). I² \(report.settings.i2_definition). σ² intervals: \(report.settings.tau2_ci_method ?? "none").", [("class", "note")]),
    ])
  }

  /// The tables of `orrmeta sensitivity --cluster`: leave one cluster out, influence per
  /// cluster, cumulative by cluster and the multilevel Egger test.
  func clusterDiagnostics(_ r: ClusterSensitivityReport, level: String) -> [MarkupNode] {
    let cluster = r.settings.cluster ?? "cluster"
    var kids: [MarkupNode] = []
    let sigma = ["σ² \(cluster)", "σ² cohort"]
    // Leave one cluster out and cumulative by cluster: the same columns, one fit per row.
    func fits(_ heading: String, _ first: String, _ count: String, _ rows: [ClusterSensitivityReport.Row]) {
      kids.append(HTML.text("h3", heading))
      kids.append(HTML.table(
        [first, count, "Estimate (\(r.settings.measure))", "SE", "\(level)% CI", "Proportion (%)"] + sigma,
        rows.map { x in
          [
            x.label, String(x.cohorts), PlotFormat.fixed(x.estimate, 4), PlotFormat.fixed(x.se, 4),
            "\(PlotFormat.fixed(x.ci_lower, 4)) – \(PlotFormat.fixed(x.ci_upper, 4))", PlotFormat.percent(x.proportion),
          ] + x.sigma2.map { PlotFormat.fixed($0, 4) }
        },
        numeric: Set(1...7)))
    }
    if let l = r.leave_one_cluster_out { fits("Leave one \(cluster) out", "Omitted \(cluster)", "Cohorts left out", l) }
    if let inf = r.influence {
      kids.append(HTML.text("h3", "Influence per \(cluster)"))
      kids.append(HTML.table(
        [cluster.prefix(1).uppercased() + cluster.dropFirst(), "Cook's distance", "DFBETAS"] + sigma.map { "Δ\($0)" },
        inf.map { x in [x.label, PlotFormat.fixed(x.cooks_distance, 4), PlotFormat.fixed(x.dfbetas, 4)] + x.sigma2_change.map { PlotFormat.fixed($0, 4) } },
        numeric: [1, 2, 3, 4]))
    }
    if let c = r.cumulative { fits("Cumulative by \(cluster)", "Added \(cluster)", "Cohorts", c) }
    if let b = r.bias {
      kids.append(HTML.text("h3", "Multilevel Egger test"))
      kids.append(HTML.text("p", "Slope on √vi \(PlotFormat.fixed(b.slope, 4)) (SE \(PlotFormat.fixed(b.se, 4))), statistic \(PlotFormat.fixed(b.statistic, 3)), \(PlotFormat.pClause(b.p_value)); intercept \(PlotFormat.fixed(b.intercept, 4)). Method: \(b.method)."))
    }
    // The pool warnings are in the Warnings section already.
    let own = r.warnings.filter { !report.warnings.contains($0) }
    if !own.isEmpty {
      kids.append(HTML.text("p", "Cluster diagnostics: " + own.joined(separator: "; ") + ".", [("class", "note")]))
    }
    return kids
  }
}
