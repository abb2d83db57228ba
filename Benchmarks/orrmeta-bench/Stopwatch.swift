// SPDX-License-Identifier: GPL-3.0-or-later

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock timing with `ContinuousClock`: a task is run in samples of n operations (n chosen
/// so that a sample lasts at least `minSampleSeconds`), and the minimum and median time per
/// operation over the samples are reported, with the median process CPU time per operation
/// (all threads; on a shared machine it shows how much of the wall time was spent computing).
/// Nothing here asserts a time.
enum Stopwatch {
  static let clock = ContinuousClock()

  /// Seconds in a duration.
  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  /// CPU time of the whole process (all threads), seconds.
  static func processCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  /// Times one call of `body`.
  static func time(_ body: () throws -> Void) rethrows -> Double {
    let start = clock.now
    try body()
    return seconds(clock.now - start)
  }

  /// The result of timing a task.
  struct Timing {
    /// Minimum and median seconds per operation over the samples.
    var min: Double
    var median: Double
    /// Samples taken and operations per sample.
    var samples: Int
    var operationsPerSample: Int
    /// Median process CPU seconds per operation.
    var cpu: Double
  }

  /// Times `body` (one operation per call): one warm-up call, then `samples` samples of n calls.
  static func measure(
    samples: Int, minSampleSeconds: Double = 0.02, maxOperationsPerSample: Int = 1 << 24,
    _ body: () throws -> Void
  ) rethrows -> Timing {
    var once = try time(body)  // warm-up (caches, lazy globals, page faults)
    once = min(once, try time(body))
    let n = Swift.max(1, Swift.min(maxOperationsPerSample, Int(minSampleSeconds / Swift.max(once, 1e-9))))
    var perOp = [Double](), cpuPerOp = [Double]()
    perOp.reserveCapacity(samples)
    cpuPerOp.reserveCapacity(samples)
    for _ in 0..<samples {
      let c0 = processCPU()
      let t = try time { for _ in 0..<n { try body() } }
      cpuPerOp.append((processCPU() - c0) / Double(n))
      perOp.append(t / Double(n))
    }
    return Timing(
      min: perOp.min()!, median: median(perOp), samples: samples, operationsPerSample: n, cpu: median(cpuPerOp))
  }

  /// The median (mean of the middle two for an even count).
  static func median(_ values: [Double]) -> Double {
    let v = values.sorted()
    let mid = v.count / 2
    return v.count % 2 == 1 ? v[mid] : 0.5 * (v[mid - 1] + v[mid])
  }
}

/// Keeps results alive so that the optimiser cannot drop the work that produced them.
nonisolated(unsafe) var benchmarkSink: UInt64 = 0

@inline(never)
func consume(_ x: Double) {
  benchmarkSink &+= x.bitPattern
}
