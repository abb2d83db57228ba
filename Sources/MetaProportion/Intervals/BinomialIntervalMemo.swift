// SPDX-License-Identifier: GPL-3.0-or-later

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Binomial CIs already computed, by events, total, level and method: for a caller that meets
/// the same cohorts' counts again and again (`orrmeta batch`: real and generated cohort files
/// repeat (x, n) pairs, and a Clopper–Pearson interval is two incomplete-beta inversions, most of
/// the analysis of a small file).
///
/// A stored interval is the value ``BinomialIntervalMethod/interval(events:total:level:)``
/// returned for the same arguments, so the numbers are the same to the bit with or without the
/// memo. At most ``capacity`` intervals are kept (the memo is emptied when it is full).
///
/// Thread-safe: the workers of a batch share one memo, so that an interval one of them computed
/// is not computed again by another (a lock guards the table; the interval itself is computed
/// outside it, so two workers may compute the same interval at once and store the same value).
public final class BinomialIntervalMemo: @unchecked Sendable {
  struct Key: Hashable {
    var events: Int
    var total: Int
    /// The level's bit pattern (two levels that compare equal have the same bits; -0 is not a level).
    var level: UInt64
    var method: BinomialIntervalMethod

    /// Hashes the counts only: a memo serves one method and level at a time in practice, and a
    /// `String`-backed enum hashes its raw value (a string hash on every lookup; the lookups were
    /// 2 % of a batch's samples). Equality still compares all four.
    func hash(into hasher: inout Hasher) {
      hasher.combine(events)
      hasher.combine(total)
    }
  }

  /// The most intervals kept.
  public static let capacity = 1 << 16

  /// Guarded by `mutex`.
  private var stored: [Key: (lower: Double, upper: Double)] = [:]
  /// A pthread mutex (allocated: it must not move), the one lock of the statistics module.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  /// An empty memo.
  public init() {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// `body` with the lock held.
  private func locked<T>(_ body: () -> T) -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return body()
  }

  /// The number of intervals kept.
  public var count: Int { locked { stored.count } }

  /// `method.interval(events:total:level:)`, from the memo when it was computed before.
  /// - Throws: what ``BinomialIntervalMethod/interval(events:total:level:)`` throws (an error is
  ///   not kept).
  public func interval(
    _ method: BinomialIntervalMethod, events: Int, total: Int, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> (lower: Double, upper: Double) {
    let key = Key(events: events, total: total, level: level.percent.bitPattern, method: method)
    if let known = locked({ stored[key] }) { return known }
    let computed = try method.interval(events: events, total: total, level: level)
    locked {
      if stored.count >= Self.capacity { stored.removeAll(keepingCapacity: true) }
      stored[key] = computed
    }
    return computed
  }
}
