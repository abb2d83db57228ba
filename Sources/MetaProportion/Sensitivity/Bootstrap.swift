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
    self.resamples = resamples
    self.seed = seed
    self.threads = threads
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

extension SensitivityAnalysis {
  /// Nonparametric bootstrap: B resamples of k cohorts drawn with replacement (uniform indices
  /// by Lemire's unbiased method), each refitted with the model's τ² method. Resamples are
  /// processed in chunks of 64; chunk c draws from `Xoshiro256StarStar(seed:stream: c)`, so a
  /// seed gives bit-identical results for any number of threads.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for B < 2,
  ///   ``MetaAnalysisError/fitFailed(reason:)`` when k = 1.
  public func bootstrap(_ options: BootstrapOptions = BootstrapOptions()) throws(MetaAnalysisError) -> BootstrapResult {
    guard k > 1 else { throw .fitFailed(reason: "bootstrap needs k ≥ 2") }
    let b = options.resamples
    guard b >= 2 else { throw .invalidSetting(name: "resamples", value: "\(b)", expected: "at least 2") }
    guard b <= ResamplingLimits.bootstrapResamples else {
      throw .invalidSetting(name: "resamples", value: "\(b)", expected: ResamplingLimits.expected(ResamplingLimits.bootstrapResamples))
    }
    var est = [Double](repeating: .nan, count: b)
    var t2 = [Double](repeating: .nan, count: b)
    let chunkSize = 64
    let chunks = (b + chunkSize - 1) / chunkSize
    let k = self.k, method = self.method, control = self.control
    let seed = options.seed
    let centre = fit.estimate
    let tables = CohortTables(yi: yi, vi: vi, centre: centre)
    est.withUnsafeMutableBufferPointer { e in
      t2.withUnsafeMutableBufferPointer { tb in
        let out = UncheckedSendable((e, tb))
        forEachChunk(chunks, threads: options.threads) { c in
          let (e, tb) = out.value
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
            e[r] = f.estimate
            tb[r] = f.tau2
          }
        }
      }
    }
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

// MARK: - JSON keys (Docs/sensitivity.md)

extension BootstrapResult: Encodable {
  enum CodingKeys: String, CodingKey {
    case resamples, seed, failed, ciLower = "ci_lower", ciUpper = "ci_upper", proportionCILower = "proportion_ci_lower",
      proportionCIUpper = "proportion_ci_upper", tau2CILower = "tau2_ci_lower", tau2CIUpper = "tau2_ci_upper", bias,
      standardError = "se", estimateSummary = "estimate_summary", tau2Summary = "tau2_summary"
  }
}
