// SPDX-License-Identifier: GPL-3.0-or-later

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit generator used here only to expand seeds.
///
/// ```
/// state += 0x9E3779B97F4A7C15
/// z = state; z = (z ^ (z >> 30)) · 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) · 0x94D049BB133111EB
/// return z ^ (z >> 31)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The internal state.
  public var state: UInt64

  /// Creates the generator with the given state.
  public init(state: UInt64) { self.state = state }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// xoshiro256** 1.0 (Blackman & Vigna 2018), the generator of orrmeta's resampling analyses.
///
/// Every analysis splits its work into fixed-size chunks; chunk c draws from
/// `Xoshiro256StarStar(seed: seed, stream: c)`, whose 256-bit state is four outputs of
/// SplitMix64 started at `seed ^ (c · 0xD1B54A32D192ED03)` (then mixed once more). The same seed therefore gives
/// bit-identical results whatever the number of threads.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  /// Seeds the generator for one stream (chunk) of a seeded analysis.
  /// - Parameters:
  ///   - seed: the user's seed.
  ///   - stream: the chunk index.
  public init(seed: UInt64, stream: UInt64 = 0) {
    var sm = SplitMix64(state: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    // One extra round decorrelates neighbouring (seed, stream) pairs.
    sm = SplitMix64(state: sm.next() ^ stream)
    s0 = sm.next()
    s1 = sm.next()
    s2 = sm.next()
    s3 = sm.next()
    if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
  }

  @inlinable
  static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    let result = Self.rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = Self.rotl(s3, 45)
    return result
  }

  /// A uniform integer in 0..<bound (Lemire's nearly divisionless method; unbiased).
  @inlinable
  public mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0)
    let b = UInt64(bound)
    var m = next().multipliedFullWidth(by: b)
    if m.low < b {
      let threshold = (0 &- b) % b
      while m.low < threshold { m = next().multipliedFullWidth(by: b) }
    }
    return Int(m.high)
  }
}
