// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// The seed and the number of worker threads of the resampling analyses (GOSH, bootstrap,
/// permutation tests). The same seed gives byte-identical output whatever `--jobs` is.
struct ResamplingOptions: ParsableArguments {
  @Option(help: "Seed of the random GOSH subsets, bootstrap resamples and permutations (default 1). The same seed gives identical output for any --jobs.")
  var seed: UInt64 = 1

  @Option(help: "Worker threads for GOSH, the bootstrap and permutation tests (default: all cores). Never changes a result.")
  var jobs: Int?

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs) is invalid; expected a whole number >= 1") }
  }

  /// The number of threads to use.
  var threads: Int { jobs ?? availableProcessorCount() }
}

extension ResamplingLimits {
  /// A usage error naming the flag when `value` is above `limit` (the bounds' one owner is
  /// ``ResamplingLimits``; this only words the message).
  static func check(_ flag: String, _ value: Int?, _ limit: Int) throws {
    if let value, value > limit {
      throw ValidationError("\(flag) \(value) is too large; expected \(expected(limit))")
    }
  }
}

/// How many GOSH subsets to fit (`--subsets`).
struct GoshSubsetOptions: ParsableArguments {
  @Option(help: "GOSH: fit all 2^k - 1 subsets when that is at most N, else N random subsets (default 1000000, as metafor).")
  var subsets: Int?

  func validate() throws {
    if let subsets, subsets < 2 { throw ValidationError("--subsets \(subsets) is invalid; expected a whole number >= 2") }
    try ResamplingLimits.check("--subsets", subsets, ResamplingLimits.goshSubsets)
  }

  /// The most subsets to fit.
  var maxSubsets: Int { subsets ?? 1_000_000 }
}

/// The order of a cumulative meta-analysis (`--order-by`).
struct CumulativeOrderOptions: ParsableArguments {
  @Option(name: .customLong("order-by"), help: "Cumulative meta-analysis: add the cohorts in ascending order of this column (numbers, or text by code point; ties in file order). Default: file order.")
  var orderBy: String?
}
