// SPDX-License-Identifier: GPL-3.0-or-later

/// `--shard I/N`: the part of a batch one process computes.
///
/// The work list (every input file × analysis, sorted by path then analysis name) is dealt out
/// like cards: item *j* (0-based) belongs to shard *j* mod *N* + 1. Every process that is given
/// the same inputs and spec therefore agrees on the split, and the shards differ in size by at
/// most one item.
public struct BatchShard: Sendable, Hashable, CustomStringConvertible {
  /// 1-based shard number.
  public let index: Int
  /// Number of shards.
  public let count: Int

  /// The whole batch (shard 1/1).
  public static let whole = BatchShard(uncheckedIndex: 1, count: 1)

  private init(uncheckedIndex: Int, count: Int) {
    self.index = uncheckedIndex
    self.count = count
  }

  /// Creates shard `index` of `count`; nil unless 1 ≤ index ≤ count.
  public init?(index: Int, count: Int) {
    guard count >= 1, index >= 1, index <= count else { return nil }
    self.init(uncheckedIndex: index, count: count)
  }

  /// Parses `I/N` (for example `3/8`).
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let i = Int(parts[0]), let n = Int(parts[1])
    else { return nil }
    self.init(index: i, count: n)
  }

  /// Whether the item at `position` of the sorted work list belongs to this shard.
  public func contains(position: Int) -> Bool { position % count == index - 1 }

  public var description: String { "\(index)/\(count)" }
}
