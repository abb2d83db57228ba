// SPDX-License-Identifier: GPL-3.0-or-later

/// Helpers for the O(k) sums: loads of four consecutive doubles and a fixed-order horizontal
/// sum. The sums run four independent lanes (element i goes to lane i mod 4) and add the lanes
/// as (l₀ + l₂) + (l₁ + l₃), then the scalar tail — a fixed order, so results do not depend on
/// the instruction set (SSE2 or AVX execute the same IEEE operations; no FMA contraction).
@usableFromInline
enum Lanes {
  /// The lane width.
  @usableFromInline static let width = 4

  /// Elements i…i+3.
  @inlinable @inline(__always)
  static func load(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD4<Double> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
  }

  /// (l₀ + l₂) + (l₁ + l₃).
  @inlinable @inline(__always)
  static func sum(_ x: SIMD4<Double>) -> Double {
    (x[0] + x[2]) + (x[1] + x[3])
  }
}
