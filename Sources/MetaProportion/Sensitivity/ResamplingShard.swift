// SPDX-License-Identifier: GPL-3.0-or-later

/// Part *I* of *N* of a seeded resampling analysis (random GOSH subsets, bootstrap resamples),
/// for work spread over processes or cluster nodes (`Docs/cluster.md`).
///
/// The analyses draw their replicates in fixed-size chunks, and chunk *c* draws from
/// `Xoshiro256StarStar(seed: seed, stream: c)`: the random numbers of a replicate depend only on
/// the seed and its global chunk index (counter-based), not on which process computes it. Part
/// *I* takes the contiguous chunks ⌊C(I − 1)/N⌋ ..< ⌊CI/N⌋ of the C chunks, so the parts are
/// disjoint, cover every replicate once, and their union is — bit for bit — the replicates of
/// one process; combining them then gives exactly the single-process result.
public struct ResamplingShard: Sendable, Hashable {
  /// 1-based part number.
  public let index: Int
  /// Number of parts.
  public let count: Int

  /// Part `index` of `count`; nil unless 1 ≤ index ≤ count.
  public init?(index: Int, count: Int) {
    guard count >= 1, index >= 1, index <= count else { return nil }
    self.index = index
    self.count = count
  }

  /// This part's chunks of `total`.
  public func chunks(of total: Int) -> Range<Int> {
    (total * (index - 1) / count)..<(total * index / count)
  }
}
