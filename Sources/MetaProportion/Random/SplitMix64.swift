// SPDX-License-Identifier: GPL-3.0-or-later

/// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference `splitmix64.c`): a small, fast,
/// fully specified 64-bit generator. orrmeta uses it for every resampling, so that the same seed
/// gives the same result on every platform and every Swift version (the standard library's
/// `SystemRandomNumberGenerator` cannot be seeded, and its bounded-integer algorithm is not
/// specified).
///
/// ```
/// state ← state + 0x9E3779B97F4A7C15
/// z ← (state ⊕ (state ≫ 30)) · 0xBF58476D1CE4E5B9
/// z ← (z ⊕ (z ≫ 27)) · 0x94D049BB133111EB
/// next = z ⊕ (z ≫ 31)                      (all arithmetic mod 2⁶⁴)
/// ```
///
/// With seed 0 the first three outputs are 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4 and
/// 0x06C45D188009454F.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
  /// The internal state (the seed before the first draw).
  public private(set) var state: UInt64

  /// Creates a generator whose first output is determined by `seed` alone.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniformly distributed integer in `0..<bound` (Lemire 2019, "Fast random integer
  /// generation in an interval": multiply-shift with rejection, so there is no modulo bias).
  ///
  /// Specified here rather than taken from `Int.random(in:using:)`, whose algorithm the
  /// standard library does not promise to keep.
  /// - Precondition: `bound > 0`.
  public mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let s = UInt64(bound)
    var product = next().multipliedFullWidth(by: s)
    if product.low < s {
      let threshold = (0 &- s) % s
      while product.low < threshold {
        product = next().multipliedFullWidth(by: s)
      }
    }
    return Int(product.high)
  }
}
