// SPDX-License-Identifier: GPL-3.0-or-later

/// One refit of the three-level binomial-normal GLMM on a subset of the clusters.
public struct ThreeLevelGLMMRefit: Sendable, Hashable {
  /// The cluster left out (leave-one-cluster-out) or added last (cumulative).
  public var label: String
  /// Cohorts in the cluster left out, or in the cumulative fit.
  public var cohorts: Int
  /// The refit; nil when the subset has fewer than 3 cohorts or 2 clusters, or the fit failed.
  public var fit: ThreeLevelGLMMFit?

  /// The row in the shape of the inverse-variance three-level analyses (``ClusterDeletion``):
  /// μ̂, SE, CI and σ² per level (NaN without a fit); Cook's distance and DFBETAS are not
  /// defined for the GLMM (NaN).
  public var deletion: ClusterDeletion {
    var row = ClusterDeletion(
      label: label, cohorts: cohorts, estimate: .nan, standardError: .nan, ciLower: .nan, ciUpper: .nan,
      sigma2: [.nan, .nan], sigma2Change: [.nan, .nan], cooksDistance: .nan, dfbetas: [.nan])
    if let fit { row.take(fit.threeLevelSummary) }
    return row
  }
}

/// Leave-one-cluster-out and cumulative-by-cluster analyses of the three-level binomial-normal
/// GLMM (``ThreeLevelBinomialNormalModel``): the model is refitted by maximum likelihood, with the
/// same quadrature, test and level, and the same global check over candidate optima, to the
/// cohorts of every cluster but one, or of the first c clusters in order of first appearance —
/// as glmer refitted to each subset. A subset with fewer than 3 cohorts or 2 clusters, or whose
/// fit fails (e.g. no responder at all), has no fit.
public enum ThreeLevelGLMMSensitivity {
  /// For each cluster (in order of first appearance), the model without its cohorts.
  public static func leaveOneClusterOut(
    studies: [ProportionStudy], clusters: ClusterStructure, nAGQ: Int, test: TestMethod, level: ConfidenceLevel
  ) -> [ThreeLevelGLMMRefit] {
    (0..<clusters.count).map { c in
      ThreeLevelGLMMRefit(
        label: clusters.labels[c], cohorts: clusters.size(of: c),
        fit: refit(studies, clusters, keeping: clusters.clusterOfRow.map { $0 != c }, nAGQ: nAGQ, test: test, level: level))
    }
  }

  /// Step c: the model fitted to the cohorts of clusters 0...c (order of first appearance).
  public static func cumulative(
    studies: [ProportionStudy], clusters: ClusterStructure, nAGQ: Int, test: TestMethod, level: ConfidenceLevel
  ) -> [ThreeLevelGLMMRefit] {
    (0..<clusters.count).map { c in
      let keep = clusters.clusterOfRow.map { $0 <= c }
      return ThreeLevelGLMMRefit(
        label: clusters.labels[c], cohorts: keep.reduce(0) { $0 + ($1 ? 1 : 0) },
        fit: refit(studies, clusters, keeping: keep, nAGQ: nAGQ, test: test, level: level))
    }
  }

  static func refit(
    _ studies: [ProportionStudy], _ clusters: ClusterStructure, keeping keep: [Bool], nAGQ: Int, test: TestMethod,
    level: ConfidenceLevel
  ) -> ThreeLevelGLMMFit? {
    let (sub, kept) = clusters.subset(keeping: keep)
    guard kept.count >= 3, sub.count >= 2 else { return nil }
    return try? ThreeLevelBinomialNormalModel.fit(
      studies: kept.map { studies[$0] }, clusters: sub, nAGQ: nAGQ, test: test, level: level, profileIntervals: false)
  }
}
