// SPDX-License-Identifier: GPL-3.0-or-later

import MallocCounter

/// Heap allocations counted by the `MallocCounter` target, which defines `malloc`, `calloc`,
/// `realloc` and the aligned allocators in this executable (forwarding to glibc's `__libc_*`
/// entry points), so every allocation in the process — Swift runtime, Foundation, GSL — passes
/// through it. No LD_PRELOAD, no valgrind.
enum AllocationCounter {
  /// Whether allocations are counted (glibc builds).
  static var isAvailable: Bool { orrmeta_malloc_counter_available() != 0 }

  /// Allocations so far, all threads.
  static var count: UInt64 { orrmeta_malloc_count() }

  /// Mean allocations per call of `body` over `iterations` calls (after one warm-up call, so
  /// that one-time initialisation — lazy globals, GSL's error handler — is not counted).
  static func perCall(iterations: Int, _ body: () throws -> Void) rethrows -> Double? {
    guard isAvailable else { return nil }
    try body()
    let before = count
    for _ in 0..<iterations { try body() }
    return Double(count - before) / Double(iterations)
  }

  /// Allocations made by one call of `body`.
  static func during(_ body: () throws -> Void) rethrows -> UInt64? {
    guard isAvailable else { return nil }
    let before = count
    try body()
    return count - before
  }
}
