// SPDX-License-Identifier: GPL-3.0-or-later

/// Settings shared by the cluster bootstrap and the cluster GOSH: the three-level model's method,
/// test and level, the seed and the worker threads (results do not depend on the threads).
public struct ClusterResamplingOptions: Sendable, Hashable {
  public var method: TauSquaredMethod
  public var test: TestMethod
  public var level: ConfidenceLevel
  public var seed: UInt64
  public var threads: Int

  public init(
    method: TauSquaredMethod = .REML, test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive, seed: UInt64 = 1,
    threads: Int = availableProcessorCount()
  ) {
    self.method = method; self.test = test; self.level = level; self.seed = seed; self.threads = threads
  }
}

/// The nonparametric cluster bootstrap of the three-level model (Field & Welsh 2007).
///
/// Each resample draws m clusters with replacement from the m clusters (each drawn copy a
/// cluster of its own) and refits the model by the same method. Percentile intervals are R's
/// type-7 quantiles at α/2 and 1 − α/2 of the fitted resamples.
public struct ClusterBootstrapResult: Sendable, Hashable {
  /// B.
  public var resamples: Int
  public var seed: UInt64
  /// Resamples that cannot be fitted: fewer than 2 distinct clusters or fewer than 3 cohorts.
  public var unfittable: Int
  /// Resamples whose fit failed (optimiser or singular design).
  public var failed: Int
  /// μ̂* per resample in resample order (NaN: unfittable or failed).
  public var estimates: [Double]
  /// σ̂²* per resample: cluster level, cohort level.
  public var sigma2Cluster: [Double]
  public var sigma2Cohort: [Double]
  /// Percentile CI of μ (model scale).
  public var ciLower: Double
  public var ciUpper: Double
  /// Percentile CIs of σ² (cluster, cohort).
  public var sigma2CILower: [Double]
  public var sigma2CIUpper: [Double]
  /// mean(μ̂*) − μ̂ and sd(μ̂*).
  public var bias: Double
  public var standardError: Double
  public var estimateSummary: DistributionSummary
  /// Summaries of σ̂²* (cluster, cohort).
  public var sigma2Summary: [DistributionSummary]
}

/// GOSH over clusters: the three-level model fitted to subsets of the clusters (every cohort of
/// a chosen cluster in), as a struct of arrays.
public struct ClusterGoshResult: Sendable, Hashable {
  /// Number of clusters m.
  public var clusters: Int
  /// Whether every admissible subset of the 2ᵐ − 1 was fitted.
  public var exhaustive: Bool
  /// Subsets fitted.
  public var subsets: Int
  /// Exhaustive: subsets left out because they have fewer than 2 clusters or 3 cohorts. Random:
  /// draws rejected for that reason (and drawn again).
  public var rejected: Int
  /// Seed (nil when exhaustive).
  public var seed: UInt64?
  /// Words per subset in ``membership`` (⌈m/64⌉); cluster c of subset s is bit c % 64 of
  /// `membership[s * wordsPerSubset + c / 64]`.
  public var wordsPerSubset: Int
  public var membership: [UInt64]
  /// Clusters and cohorts per subset.
  public var clusterCount: [Int]
  public var cohorts: [Int]
  /// μ̂, σ̂² per level and I² total (percent) per subset (NaN: failed fit).
  public var estimate: [Double]
  public var sigma2Cluster: [Double]
  public var sigma2Cohort: [Double]
  public var i2Total: [Double]

  /// Whether subset s contains cluster c.
  public func includes(subset s: Int, cluster c: Int) -> Bool {
    membership[s * wordsPerSubset + c / 64] & (1 << UInt64(c % 64)) != 0
  }

  /// Failed fits.
  public var failed: Int { estimate.reduce(0) { $0 + ($1.isNaN ? 1 : 0) } }
}

/// Cluster bootstrap and cluster GOSH of the intercept-only three-level model.
///
/// Both split their work into fixed chunks; chunk c draws from
/// `Xoshiro256StarStar(seed:stream: c)` and the chunks run on ``forEachChunk(_:threads:_:)``, so a
/// seed gives bit-identical results for any number of threads.
public enum ClusterResampling {
  /// Resamples per chunk (and per random stream) of the bootstrap.
  static let bootstrapChunkSize = 64
  /// Random GOSH subsets per chunk (and per random stream).
  static let goshChunkSize = 256
  /// Most draws for one random GOSH subset before giving up (the draw needs 2 clusters and 3 cohorts).
  public static let goshRetryLimit = 10_000

  /// Cohort data gathered by cluster, for refits of unions of whole clusters.
  struct Clusters {
    let y: [[Double]]
    let v: [[Double]]
    init(yi: [Double], vi: [Double], structure: ClusterStructure) {
      y = (0..<structure.count).map { c in structure.order[structure.offsets[c]..<structure.offsets[c + 1]].map { yi[$0] } }
      v = (0..<structure.count).map { c in structure.order[structure.offsets[c]..<structure.offsets[c + 1]].map { vi[$0] } }
    }
    var count: Int { y.count }

    /// Fits the model to the drawn clusters (each entry a cluster of its own, repeats allowed);
    /// nil when the fit fails.
    func fit(_ drawn: [Int], options: ClusterResamplingOptions) -> ThreeLevelFit? {
      var yy: [Double] = [], vv: [Double] = [], labels: [String] = []
      for (position, c) in drawn.enumerated() {
        yy += y[c]
        vv += v[c]
        labels += repeatElement(String(position), count: y[c].count)
      }
      return try? ThreeLevelModel.fit(
        yi: yy, vi: vv, clusters: ClusterStructure(clusters: labels), method: options.method, test: options.test,
        level: options.level, profileIntervals: false)
    }
  }

  /// Checks the number of resamples or subsets (2 ... `limit`) and fits the full data (which
  /// checks the data: at least 2 clusters, 3 cohorts, valid yi and vi).
  static func checkedFullFit(
    yi: [Double], vi: [Double], structure: ClusterStructure, count: Int, name: String, limit: Int,
    options: ClusterResamplingOptions
  ) throws(MetaAnalysisError) -> ThreeLevelFit {
    guard count >= 2 else { throw .invalidSetting(name: name, value: "\(count)", expected: "at least 2") }
    guard count <= limit else { throw .invalidSetting(name: name, value: "\(count)", expected: ResamplingLimits.expected(limit)) }
    return try ThreeLevelModel.fit(
      yi: yi, vi: vi, clusters: structure, method: options.method, test: options.test, level: options.level, profileIntervals: false)
  }

  /// The cluster bootstrap with B resamples.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for B < 2 or above
  ///   ``ResamplingLimits/bootstrapResamples``; the full fit's errors.
  public static func bootstrap(
    yi: [Double], vi: [Double], clusters structure: ClusterStructure, resamples b: Int,
    options: ClusterResamplingOptions = ClusterResamplingOptions()
  ) throws(MetaAnalysisError) -> ClusterBootstrapResult {
    let full = try checkedFullFit(yi: yi, vi: vi, structure: structure, count: b, name: "resamples", limit: ResamplingLimits.bootstrapResamples, options: options)
    let data = Clusters(yi: yi, vi: vi, structure: structure)
    let m = data.count
    var est = [Double](repeating: .nan, count: b), s1 = est, s2 = est
    var status = [UInt8](repeating: 0, count: b)  // 0 fitted, 1 unfittable, 2 failed
    let chunkSize = bootstrapChunkSize
    let chunks = (b + chunkSize - 1) / chunkSize
    est.withUnsafeMutableBufferPointer { e in
      s1.withUnsafeMutableBufferPointer { a in
        s2.withUnsafeMutableBufferPointer { w in
          status.withUnsafeMutableBufferPointer { st in
            let out = UncheckedSendable((e, a, w, st))
            forEachChunk(chunks, threads: options.threads) { c in
              let (e, a, w, st) = out.value
              var rng = Xoshiro256StarStar(seed: options.seed, stream: UInt64(c))
              var drawn = [Int](repeating: 0, count: m)
              var seen = [Bool](repeating: false, count: m)
              for r in (c * chunkSize)..<min((c + 1) * chunkSize, b) {
                var distinct = 0, cohorts = 0
                for i in 0..<m { seen[i] = false }
                for i in 0..<m {
                  let j = rng.nextIndex(below: m)
                  drawn[i] = j
                  cohorts += data.y[j].count
                  if !seen[j] { seen[j] = true; distinct += 1 }
                }
                guard distinct >= 2, cohorts >= 3 else { st[r] = 1; continue }
                guard let f = data.fit(drawn, options: options) else { st[r] = 2; continue }
                e[r] = f.estimate
                a[r] = f.levels[0].sigma2
                w[r] = f.levels[1].sigma2
              }
            }
          }
        }
      }
    }
    let alpha = options.level.alpha
    func percentile(_ x: [Double]) -> (Double, Double) {
      var clean = x.filter { !$0.isNaN }
      guard !clean.isEmpty else { return (.nan, .nan) }
      let q = quantilesType7(&clean, probabilities: [alpha / 2, 1 - alpha / 2])
      return (q[0], q[1])
    }
    let (lo, hi) = percentile(est), (a1, b1) = percentile(s1), (a2, b2) = percentile(s2)
    let es = DistributionSummary(est)
    return ClusterBootstrapResult(
      resamples: b, seed: options.seed, unfittable: status.reduce(0) { $0 + ($1 == 1 ? 1 : 0) },
      failed: status.reduce(0) { $0 + ($1 == 2 ? 1 : 0) }, estimates: est, sigma2Cluster: s1, sigma2Cohort: s2,
      ciLower: lo, ciUpper: hi, sigma2CILower: [a1, a2], sigma2CIUpper: [b1, b2], bias: es.mean - full.estimate,
      standardError: es.standardDeviation, estimateSummary: es, sigma2Summary: [DistributionSummary(s1), DistributionSummary(s2)])
  }

  /// GOSH over clusters. When 2ᵐ − 1 ≤ `maxSubsets` every subset with at least 2 clusters and 3
  /// cohorts is fitted, ordered by the number of clusters and then by bit mask (cluster c is
  /// bit c, clusters in order of first appearance). Otherwise `maxSubsets` random subsets in draw
  /// order: each cluster is in with probability ½, and a draw with fewer than 2 clusters or 3
  /// cohorts is drawn again (at most ``goshRetryLimit`` times per subset).
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for `maxSubsets` < 2 or
  ///   above ``ResamplingLimits/goshSubsets``; ``MetaAnalysisError/fitFailed(reason:)`` when a
  ///   random subset could not be drawn within the retry limit; the full fit's errors.
  public static func gosh(
    yi: [Double], vi: [Double], clusters structure: ClusterStructure, maxSubsets n: Int,
    options: ClusterResamplingOptions = ClusterResamplingOptions()
  ) throws(MetaAnalysisError) -> ClusterGoshResult {
    _ = try checkedFullFit(yi: yi, vi: vi, structure: structure, count: n, name: "maxSubsets", limit: ResamplingLimits.goshSubsets, options: options)
    let data = Clusters(yi: yi, vi: vi, structure: structure)
    let m = data.count
    let words = (m + 63) / 64
    let sizes = data.y.map(\.count)
    func admissible(_ mask: UnsafePointer<UInt64>) -> (clusters: Int, cohorts: Int)? {
      var cl = 0, co = 0
      for wIdx in 0..<words {
        var bits = mask[wIdx]
        while bits != 0 {
          cl += 1
          co += sizes[wIdx * 64 + bits.trailingZeroBitCount]
          bits &= bits - 1
        }
      }
      return cl >= 2 && co >= 3 ? (cl, co) : nil
    }
    var membership: [UInt64]
    var rejected = 0
    var exhaustive = false
    var failure = false
    if Double.pow(2, Double(m)) - 1 <= Double(n) {
      exhaustive = true
      var masks: [UInt64] = []
      for mask in 1..<(UInt64(1) << UInt64(m)) {
        if withUnsafePointer(to: mask, { admissible($0) }) != nil { masks.append(mask) } else { rejected += 1 }
      }
      masks.sort { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }
      membership = masks
    } else {
      membership = [UInt64](repeating: 0, count: n * words)
      var retries = [Int](repeating: 0, count: (n + goshChunkSize - 1) / goshChunkSize)
      var exhausted = [Bool](repeating: false, count: retries.count)
      membership.withUnsafeMutableBufferPointer { mb in
        retries.withUnsafeMutableBufferPointer { rb in
          exhausted.withUnsafeMutableBufferPointer { xb in
            let out = UncheckedSendable((mb, rb, xb))
            forEachChunk(rb.count, threads: options.threads) { c in
              let (mb, rb, xb) = out.value
              var rng = Xoshiro256StarStar(seed: options.seed, stream: UInt64(c))
              for s in (c * goshChunkSize)..<min((c + 1) * goshChunkSize, n) {
                let mask = mb.baseAddress! + s * words
                var ok = false
                for _ in 0..<goshRetryLimit {
                  for wIdx in 0..<words {
                    let bitsHere = min(64, m - wIdx * 64)
                    var x = rng.next()
                    if bitsHere < 64 { x &= (UInt64(1) << UInt64(bitsHere)) - 1 }
                    mask[wIdx] = x
                  }
                  if admissible(mask) != nil { ok = true; break }
                  rb[c] += 1
                }
                if !ok { xb[c] = true; return }
              }
            }
          }
        }
      }
      failure = exhausted.contains(true)
      rejected = retries.reduce(0, +)
    }
    if failure {
      throw .fitFailed(
        reason: "GOSH over clusters: no subset with at least 2 clusters and 3 cohorts in \(goshRetryLimit) random draws")
    }
    let count = membership.count / words
    var est = [Double](repeating: .nan, count: count), s1 = est, s2 = est, i2 = est
    var cl = [Int](repeating: 0, count: count), co = cl
    let chunkSize = goshChunkSize
    membership.withUnsafeBufferPointer { mb in
      est.withUnsafeMutableBufferPointer { e in
        s1.withUnsafeMutableBufferPointer { a in
          s2.withUnsafeMutableBufferPointer { w in
            i2.withUnsafeMutableBufferPointer { ib in
              cl.withUnsafeMutableBufferPointer { clb in
                co.withUnsafeMutableBufferPointer { cob in
                  let out = UncheckedSendable((mb, e, a, w, ib, clb, cob))
                  forEachChunk((count + chunkSize - 1) / chunkSize, threads: options.threads) { c in
                    let (mb, e, a, w, ib, clb, cob) = out.value
                    var drawn: [Int] = []
                    for s in (c * chunkSize)..<min((c + 1) * chunkSize, count) {
                      drawn.removeAll(keepingCapacity: true)
                      for wIdx in 0..<words {
                        var bits = mb[s * words + wIdx]
                        while bits != 0 {
                          drawn.append(wIdx * 64 + bits.trailingZeroBitCount)
                          bits &= bits - 1
                        }
                      }
                      clb[s] = drawn.count
                      cob[s] = drawn.reduce(0) { $0 + sizes[$1] }
                      guard let f = data.fit(drawn, options: options) else { continue }
                      e[s] = f.estimate
                      a[s] = f.levels[0].sigma2
                      w[s] = f.levels[1].sigma2
                      ib[s] = f.i2Total
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return ClusterGoshResult(
      clusters: m, exhaustive: exhaustive, subsets: count, rejected: rejected, seed: exhaustive ? nil : options.seed,
      wordsPerSubset: words, membership: membership, clusterCount: cl, cohorts: co, estimate: est,
      sigma2Cluster: s1, sigma2Cohort: s2, i2Total: i2)
  }
}
