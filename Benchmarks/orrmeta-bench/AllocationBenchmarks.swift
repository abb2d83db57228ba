// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// Heap allocations per intercept-only fit for every τ² method (target: zero), counted by
/// ``AllocationCounter`` over 1000 fits after a warm-up fit.
enum AllocationBenchmarks {
  static func run(_ d: BenchDataset, options: BenchOptions) -> [BenchResult] {
    guard AllocationCounter.isAvailable else {
      return [BenchResult(task: "allocations", operation: "fit", threads: 1, note: "skipped: the allocation counter needs glibc and no sanitizer")]
    }
    var results = [BenchResult]()
    d.yi.withUnsafeBufferPointer { y in
      d.vi.withUnsafeBufferPointer { v in
        for method in TauSquaredMethod.allCases {
          for test in [TestMethod.z, .knha] {
            let fit = AllocationCounter.perCall(iterations: 1000) {
              consume(try! RandomEffectsModel.fit(y: y, v: v, method: method, test: test, level: .ninetyFive, control: .tight).estimate)
            }
            results.append(BenchResult(
              task: "allocations_fit", method: method.rawValue, dataset: d.name, k: d.k,
              operation: "RandomEffectsModel.fit(y:v:…) test=\(test.rawValue)", threads: 1,
              allocationsPerOperation: fit, note: nil))
          }
          let tau = AllocationCounter.perCall(iterations: 1000) {
            consume(TauSquaredEstimator.estimate(y: y, v: v, method: method, control: .tight).tau2)
          }
          results.append(BenchResult(
            task: "allocations_tau2", method: method.rawValue, dataset: d.name, k: d.k,
            operation: "TauSquaredEstimator.estimate", threads: 1, allocationsPerOperation: tau, note: nil))
        }
      }
    }
    let arrays = AllocationCounter.perCall(iterations: 1000) {
      consume(try! RandomEffectsModel.fit(yi: d.yi, vi: d.vi, method: .REML).estimate)
    }
    results.append(BenchResult(
      task: "allocations_fit", method: "REML", dataset: d.name, k: d.k, operation: "RandomEffectsModel.fit(yi:vi:…) (arrays)",
      threads: 1, allocationsPerOperation: arrays, note: nil))
    return results
  }
}
