// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing

/// Timings (printed, never asserted). Run in release:
/// `ORRMETA_TIMING=1 swift test -c release --filter SensitivityTiming`.
@Suite("Sensitivity timings", .enabled(if: ProcessInfo.processInfo.environment["ORRMETA_TIMING"] == "1"))
struct SensitivityTimingTests {
  static func k66(method: TauSquaredMethod) throws -> SensitivityAnalysis {
    var rng = Xoshiro256StarStar(seed: 2024)
    var studies = [ProportionStudy]()
    for i in 0..<66 {
      let n = 20 + rng.nextIndex(below: 180)
      let p = 0.3 + 0.4 * Double(rng.nextIndex(below: 1000)) / 1000
      var x = 0
      for _ in 0..<n where Double(rng.nextIndex(below: 1_000_000)) / 1e6 < p { x += 1 }
      studies.append(try ProportionStudy(label: "C\(i + 1)", events: x, total: n))
    }
    return try SensitivityAnalysis(studies: studies, measure: .PLO, method: method)
  }

  static func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  /// Best wall time and the process CPU time of that run (the machine is shared).
  static func time(_ label: String, repeats: Int = 1, _ body: () throws -> Void) rethrows {
    let clock = ContinuousClock()
    var best = Double.infinity, bestCPU = 0.0
    for _ in 0..<repeats {
      let c0 = cpuSeconds()
      let d = try clock.measure { try body() }
      let cpu = cpuSeconds() - c0
      let wall = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
      if wall < best { best = wall; bestCPU = cpu }
    }
    print("[timing] \(label): wall \(String(format: "%.6f", best)) s, cpu \(String(format: "%.6f", bestCPU)) s")
  }

  @Test func timings() throws {
    let threads = availableProcessorCount()
    for method in [TauSquaredMethod.DL, .REML, .PM] {
      let a = try Self.k66(method: method)
      try Self.time("k=66 \(method) leave-one-out + influence + Baujat", repeats: 20) { _ = try a.caseDeletion() }
      try Self.time("k=66 \(method) cumulative", repeats: 20) { _ = try a.cumulative() }
      try Self.time("k=66 \(method) Egger+Peters+Begg", repeats: 20) {
        _ = try a.eggerTest(); _ = try a.petersTest(); _ = try a.beggTest()
      }
      try Self.time("k=66 \(method) trim-and-fill", repeats: 20) { _ = try a.trimAndFill() }
      var g: GoshResult? = nil
      try Self.time("k=66 \(method) GOSH 1e6 random subsets, \(threads) threads", repeats: 2) {
        g = try a.gosh(GoshOptions(maxSubsets: 1_000_000, seed: 1, threads: threads))
      }
      try Self.time("k=66 \(method) GOSH 1e6 random subsets, 1 thread") {
        _ = try a.gosh(GoshOptions(maxSubsets: 1_000_000, seed: 1, threads: 1))
      }
      try Self.time("k=66 \(method) GOSH summary of 1e6") { _ = g!.summary() }
      try Self.time("k=66 \(method) bootstrap B=10000, \(threads) threads") {
        _ = try a.bootstrap(BootstrapOptions(resamples: 10_000, seed: 1, threads: threads))
      }
    }
    let a = try Self.k66(method: .DL)
    let sub = try SensitivityAnalysis(yi: Array(a.yi.prefix(19)), vi: Array(a.vi.prefix(19)), method: .DL)
    try Self.time("k=19 DL exhaustive GOSH (524287 subsets), \(threads) threads", repeats: 3) { _ = try sub.gosh() }
    let subR = try SensitivityAnalysis(yi: Array(a.yi.prefix(19)), vi: Array(a.vi.prefix(19)), method: .REML)
    try Self.time("k=19 REML exhaustive GOSH (524287 subsets), \(threads) threads") { _ = try subR.gosh() }
    let design = try DesignMatrix(
      k: 66, moderators: [.continuous(name: "x", values: (0..<66).map { Double($0 % 7) }),
                          .categorical(name: "g", values: (0..<66).map { ["a", "b", "c"][$0 % 3] })])
    try Self.time("k=66 p=4 REML meta-regression", repeats: 20) {
      _ = try MetaRegression.fit(yi: a.yi, vi: a.vi, design: design, method: .REML)
    }
    try Self.time("k=66 p=4 REML permutation test, 1000 permutations, \(threads) threads") {
      _ = try MetaRegression.permutationTest(yi: a.yi, vi: a.vi, design: design, method: .REML)
    }
  }
}
