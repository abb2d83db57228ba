// SPDX-License-Identifier: GPL-3.0-or-later

/// Splits rows into subgroups in order of first appearance (the order every `pfs` report lists
/// its subgroups in).
enum SubgroupOrder {
  /// The groups and their members, keeping the input order within each group.
  static func split<Row>(_ rows: [Row], group: (Row) -> String) -> [(name: String, members: [Row])] {
    var order: [String] = []
    var members: [String: [Row]] = [:]
    for r in rows {
      let g = group(r)
      if members[g] == nil { order.append(g) }
      members[g, default: []].append(r)
    }
    return order.map { ($0, members[$0]!) }
  }
}
