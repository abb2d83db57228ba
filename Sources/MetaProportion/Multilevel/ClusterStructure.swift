// SPDX-License-Identifier: GPL-3.0-or-later

/// The nesting of cohorts in clusters (trials) for the three-level model: which rows belong to
/// which cluster, with the clusters in the order of their first appearance in the input.
public struct ClusterStructure: Sendable, Hashable {
  /// Cluster labels, in order of first appearance.
  public let labels: [String]
  /// The cluster index (into ``labels``) of each row, in input order.
  public let clusterOfRow: [Int]
  /// Row indices grouped cluster by cluster (input order within a cluster).
  public let order: [Int]
  /// `order[offsets[c]..<offsets[c + 1]]` are the rows of cluster c (`labels.count + 1` entries).
  public let offsets: [Int]

  /// Groups rows by their cluster label.
  /// - Parameter clusters: one label per row (cohort).
  public init(clusters: [String]) {
    var index: [String: Int] = [:]
    var labels: [String] = []
    var of = [Int]()
    of.reserveCapacity(clusters.count)
    for c in clusters {
      if let i = index[c] {
        of.append(i)
      } else {
        index[c] = labels.count
        of.append(labels.count)
        labels.append(c)
      }
    }
    var counts = [Int](repeating: 0, count: labels.count + 1)
    for c in of { counts[c + 1] += 1 }
    for c in 0..<labels.count { counts[c + 1] += counts[c] }
    var fill = counts
    var order = [Int](repeating: 0, count: of.count)
    for (row, c) in of.enumerated() {
      order[fill[c]] = row
      fill[c] += 1
    }
    self.labels = labels
    self.clusterOfRow = of
    self.order = order
    self.offsets = counts
  }

  /// Number of clusters.
  public var count: Int { labels.count }
  /// Number of rows (cohorts).
  public var rows: Int { clusterOfRow.count }
  /// The number of cohorts in cluster c.
  public func size(of c: Int) -> Int { offsets[c + 1] - offsets[c] }

  /// The structure without the rows for which `keep` is false (cluster labels kept in order).
  public func subset(keeping keep: [Bool]) -> (structure: ClusterStructure, rows: [Int]) {
    let rows = (0..<rows).filter { keep[$0] }
    return (ClusterStructure(clusters: rows.map { labels[clusterOfRow[$0]] }), rows)
  }
}
