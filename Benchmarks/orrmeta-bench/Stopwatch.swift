// SPDX-License-Identifier: GPL-3.0-or-later

/// Wall-clock timing with `ContinuousClock`: a task is run in samples of n operations (n chosen
/// so that a sample lasts at least `minSampleSeconds`), and the minimum and median time per
/// operation over the samples are reported. Nothing here asserts a time.
enum Stopwatch {
  static let clock = ContinuousClock()

  /// Seconds in a duration.
  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
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
  }

  /// Times `body` (one operation per call): one warm-up call, then `samples` samples of n calls.
  static func measure(
    samples: Int, minSampleSeconds: Double = 0.02, maxOperationsPerSample: Int = 1 << 24,
    _ body: () throws -> Void
  ) rethrows -> Timing {
    var once = try time(body)  // warm-up (caches, lazy globals, page faults)
    once = min(once, try time(body))
    let n = Swift.max(1, Swift.min(maxOperationsPerSample, Int(minSampleSeconds / Swift.max(once, 1e-9))))
    var perOp = [Double]()
    perOp.reserveCapacity(samples)
    for _ in 0..<samples {
      let t = try time { for _ in 0..<n { try body() } }
      perOp.append(t / Double(n))
    }
    perOp.sort()
    let mid = perOp.count / 2
    let median = perOp.count % 2 == 1 ? perOp[mid] : 0.5 * (perOp[mid - 1] + perOp[mid])
    return Timing(min: perOp[0], median: median, samples: samples, operationsPerSample: n)
  }
}

/// Keeps results alive so that the optimiser cannot drop the work that produced them.
nonisolated(unsafe) var benchmarkSink: UInt64 = 0

@inline(never)
func consume(_ x: Double) {
  benchmarkSink &+= x.bitPattern
}
