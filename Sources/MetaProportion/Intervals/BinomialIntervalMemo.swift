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
  /// The most intervals kept.
  public static let capacity = 1 << 16

  /// The methods and levels met so far (a memo serves one in practice); an entry's key holds
  /// the position of its own here.
  private var modes: [(method: BinomialIntervalMethod, level: UInt64)] = []
  /// An open-addressing table (linear probing, at most half full) of packed keys (events and
  /// total in 28 bits each and the mode's position + 1 in the low 8; 0: an empty slot), each
  /// with its interval. Guarded by `mutex`.
  ///
  /// Written by hand rather than a `Dictionary`: the lookups hash two integers per cohort, and
  /// the standard library's seeded SipHash with its bucket search was 3 % of a batch's samples.
  /// A lookup's cost is now the one cache miss of its slot: key and interval in 24 bytes.
  private var slots: [(key: UInt64, lower: Double, upper: Double)]
  private var stored = 0
  /// A pthread mutex (allocated: it must not move), the one lock of the statistics module.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  /// An empty memo.
  public init() {
    slots = Self.empty(1024)
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
  public var count: Int { locked { stored } }

  /// The packed key of an interval (lock held), or nil for counts too large to pack (or a
  /// 256th mode): those are computed every time.
  private func key(events: Int, total: Int, method: BinomialIntervalMethod, level: UInt64) -> UInt64? {
    let limit = 1 << 28
    guard (0..<limit).contains(events), (0..<limit).contains(total) else { return nil }
    var mode = modes.firstIndex { $0.method == method && $0.level == level }
    if mode == nil, modes.count < 255 {
      modes.append((method, level))
      mode = modes.count - 1
    }
    guard let mode else { return nil }
    return UInt64(events) << 36 | UInt64(total) << 8 | UInt64(mode + 1)
  }

  private static func empty(_ count: Int) -> [(key: UInt64, lower: Double, upper: Double)] {
    [(key: UInt64, lower: Double, upper: Double)](repeating: (0, 0, 0), count: count)
  }

  /// The slot of a key: where it is kept, or the empty slot where it would go.
  private func slot(_ key: UInt64) -> Int {
    let mask = slots.count - 1
    let h = key &* 0x9E37_79B9_7F4A_7C15
    var i = Int(truncatingIfNeeded: h >> 32) & mask
    while slots[i].key != 0, slots[i].key != key { i = (i + 1) & mask }
    return i
  }

  /// `method.interval(events:total:level:)`, from the memo when it was computed before.
  /// - Throws: what ``BinomialIntervalMethod/interval(events:total:level:)`` throws (an error is
  ///   not kept).
  public func interval(
    _ method: BinomialIntervalMethod, events: Int, total: Int, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> (lower: Double, upper: Double) {
    let bits = level.percent.bitPattern
    let lookup: (key: UInt64?, known: (lower: Double, upper: Double)?) = locked {
      guard let k = key(events: events, total: total, method: method, level: bits) else { return (nil, nil) }
      let found = slots[slot(k)]
      return (k, found.key == k ? (found.lower, found.upper) : nil)
    }
    if let known = lookup.known { return known }
    let computed = try method.interval(events: events, total: total, level: level)
    guard let k = lookup.key else { return computed }
    locked {
      if stored >= Self.capacity {
        slots = Self.empty(slots.count)
        stored = 0
      } else if 2 * (stored + 1) > slots.count {
        // Grown to twice the size, every kept interval placed again.
        let old = slots
        slots = Self.empty(2 * old.count)
        for entry in old where entry.key != 0 { slots[slot(entry.key)] = entry }
      }
      let i = slot(k)
      if slots[i].key == 0 {
        slots[i] = (k, computed.lower, computed.upper)
        stored += 1
      }
    }
    return computed
  }
}
