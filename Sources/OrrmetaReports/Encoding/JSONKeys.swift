// SPDX-License-Identifier: GPL-3.0-or-later

/// The distinct member keys of one ``JSONTree``, each stored once with what ``JSONTextWriter``
/// needs of it: the key as a JSON string literal (quotes and escapes written once, not per
/// member) and its first eight UTF-8 bytes for ordering.
///
/// A report repeats a few dozen keys many times (every cohort row has the same thirteen), so a
/// member refers to its key by index, and equal keys have equal indices. Finding a key's index
/// is on the path of every member: a small direct-mapped cache on the bits of the `String`
/// value answers the usual case (the same key literal of a `CodingKeys` enum again) without
/// hashing its characters, and a dictionary by content answers the rest.
struct JSONKeys {
  /// The keys by index (kept alive here, which keeps the cache's bits meaningful).
  private(set) var names: [String] = []
  /// Each key's first eight UTF-8 bytes, big-endian and zero-padded: ordered as the keys when
  /// they differ.
  private(set) var prefixes: [UInt64] = []
  /// Every key as a JSON string literal (`"key"`, escaped), one after the other.
  private(set) var literals: [UInt8] = []
  /// Where each key's literal starts in ``literals``; one more entry than keys (the end).
  private(set) var literalStarts: [Int] = [0]
  private var byName: [String: Int32] = [:]
  /// The cache: a key string's two words and its index (-1: empty slot).
  private var slots = [(UInt64, UInt64, Int32)](repeating: (0, 0, -1), count: JSONKeys.slotCount)
  private static let slotCount = 1024  // 2^(64 - 54), the shift in index(of:)

  init() {
    names.reserveCapacity(64)
    prefixes.reserveCapacity(64)
    literals.reserveCapacity(1024)
    literalStarts.reserveCapacity(65)
  }

  /// The index of `key`, added when it is new.
  mutating func index(of key: String) -> Int32 {
    // Two `String` values with the same bits have the same characters: a small string holds its
    // bytes in them, a larger one the address of its storage, which `names` keeps alive while a
    // slot can still hold those bits. (Equal characters in two storages take the slow path once.)
    guard MemoryLayout<String>.size == 16 else { return slowIndex(of: key) }
    let (a, b) = unsafeBitCast(key, to: (UInt64, UInt64).self)
    let slot = Int(truncatingIfNeeded: (((a &* 0x9E37_79B9_7F4A_7C15) ^ b) &* 0xBF58_476D_1CE4_E5B9) >> 54)
    let cached = slots[slot]
    if cached.2 >= 0, cached.0 == a, cached.1 == b { return cached.2 }
    let index = slowIndex(of: key)
    // Cache the bits of the stored copy (the same bits as `key` for a small or literal string;
    // for a string with its own storage, the stored one's, which lives as long as the table).
    let (sa, sb) = unsafeBitCast(names[Int(index)], to: (UInt64, UInt64).self)
    if sa == a, sb == b { slots[slot] = (a, b, index) }
    return index
  }

  private mutating func slowIndex(of key: String) -> Int32 {
    if let known = byName[key] { return known }
    let index = Int32(names.count)
    names.append(key)
    byName[key] = index
    var prefix: UInt64 = 0
    for (i, u) in key.utf8.prefix(8).enumerated() { prefix |= UInt64(u) << UInt64(56 - 8 * i) }
    prefixes.append(prefix)
    literals += JSONTextWriter.literal(key)
    literalStarts.append(literals.count)
    return index
  }
}
