// SPDX-License-Identifier: GPL-3.0-or-later

/// `--shard I/N`: the part of a batch one process computes.
///
/// The work list (every input file × analysis, sorted by path then analysis name) is dealt out
/// like cards: item *j* (0-based) belongs to shard *j* mod *N* + 1. Every process that is given
/// the same inputs and spec therefore agrees on the split, and the shards differ in size by at
/// most one item.
package struct BatchShard: Sendable, Hashable, CustomStringConvertible {
  /// 1-based shard number.
  package let index: Int
  /// Number of shards.
  package let count: Int

  /// The whole batch (shard 1/1).
  package static let whole = BatchShard(uncheckedIndex: 1, count: 1)

  private init(uncheckedIndex: Int, count: Int) {
    self.index = uncheckedIndex
    self.count = count
  }

  /// Creates shard `index` of `count`; nil unless 1 ≤ index ≤ count.
  package init?(index: Int, count: Int) {
    guard count >= 1, index >= 1, index <= count else { return nil }
    self.init(uncheckedIndex: index, count: count)
  }

  /// Parses `I/N` (for example `3/8`).
  package init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let i = Int(parts[0]), let n = Int(parts[1])
    else { return nil }
    self.init(index: i, count: n)
  }

  /// Whether the item at `position` of the sorted work list belongs to this shard.
  package func contains(position: Int) -> Bool { position % count == index - 1 }

  package var description: String { "\(index)/\(count)" }
}
