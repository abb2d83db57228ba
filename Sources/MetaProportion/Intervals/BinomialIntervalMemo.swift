// SPDX-License-Identifier: GPL-3.0-or-later

/// Binomial CIs already computed, by events, total, level and method: for a caller that meets
/// the same cohorts' counts again and again (`orrmeta batch`: real and generated cohort files
/// repeat (x, n) pairs, and a Clopper–Pearson interval is two incomplete-beta inversions, most of
/// the analysis of a small file).
///
/// A stored interval is the value ``BinomialIntervalMethod/interval(events:total:level:)``
/// returned for the same arguments, so the numbers are the same to the bit with or without the
/// memo. At most ``capacity`` intervals are kept (the memo is emptied when it is full). Not
/// thread-safe: one memo per worker thread.
public final class BinomialIntervalMemo {
  struct Key: Hashable {
    var events: Int
    var total: Int
    /// The level's bit pattern (two levels that compare equal have the same bits; -0 is not a level).
    var level: UInt64
    var method: BinomialIntervalMethod
  }

  /// The most intervals kept.
  public static let capacity = 1 << 16

  private var stored: [Key: (lower: Double, upper: Double)] = [:]

  /// An empty memo.
  public init() {}

  /// The number of intervals kept.
  public var count: Int { stored.count }

  /// `method.interval(events:total:level:)`, from the memo when it was computed before.
  /// - Throws: what ``BinomialIntervalMethod/interval(events:total:level:)`` throws (an error is
  ///   not kept).
  public func interval(
    _ method: BinomialIntervalMethod, events: Int, total: Int, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> (lower: Double, upper: Double) {
    let key = Key(events: events, total: total, level: level.percent.bitPattern, method: method)
    if let known = stored[key] { return known }
    let computed = try method.interval(events: events, total: total, level: level)
    if stored.count >= Self.capacity { stored.removeAll(keepingCapacity: true) }
    stored[key] = computed
    return computed
  }
}
