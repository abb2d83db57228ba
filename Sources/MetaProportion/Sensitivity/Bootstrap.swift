// SPDX-License-Identifier: GPL-3.0-or-later

/// Settings of the cohort-resampling bootstrap.
public struct BootstrapOptions: Sendable, Hashable {
  /// Number of bootstrap resamples B.
  public var resamples: Int
  /// Seed.
  public var seed: UInt64
  /// Worker threads (results do not depend on it).
  public var threads: Int

  /// Creates options; `threads` defaults to the number of online processors.
  public init(resamples: Int = 1000, seed: UInt64 = 1, threads: Int = availableProcessorCount()) {
    self.resamples = resamples; self.seed = seed; self.threads = threads
  }
}

/// A nonparametric (cohort-resampling) bootstrap of the pooled estimate and τ². JSON: `bootstrap`.
///
/// Each resample draws k cohorts with replacement and refits the model with the same τ²
/// method and control. Percentile intervals use R's type-7 quantiles at α/2 and 1 − α/2 (the
/// model's level); the proportion interval back-transforms the bounds of the estimate interval.
public struct BootstrapResult: Sendable, Hashable {
  /// B (`resamples`).
  public var resamples: Int
  /// Seed (`seed`).
  public var seed: UInt64
  /// Resamples whose fit failed (NaN entries; `failed`).
  public var failed: Int
  /// The estimate of each resample, model scale, in resample order (`estimates`).
  public var estimates: [Double]
  /// τ̂² of each resample (`tau2s`).
  public var tau2s: [Double]
  /// Percentile CI of the estimate on the model scale (`ci_lower`, `ci_upper`).
  public var ciLower: Double
  public var ciUpper: Double
  /// Back-transformed percentile CI (`proportion_ci_lower`, `proportion_ci_upper`).
  public var proportionCILower: Double
  public var proportionCIUpper: Double
  /// Percentile CI of τ² (`tau2_ci_lower`, `tau2_ci_upper`).
  public var tau2CILower: Double
  public var tau2CIUpper: Double
  /// Bootstrap bias mean(μ̂*) − μ̂ and standard error sd(μ̂*) (`bias`, `se`).
  public var bias: Double
  public var standardError: Double
  /// Summaries of the bootstrap distributions (`estimate_summary`, `tau2_summary`).
  public var estimateSummary: DistributionSummary
  public var tau2Summary: DistributionSummary
}

/// The resamples of one part of a sharded bootstrap (``ResamplingShard``): resamples
/// `first ..< first + estimates.count` of B, in order.
public struct BootstrapPart: Sendable, Hashable {
  /// B of the whole bootstrap.
  public var resamples: Int
  /// Seed.
  public var seed: UInt64
  /// Index of the first resample of this part.
  public var first: Int
  /// μ̂* of each resample of the part (NaN: failed fit).
  public var estimates: [Double]
  /// τ̂²* of each resample of the part.
  public var tau2s: [Double]

  public init(resamples: Int, seed: UInt64, first: Int, estimates: [Double], tau2s: [Double]) {
    self.resamples = resamples; self.seed = seed; self.first = first; self.estimates = estimates; self.tau2s = tau2s
  }
}

extension SensitivityAnalysis {
  /// Resamples per chunk (and per random stream).
  static let bootstrapChunkSize = 64

  /// Nonparametric bootstrap: B resamples of k cohorts drawn with replacement (uniform indices
  /// by Lemire's unbiased method), each refitted with the model's τ² method. Resamples are
  /// processed in chunks of 64; chunk c draws from `Xoshiro256StarStar(seed:stream: c)`, so a
  /// seed gives bit-identical results for any number of threads — and for any split into
  /// parts (``bootstrapPart(_:shard:)``, ``combineBootstrap(_:)``).
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for B < 2,
  ///   ``MetaAnalysisError/fitFailed(reason:)`` when k = 1.
  public func bootstrap(_ options: BootstrapOptions = BootstrapOptions()) throws(MetaAnalysisError) -> BootstrapResult {
    let part = try bootstrapPart(options, shard: ResamplingShard(index: 1, count: 1)!)
    return summarizeBootstrap(resamples: part.resamples, seed: part.seed, estimates: part.estimates, tau2s: part.tau2s)
  }

  /// The resamples of part `shard` of the bootstrap: its chunks of 64 (``ResamplingShard``).
  public func bootstrapPart(_ options: BootstrapOptions, shard: ResamplingShard) throws(MetaAnalysisError) -> BootstrapPart {
    guard k > 1 else { throw .fitFailed(reason: "bootstrap needs k ≥ 2") }
    let b = options.resamples
    guard b >= 2 else { throw .invalidSetting(name: "resamples", value: "\(b)", expected: "at least 2") }
    guard b <= ResamplingLimits.bootstrapResamples else {
      throw .invalidSetting(name: "resamples", value: "\(b)", expected: ResamplingLimits.expected(ResamplingLimits.bootstrapResamples))
    }
    let chunkSize = Self.bootstrapChunkSize
    let range = shard.chunks(of: (b + chunkSize - 1) / chunkSize)
    let first = min(range.lowerBound * chunkSize, b)
    let count = min(range.upperBound * chunkSize, b) - first
    var est = [Double](repeating: .nan, count: count)
    var t2 = [Double](repeating: .nan, count: count)
    let k = self.k, method = self.method, control = self.control
    let seed = options.seed
    let centre = fit.estimate
    let tables = CohortTables(yi: yi, vi: vi, centre: centre)
    est.withUnsafeMutableBufferPointer { e in
      t2.withUnsafeMutableBufferPointer { tb in
        let out = UncheckedSendable((e, tb))
        forEachChunk(range.count, threads: options.threads) { local in
          let (e, tb) = out.value
          let c = range.lowerBound + local
          let yc = tables.y, vi = tables.v, wi = tables.w
          var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(c))
          let scratch = SubsetScratch(capacity: k)
          for r in (c * chunkSize)..<min((c + 1) * chunkSize, b) {
            for i in 0..<k {
              let j = rng.nextIndex(below: k)
              scratch.y[i] = yc[j]
              scratch.v[i] = vi[j]
              scratch.w[i] = wi[j]
            }
            let f = SubsetFitter.full(
              y: scratch.y, v: scratch.v, w: scratch.w, m: k, centre: centre, method: method, control: control)
            e[r - first] = f.estimate
            tb[r - first] = f.tau2
          }
        }
      }
    }
    return BootstrapPart(resamples: b, seed: seed, first: first, estimates: est, tau2s: t2)
  }

  /// The bootstrap of the parts of one bootstrap (each part once, any order): the result of
  /// ``bootstrap(_:)`` with the same B and seed, bit for bit.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` when the parts differ
  ///   in B or seed, overlap, or leave resamples out.
  public func combineBootstrap(_ parts: [BootstrapPart]) throws(MetaAnalysisError) -> BootstrapResult {
    guard let b = parts.first?.resamples, let seed = parts.first?.seed else {
      throw .invalidSetting(name: "parts", value: "none", expected: "the parts of one bootstrap")
    }
    guard parts.allSatisfy({ $0.resamples == b && $0.seed == seed && $0.estimates.count == $0.tau2s.count }) else {
      throw .invalidSetting(name: "parts", value: "different resamples or seeds", expected: "the parts of one bootstrap")
    }
    var est: [Double] = [], t2: [Double] = []
    est.reserveCapacity(b)
    t2.reserveCapacity(b)
    // A part with no resamples (more parts than chunks) adds nothing.
    for p in parts.sorted(by: { $0.first < $1.first }) where !p.estimates.isEmpty {
      guard p.first == est.count else {
        throw .invalidSetting(name: "parts", value: "resample \(est.count) missing or repeated", expected: "every resample once")
      }
      est += p.estimates
      t2 += p.tau2s
    }
    guard est.count == b else {
      throw .invalidSetting(name: "parts", value: "\(est.count) of \(b) resamples", expected: "every resample once")
    }
    return summarizeBootstrap(resamples: b, seed: seed, estimates: est, tau2s: t2)
  }

  /// Percentile intervals, bias and summaries of the resamples (in resample order).
  func summarizeBootstrap(resamples b: Int, seed: UInt64, estimates est: [Double], tau2s t2: [Double]) -> BootstrapResult {
    let alpha = level.alpha
    let es = DistributionSummary(est), ts = DistributionSummary(t2)
    var (lo, hi) = (Double.nan, Double.nan), (tlo, thi) = (Double.nan, Double.nan)
    var clean = est.filter { !$0.isNaN }
    if !clean.isEmpty {
      let q = quantilesType7(&clean, probabilities: [alpha / 2, 1 - alpha / 2])
      (lo, hi) = (q[0], q[1])
    }
    var cleanT = t2.filter { !$0.isNaN }
    if !cleanT.isEmpty {
      let q = quantilesType7(&cleanT, probabilities: [alpha / 2, 1 - alpha / 2])
      (tlo, thi) = (q[0], q[1])
    }
    let pa = proportion(lo), pb = proportion(hi)
    return BootstrapResult(
      resamples: b, seed: seed, failed: es.missing, estimates: est, tau2s: t2, ciLower: lo, ciUpper: hi,
      proportionCILower: min(pa, pb), proportionCIUpper: max(pa, pb), tau2CILower: tlo, tau2CIUpper: thi,
      bias: es.mean - fit.estimate, standardError: es.standardDeviation, estimateSummary: es, tau2Summary: ts)
  }
}
