// SPDX-License-Identifier: GPL-3.0-or-later

import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The number of online processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
///
/// The one count of cores in orrmeta: the default for the `threads` parameter of the resampling
/// analyses (GOSH, bootstrap, permutation tests), for `orrmeta batch --jobs` and for the
/// benchmark's machine description. No I/O: a single system query.
public func availableProcessorCount() -> Int {
  #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
  let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
  return n > 0 ? Int(n) : 1
  #else
  return 1
  #endif
}

/// Wraps a value that is shared across worker threads under a discipline the compiler cannot
/// check (each worker writes only its own, disjoint slots).
struct UncheckedSendable<Value>: @unchecked Sendable {
  var value: Value
  init(_ value: Value) { self.value = value }
}

/// Runs `body(chunk)` for every chunk index in `0..<chunks` on `threads` workers.
///
/// Worker t takes chunks t, t + threads, t + 2·threads, … (a static schedule). Because each
/// chunk's work depends only on its index, the results are the same whatever the number of
/// threads; callers write each chunk's output to its own slots and combine them in chunk order.
package func forEachChunk(_ chunks: Int, threads: Int, _ body: (Int) -> Void) {
  let workers = max(1, min(threads, chunks))
  if workers == 1 {
    for c in 0..<chunks { body(c) }
    return
  }
  withoutActuallyEscaping(body) { body in
    let shared = UncheckedSendable(body)
    DispatchQueue.concurrentPerform(iterations: workers) { t in
      var c = t
      while c < chunks {
        shared.value(c)
        c += workers
      }
    }
  }
}
