// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing

/// Time per fit at k = 66 (the `sim_k66` fixture), as thread CPU time and wall time. Runs only
/// with ORRMETA_BENCH=1, in a release build, and asserts nothing about time:
///
///     ORRMETA_BENCH=1 swift test -c release --filter GLMMBenchmark
struct GLMMBenchmark {
  /// CPU time of this thread (unaffected by other processes on a shared machine).
  func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }

  func wallSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }

  @Test(.enabled(if: ProcessInfo.processInfo.environment["ORRMETA_BENCH"] == "1"))
  func timePerFitAtK66() throws {
    let names = ProcessInfo.processInfo.environment["ORRMETA_BENCH_DATASET"].map { [$0] } ?? ["sim_k66", "sim_k66_rare", "alk_all"]
    for name in names {
      let d = try GLMMFixtures.dataset(name)
      let studies = try d.studies()
      let only = ProcessInfo.processInfo.environment["ORRMETA_BENCH_NAGQ"].flatMap { Int($0) }
      for nAGQ in [7, 1] where only == nil || only == nAGQ {
        var fit = try BinomialNormalModel.fit(studies: studies, nAGQ: nAGQ)
        let repetitions = 2000
        var bestWall = Double.infinity, bestCPU = Double.infinity
        for _ in 0..<5 {
          let wall0 = wallSeconds(), cpu0 = threadCPUSeconds()
          for _ in 0..<repetitions {
            fit = try BinomialNormalModel.fit(studies: studies, nAGQ: nAGQ)
          }
          bestWall = min(bestWall, (wallSeconds() - wall0) / Double(repetitions))
          bestCPU = min(bestCPU, (threadCPUSeconds() - cpu0) / Double(repetitions))
        }
        print("GLMM benchmark \(name) k=\(studies.count) nAGQ=\(nAGQ): "
          + String(format: "%.1f µs CPU, %.1f µs wall", bestCPU * 1e6, bestWall * 1e6)
          + " per fit (best of 5 × \(repetitions)), \(fit.iterations) Newton iterations")
      }
    }
  }
}
