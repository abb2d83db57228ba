// SPDX-License-Identifier: GPL-3.0-or-later

/// Settings of a GOSH analysis (Olkin, Dahabreh & Trikalinos 2012; metafor `gosh`).
public struct GoshOptions: Sendable, Hashable {
  /// The most subsets to fit (metafor's `subsets`, default 10⁶): all 2ᵏ − 1 non-empty subsets
  /// when that is not more, otherwise this many random subsets.
  public var maxSubsets: Int
  /// Seed of the random subsets (ignored when all subsets are fitted).
  public var seed: UInt64
  /// Worker threads (results do not depend on it).
  public var threads: Int

  /// Creates options; `threads` defaults to the number of online processors.
  public init(maxSubsets: Int = 1_000_000, seed: UInt64 = 1, threads: Int = availableProcessorCount()) {
    self.maxSubsets = maxSubsets; self.seed = seed; self.threads = threads
  }
}

/// Results of a GOSH analysis: one model fit per subset, as a struct of arrays (for the CSV
/// output), in metafor's order (by subset size, then — for all subsets — by the subset's bit
/// mask, where cohort j is bit j; for random subsets in the order drawn). JSON: `gosh`.
public struct GoshResult: Sendable, Hashable {
  /// Number of cohorts k.
  public var k: Int
  /// Whether all 2ᵏ − 1 subsets were fitted (`exhaustive`).
  public var exhaustive: Bool
  /// Number of subsets fitted (`subsets`).
  public var subsets: Int
  /// The seed used for random subsets (`seed`), nil when exhaustive.
  public var seed: UInt64?
  /// 64-bit words per subset in ``membership`` (⌈k/64⌉).
  public var wordsPerSubset: Int
  /// Subset membership: subset s contains cohort j iff bit j % 64 of
  /// `membership[s * wordsPerSubset + j / 64]` is set.
  public var membership: [UInt64]
  /// Subset sizes (`k`).
  public var size: [Int]
  /// Pooled estimate per subset, model scale (`estimate`); NaN when the fit failed.
  public var estimate: [Double]
  /// Cochran's Q (`q`).
  public var q: [Double]
  /// I² in percent (`i2`).
  public var i2: [Double]
  /// H² (`h2`).
  public var h2: [Double]
  /// τ̂² (`tau2`).
  public var tau2: [Double]

  /// Whether subset `s` includes cohort `j`.
  public func includes(subset s: Int, cohort j: Int) -> Bool {
    membership[s * wordsPerSubset + j / 64] & (1 << UInt64(j % 64)) != 0
  }

  /// Summary statistics (`summary`): quantiles of the estimate, I², τ², Q and H² over subsets
  /// (the five summaries are computed on up to `threads` workers).
  public func summary(threads: Int = availableProcessorCount()) -> GoshSummary {
    let columns = [estimate, i2, tau2, q, h2]
    var out = [DistributionSummary?](repeating: nil, count: columns.count)
    out.withUnsafeMutableBufferPointer { buffer in
      let shared = UncheckedSendable(buffer)
      forEachChunk(columns.count, threads: threads) { c in
        shared.value[c] = DistributionSummary(columns[c])
      }
    }
    return GoshSummary(
      subsets: subsets, failed: estimate.reduce(0) { $0 + ($1.isNaN ? 1 : 0) },
      estimate: out[0]!, i2: out[1]!, tau2: out[2]!, q: out[3]!, h2: out[4]!)
  }
}

/// Summary of a GOSH analysis. JSON: `gosh.summary`.
public struct GoshSummary: Sendable, Hashable {
  /// Number of subsets (`subsets`).
  public var subsets: Int
  /// Fits that failed (`failed`).
  public var failed: Int
  /// `estimate`, `i2`, `tau2`, `q`, `h2`.
  public var estimate: DistributionSummary
  public var i2: DistributionSummary
  public var tau2: DistributionSummary
  public var q: DistributionSummary
  public var h2: DistributionSummary
}

/// Output slots of one subset fit.
struct SubsetFit {
  var estimate = Double.nan, q = Double.nan, i2 = Double.nan, h2 = Double.nan, tau2 = Double.nan
}

/// Per-worker scratch for subset fits (no allocation per fit).
final class SubsetScratch {
  let y: UnsafeMutablePointer<Double>
  let v: UnsafeMutablePointer<Double>
  let w: UnsafeMutablePointer<Double>
  let capacity: Int
  init(capacity: Int) {
    self.capacity = max(capacity, 1)
    y = .allocate(capacity: self.capacity)
    v = .allocate(capacity: self.capacity)
    w = .allocate(capacity: self.capacity)
    y.initialize(repeating: 0, count: self.capacity)
    v.initialize(repeating: 0, count: self.capacity)
    w.initialize(repeating: 0, count: self.capacity)
  }
  deinit {
    y.deallocate()
    v.deallocate()
    w.deallocate()
  }
}

/// Subset fits as metafor's `gosh` computes them.
///
/// The callers gather the subset's outcomes centred at a constant c (the full-model estimate),
/// its vᵢ and wᵢ = 1/vᵢ; estimates are shifted back by c.
enum SubsetFitter {
  /// metafor's closed-form path (`.profile.rma.uni`, model 1/2) for EE and DL on m gathered
  /// cohorts: wᵢ = 1/vᵢ, μ̂ = Σwy/Σw, Q = Σw(y − μ̂)², I² = max(0, 100(Q − (m−1))/Q),
  /// H² = Q/(m − 1); DL: τ̂² = max(0, (Q − (m−1))/(Σw − Σw²/Σw)), μ̂ = Σw*y/Σw*.
  @inline(__always)
  static func closedForm(y: UnsafePointer<Double>, v: UnsafePointer<Double>, w: UnsafePointer<Double>, m: Int, centre: Double, dl: Bool) -> SubsetFit {
    var sw = 0.0, swy = 0.0, swy2 = 0.0, sw2 = 0.0
    for i in 0..<m {
      let wi = w[i]
      let wy = wi * y[i]
      sw += wi
      swy += wy
      swy2 += wy * y[i]
      sw2 += wi * wi
    }
    return fromSums(sw: sw, swy: swy, swy2: swy2, sw2: sw2, m: m, centre: centre, dl: dl) { tau2 in
      var s = 0.0, sy = 0.0
      for i in 0..<m {
        let wi = 1 / (v[i] + tau2)
        s += wi
        sy += wi * y[i]
      }
      return sy / s
    }
  }

  /// metafor's closed-form EE/DL statistics from the common-effect sums Σw, Σwy, Σwy², Σw² of the
  /// centred outcomes (shared by every GOSH path). `dlMean(τ̂²)` returns the centred DL estimate
  /// Σw*y/Σw*, w* = 1/(v + τ̂²), summed the caller's way; it is called only when τ̂² > 0.
  @inline(__always)
  static func fromSums(
    sw: Double, swy: Double, swy2: Double, sw2: Double, m: Int, centre: Double, dl: Bool,
    dlMean: (Double) -> Double
  ) -> SubsetFit {
    let meanC = swy / sw
    if m == 1 { return SubsetFit(estimate: centre + meanC, q: 0, i2: 0, h2: 1, tau2: 0) }
    let q = max(0, swy2 - swy * meanC)
    let df = Double(m - 1)
    let i2 = q > 0 ? max(0, 100 * (q - df) / q) : 0
    let h2 = q / df
    var est = centre + meanC
    var tau2 = 0.0
    if dl {
      tau2 = max(0, (q - df) / (sw - sw2 / sw))
      if tau2 > 0 { est = centre + dlMean(tau2) }
    }
    return SubsetFit(estimate: est, q: q, i2: i2, h2: h2, tau2: tau2)
  }

  /// ``closedForm(y:v:w:m:centre:dl:)`` for the cohorts of a subset given as a bit mask of
  /// `words` words: the common-effect sums add the precomputed per-cohort terms of `tables`
  /// (two interleaved sets of accumulators, so the additions do not wait on each other), and the
  /// members' yᵢ and vᵢ are gathered into `scratch` for the DerSimonian–Laird pass, which then
  /// runs four SIMD lanes over contiguous memory.
  @inline(__always)
  static func closedForm(
    mask: UnsafePointer<UInt64>, words: Int, tables: CohortTables, scratch: SubsetScratch, centre: Double, dl: Bool
  ) -> SubsetFit {
    var a = SIMD4<Double>(), b = SIMD4<Double>()  // (Σw, Σwy, Σwy², Σw²) over alternate members
    var m = 0
    let tw = tables.w, twy = tables.wy, twy2 = tables.wy2, tw2 = tables.w2, ty = tables.y, tv = tables.v
    let sy = scratch.y, sv = scratch.v
    for wIdx in 0..<words {
      var bits = mask[wIdx]
      while bits != 0 {
        let j = wIdx &* 64 &+ bits.trailingZeroBitCount
        let term = SIMD4(tw[j], twy[j], twy2[j], tw2[j])
        if m & 1 == 0 { a += term } else { b += term }
        sy[m] = ty[j]
        sv[m] = tv[j]
        m &+= 1
        bits &= bits &- 1
      }
    }
    let t = a + b
    return fromSums(sw: t[0], swy: t[1], swy2: t[2], sw2: t[3], m: m, centre: centre, dl: dl) { tau2 in
      let tt = SIMD4<Double>(repeating: tau2), one = SIMD4<Double>(repeating: 1)
      var s4 = SIMD4<Double>(), y4 = SIMD4<Double>()
      var i = 0
      while i &+ 4 <= m {
        let w = one / (Lanes.load(sv, i) + tt)
        s4 += w
        y4 += w * Lanes.load(sy, i)
        i &+= 4
      }
      var s = Lanes.sum(s4), syw = Lanes.sum(y4)
      while i < m {
        let w = 1 / (sv[i] + tau2)
        s += w
        syw += w * sy[i]
        i &+= 1
      }
      return syw / s
    }
  }

  /// The full intercept-only fit (any τ² method) as `rma.uni` reports estimate, Q, I², H², τ²;
  /// NaN when the estimator did not converge (metafor's fit would stop with an error).
  @inline(__always)
  static func full(
    y: UnsafePointer<Double>, v: UnsafePointer<Double>, w: UnsafePointer<Double>, m: Int, centre: Double,
    method: TauSquaredMethod, control: FitControl
  ) -> SubsetFit {
    if m == 1 { return SubsetFit(estimate: centre + y[0], q: 0, i2: 0, h2: 1, tau2: 0) }
    let closedForm = method == .EE || method == .DL
    if closedForm {
      var wMin = Double.infinity, wMax = 0.0
      for i in 0..<m { wMin = min(wMin, w[i]); wMax = max(wMax, w[i]) }
      if wMax <= 1e6 * wMin { return Self.closedForm(y: y, v: v, w: w, m: m, centre: centre, dl: method == .DL) }
    }
    let fe = InterceptSums(y: y, w: w, m: m)
    // Q and tr P at τ² = 0 as `pool` computes them (sums shifted by μ̂, traces without
    // cancellation): the raw one-pass forms lose every digit when one weight is 10¹² times the
    // others (PR with 1/10¹² and 2/2 gave τ² = 0.32 and I² = 0 where pool gives τ² = 0).
    let rough = ScoringSums(y: y, v: v, count: m, tau2: 0, shift: fe.mean, curvature: false)
    let zero = ScoringSums(y: y, v: v, count: m, tau2: 0, shift: rough.mean, curvature: false)
    let traceP = zero.traces(v: v, count: m, tau2: 0).traceP
    let tau2: Double
    switch method {
    case .EE:
      tau2 = 0
    case .DL:
      tau2 = max(0, (zero.ypy - Double(m - 1)) / traceP)
    case .ML, .REML, .EB, .PM:
      guard let t = FastIntercept.tau2(y: y, v: v, m: m, zero: zero, traceP: traceP, method: method, control: control) else {
        return SubsetFit()
      }
      tau2 = t
    default:
      let yb = UnsafeBufferPointer(start: y, count: m), vb = UnsafeBufferPointer(start: v, count: m)
      let est = TauSquaredEstimator.estimate(y: yb, v: vb, method: method, control: control)
      guard est.converged else { return SubsetFit() }
      tau2 = est.tau2
    }
    var s = 0.0, sy = 0.0
    for i in 0..<m {
      let wi = 1 / (v[i] + tau2)
      s += wi
      sy += wi * y[i]
    }
    if closedForm {  // metafor's closed-form I² and H² for EE and DL (see `fromSums`)
      let q = zero.ypy, df = Double(m - 1)
      return SubsetFit(estimate: centre + sy / s, q: q, i2: q > 0 ? max(0, 100 * (q - df) / q) : 0, h2: q / df, tau2: tau2)
    }
    let vt = Double(m - 1) / traceP
    return SubsetFit(estimate: centre + sy / s, q: zero.ypy, i2: 100 * tau2 / (vt + tau2), h2: tau2 / vt + 1, tau2: tau2)
  }
}

extension SensitivityAnalysis {
  /// GOSH: the model fitted to subsets of the cohorts (metafor `gosh`).
  ///
  /// - All 2ᵏ − 1 non-empty subsets when that is ≤ `options.maxSubsets`, walked in Gray-code
  ///   order in fixed chunks; for EE and DL, Σw, Σwy, Σwy² and Σw² are updated in O(1) per
  ///   subset (y centred at the full-data estimate to limit cancellation) — metafor's closed-form
  ///   path — and the DL estimate takes one pass over the members.
  /// - Otherwise `maxSubsets` random subsets: each cohort is included independently with
  ///   probability ½ and empty draws are rejected. The size then follows dbinom(m, k, ½)
  ///   restricted to m ≥ 1 and, given its size, the subset is uniform — the same distribution as
  ///   metafor's `sample(1:k, prob = dbinom(1:k, k, 0.5))` followed by `sample(k, m)`.
  ///   Chunk c of 4096 subsets draws from `Xoshiro256StarStar(seed:stream: c)`, so a seed gives
  ///   bit-identical results for any number of threads.
  ///
  /// Other τ² methods run the full estimator per subset on per-worker buffers. EE and DL use
  /// metafor's closed-form statistics (I² = max(0, 100(Q − df)/Q), H² = Q/df, which differ from
  /// `rma`'s τ²-based I² and H² for DL when τ̂² = 0).
  public func gosh(_ options: GoshOptions = GoshOptions()) throws(MetaAnalysisError) -> GoshResult {
    guard k > 1 else { throw .fitFailed(reason: "GOSH needs k ≥ 2 (stopped because k = 1)") }
    guard options.maxSubsets >= 2 else {
      throw .invalidSetting(name: "maxSubsets", value: "\(options.maxSubsets)", expected: "at least 2")
    }
    guard options.maxSubsets <= ResamplingLimits.goshSubsets else {
      throw .invalidSetting(name: "maxSubsets", value: "\(options.maxSubsets)", expected: ResamplingLimits.expected(ResamplingLimits.goshSubsets))
    }
    let total: Double = Double.pow(2, Double(k)) - 1
    if total <= Double(options.maxSubsets) {
      return goshExhaustive(threads: options.threads)
    }
    return goshRandom(count: options.maxSubsets, seed: options.seed, threads: options.threads)
  }

  func goshExhaustive(threads: Int) -> GoshResult {
    let n = (1 << k) - 1
    var est = [Double](repeating: .nan, count: n)
    var qs = est, i2s = est, h2s = est, t2s = est
    let chunkSize = 1024
    let chunks = (n + chunkSize - 1) / chunkSize
    let centre = fit.estimate
    // The Gray-code walk keeps running sums, adding and removing one cohort's terms per step:
    // exact enough while the weights are of like size, but with weights 10¹² apart removing the
    // large one leaves rounding noise (estimates NA, Q = 0 on single-cohort subsets). Then every
    // subset is summed afresh (the closed forms through `full`).
    let (wMin, wMax) = vi.reduce((Double.infinity, 0.0)) { (min($0.0, 1 / $1), max($0.1, 1 / $1)) }
    let closed = (method == .EE || method == .DL) && wMax <= 1e6 * wMin
    let dl = method == .DL
    let k = self.k, method = self.method, control = self.control
    let tables = CohortTables(yi: yi, vi: vi, centre: centre)
    est.withUnsafeMutableBufferPointer { e in
      qs.withUnsafeMutableBufferPointer { qb in
        i2s.withUnsafeMutableBufferPointer { ib in
          h2s.withUnsafeMutableBufferPointer { hb in
            t2s.withUnsafeMutableBufferPointer { tb in
              let out = UncheckedSendable((e, qb, ib, hb, tb))
              forEachChunk(chunks, threads: threads) { c in
                let (e, qb, ib, hb, tb) = out.value
                let yc = tables.y, vi = tables.v, wi = tables.w
                let scratch = SubsetScratch(capacity: k)
                let first = c * chunkSize + 1
                let last = min((c + 1) * chunkSize, n)
                // Running sums for the closed form (y centred).
                var mask = first ^ (first >> 1)
                var sw = 0.0, swy = 0.0, swy2 = 0.0, sw2 = 0.0, m = 0
                if closed {
                  for j in 0..<k where mask & (1 << j) != 0 {
                    let w = wi[j], y = yc[j]
                    sw += w; swy += w * y; swy2 += w * y * y; sw2 += w * w; m += 1
                  }
                }
                var g = first
                while true {
                  let slot = mask - 1
                  var f: SubsetFit
                  if closed {
                    f = Self.closedFormFromSums(
                      sw: sw, swy: swy, swy2: swy2, sw2: sw2, m: m, dl: dl, centre: centre, mask: mask, yc: yc, vi: vi)
                  } else {
                    var count = 0
                    var bits = mask
                    while bits != 0 {
                      let j = bits.trailingZeroBitCount
                      scratch.y[count] = yc[j]
                      scratch.v[count] = vi[j]
                      scratch.w[count] = wi[j]
                      count += 1
                      bits &= bits - 1
                    }
                    f = SubsetFitter.full(
                      y: scratch.y, v: scratch.v, w: scratch.w, m: count, centre: centre, method: method, control: control)
                  }
                  e[slot] = f.estimate; qb[slot] = f.q; ib[slot] = f.i2; hb[slot] = f.h2; tb[slot] = f.tau2
                  if g == last { break }
                  g += 1
                  let j = g.trailingZeroBitCount
                  mask ^= 1 << j
                  if closed {
                    let w = wi[j], y = yc[j]
                    let sgn: Double = mask & (1 << j) != 0 ? 1 : -1
                    sw += sgn * w; swy += sgn * w * y; swy2 += sgn * w * y * y; sw2 += sgn * w * w
                    m += mask & (1 << j) != 0 ? 1 : -1
                  }
                }
              }
            }
          }
        }
      }
    }
    // metafor's order: by size, then by mask.
    var sizes = [Int](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: k + 2)
    for mask in 1...n {
      let s = mask.nonzeroBitCount
      sizes[mask - 1] = s
      counts[s + 1] += 1
    }
    for s in 1...(k + 1) { counts[s] += counts[s - 1] }
    var order = [Int](repeating: 0, count: n)
    for mask in 1...n {
      let s = sizes[mask - 1]
      order[counts[s]] = mask
      counts[s] += 1
    }
    return GoshResult(
      k: k, exhaustive: true, subsets: n, seed: nil, wordsPerSubset: 1,
      membership: order.map { UInt64($0) }, size: order.map { sizes[$0 - 1] },
      estimate: order.map { est[$0 - 1] }, q: order.map { qs[$0 - 1] }, i2: order.map { i2s[$0 - 1] },
      h2: order.map { h2s[$0 - 1] }, tau2: order.map { t2s[$0 - 1] })
  }

  /// The closed-form statistics from running sums of the centred outcomes.
  @inline(__always)
  static func closedFormFromSums(
    sw: Double, swy: Double, swy2: Double, sw2: Double, m: Int, dl: Bool, centre: Double, mask: Int,
    yc: UnsafePointer<Double>, vi: UnsafePointer<Double>
  ) -> SubsetFit {
    SubsetFitter.fromSums(sw: sw, swy: swy, swy2: swy2, sw2: sw2, m: m, centre: centre, dl: dl) { tau2 in
      var s = 0.0, sy = 0.0
      var bits = mask
      while bits != 0 {
        let j = bits.trailingZeroBitCount
        let w = 1 / (vi[j] + tau2)
        s += w
        sy += w * yc[j]
        bits &= bits - 1
      }
      return sy / s
    }
  }

  /// Random subsets in three steps: the workers draw every subset (chunk c of 4096 from
  /// stream c) and keep only its size; a counting sort by size gives each subset its slot in
  /// metafor's order (stable by size); the workers then draw the same subsets again (the same
  /// streams), fit them and write each result and membership straight into its slot. The
  /// per-subset arrays are written once, in parallel, and never copied.
  func goshRandom(count n: Int, seed: UInt64, threads: Int) -> GoshResult {
    let kernel = RandomGoshKernel(self, count: n, seed: seed)
    let words = kernel.words, chunks = kernel.chunks

    // 1. Sizes.
    var drawnSize = [Int32](repeating: 0, count: n)
    drawnSize.withUnsafeMutableBufferPointer { sb in
      let out = UncheckedSendable(sb)
      forEachChunk(chunks, threads: threads) { c in
        let sb = out.value
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { mask in
          kernel.draw(chunk: c, into: mask.baseAddress!) { s, m in sb[s] = Int32(m) }
        }
      }
    }

    // 2. Slots: stable counting sort by size.
    let (slots, sizes) = Self.slotsBySize(drawnSize, k: k)
    drawnSize = []

    // 3. Draw again, fit, write into the slots (every slot is written exactly once).
    var membership = [UInt64](), est = [Double](), qs = [Double](), i2s = [Double](), h2s = [Double](), t2s = [Double]()
    slots.withUnsafeBufferPointer { slb in
      membership = uninitialised(n * words) { mb in
        est = uninitialised(n) { e in
          qs = uninitialised(n) { qb in
            i2s = uninitialised(n) { ib in
              h2s = uninitialised(n) { hb in
                t2s = uninitialised(n) { tb in
                  let out = UncheckedSendable((slb, mb, e, qb, ib, hb, tb))
                  forEachChunk(chunks, threads: threads) { c in
                    let (slb, mb, e, qb, ib, hb, tb) = out.value
                    let scratch = SubsetScratch(capacity: kernel.k)
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { maskBuffer in
                      let mask = maskBuffer.baseAddress!
                      kernel.draw(chunk: c, into: mask) { s, _ in
                        let slot = Int(slb[s])
                        for wIdx in 0..<words { mb[slot * words + wIdx] = mask[wIdx] }
                        let f = kernel.fit(mask, scratch: scratch)
                        e[slot] = f.estimate; qb[slot] = f.q; ib[slot] = f.i2; hb[slot] = f.h2; tb[slot] = f.tau2
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return GoshResult(
      k: k, exhaustive: false, subsets: n, seed: seed, wordsPerSubset: words, membership: membership,
      size: sizes, estimate: est, q: qs, i2: i2s, h2: h2s, tau2: t2s)
  }

  /// Each subset's slot (stable counting sort by size, metafor's order) and the sorted sizes.
  static func slotsBySize(_ drawnSize: [Int32], k: Int) -> (slots: [Int32], sizes: [Int]) {
    let n = drawnSize.count
    var starts = [Int](repeating: 0, count: k + 2)
    for m in drawnSize { starts[Int(m) + 1] += 1 }
    for m in 1...(k + 1) { starts[m] += starts[m - 1] }
    var sizes = [Int](repeating: 0, count: n)
    for m in 1...k { for slot in starts[m]..<starts[m + 1] { sizes[slot] = m } }
    var slots = [Int32](repeating: 0, count: n)
    for s in 0..<n {
      let m = Int(drawnSize[s])
      slots[s] = Int32(starts[m])
      starts[m] += 1
    }
    return (slots, sizes)
  }

  /// The random subsets of part `shard` of a GOSH analysis (``ResamplingShard``: its chunks of
  /// 4096 subsets), in draw order.
  /// - Throws: as ``gosh(_:)``; ``MetaAnalysisError/invalidSetting(name:value:expected:)`` when
  ///   every subset would be fitted (2ᵏ − 1 ≤ `maxSubsets`: there is nothing random to split).
  public func goshPart(_ options: GoshOptions, shard: ResamplingShard) throws(MetaAnalysisError) -> GoshPart {
    guard k > 1 else { throw .fitFailed(reason: "GOSH needs k ≥ 2 (stopped because k = 1)") }
    let n = options.maxSubsets
    guard n >= 2 else { throw .invalidSetting(name: "maxSubsets", value: "\(n)", expected: "at least 2") }
    guard Double.pow(2, Double(k)) - 1 > Double(n) else {
      throw .invalidSetting(
        name: "subsets", value: "\(n)", expected: "fewer than the 2^\(k) − 1 subsets of \(k) cohorts to split GOSH into parts (all subsets are fitted in one process)")
    }
    let kernel = RandomGoshKernel(self, count: n, seed: options.seed)
    let words = kernel.words, chunkSize = RandomGoshKernel.chunkSize
    let range = shard.chunks(of: kernel.chunks)
    let first = min(range.lowerBound * chunkSize, n)
    let count = min(range.upperBound * chunkSize, n) - first
    var size = [Int](repeating: 0, count: count)
    var membership = [UInt64](repeating: 0, count: count * words)
    var est = [Double](repeating: .nan, count: count), qs = est, i2s = est, h2s = est, t2s = est
    size.withUnsafeMutableBufferPointer { sb in
      membership.withUnsafeMutableBufferPointer { mb in
        est.withUnsafeMutableBufferPointer { e in
          qs.withUnsafeMutableBufferPointer { qb in
            i2s.withUnsafeMutableBufferPointer { ib in
              h2s.withUnsafeMutableBufferPointer { hb in
                t2s.withUnsafeMutableBufferPointer { tb in
                  let out = UncheckedSendable((sb, mb, e, qb, ib, hb, tb))
                  forEachChunk(range.count, threads: options.threads) { local in
                    let (sb, mb, e, qb, ib, hb, tb) = out.value
                    let scratch = SubsetScratch(capacity: kernel.k)
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { maskBuffer in
                      let mask = maskBuffer.baseAddress!
                      kernel.draw(chunk: range.lowerBound + local, into: mask) { s, m in
                        let i = s - first
                        sb[i] = m
                        for wIdx in 0..<words { mb[i * words + wIdx] = mask[wIdx] }
                        let f = kernel.fit(mask, scratch: scratch)
                        e[i] = f.estimate; qb[i] = f.q; ib[i] = f.i2; hb[i] = f.h2; tb[i] = f.tau2
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return GoshPart(
      k: k, subsets: n, seed: options.seed, first: first, size: size, membership: membership, estimate: est, q: qs,
      i2: i2s, h2: h2s, tau2: t2s)
  }

  /// The GOSH result of the parts of one random GOSH analysis (each part once, any order): the
  /// result of ``gosh(_:)`` with the same settings, bit for bit.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` when the parts are of
  ///   different analyses, overlap, or leave subsets out.
  public func combineGosh(_ parts: [GoshPart]) throws(MetaAnalysisError) -> GoshResult {
    guard let n = parts.first?.subsets, let seed = parts.first?.seed else {
      throw .invalidSetting(name: "parts", value: "none", expected: "the parts of one GOSH analysis")
    }
    let words = (k + 63) / 64
    guard parts.allSatisfy({ $0.k == k && $0.subsets == n && $0.seed == seed && $0.membership.count == $0.size.count * words }) else {
      throw .invalidSetting(name: "parts", value: "different cohorts, subsets or seeds", expected: "the parts of one GOSH analysis")
    }
    var drawnSize: [Int32] = []
    drawnSize.reserveCapacity(n)
    // A part with no subsets (more parts than chunks) adds nothing.
    let ordered = parts.filter { !$0.size.isEmpty }.sorted { $0.first < $1.first }
    for p in ordered {
      guard p.first == drawnSize.count else {
        throw .invalidSetting(name: "parts", value: "subset \(drawnSize.count) missing or repeated", expected: "every subset once")
      }
      drawnSize += p.size.map { Int32($0) }
    }
    guard drawnSize.count == n else {
      throw .invalidSetting(name: "parts", value: "\(drawnSize.count) of \(n) subsets", expected: "every subset once")
    }
    let (slots, sizes) = Self.slotsBySize(drawnSize, k: k)
    var membership = [UInt64](repeating: 0, count: n * words)
    var est = [Double](repeating: .nan, count: n), qs = est, i2s = est, h2s = est, t2s = est
    for p in ordered {
      for i in 0..<p.size.count {
        let slot = Int(slots[p.first + i])
        for wIdx in 0..<words { membership[slot * words + wIdx] = p.membership[i * words + wIdx] }
        est[slot] = p.estimate[i]; qs[slot] = p.q[i]; i2s[slot] = p.i2[i]; h2s[slot] = p.h2[i]; t2s[slot] = p.tau2[i]
      }
    }
    return GoshResult(
      k: k, exhaustive: false, subsets: n, seed: seed, wordsPerSubset: words, membership: membership,
      size: sizes, estimate: est, q: qs, i2: i2s, h2: h2s, tau2: t2s)
  }
}

/// An array of `count` elements, every one written by `body` (no zero-filling first).
private func uninitialised<T>(_ count: Int, _ body: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
  [T](unsafeUninitializedCapacity: count) { buffer, initialised in
    body(buffer)
    initialised = count
  }
}

/// The random subsets of one seeded GOSH analysis and the fit of a subset: shared by the
/// single-process path and the parts of a sharded one, so both draw and fit the same way.
struct RandomGoshKernel: @unchecked Sendable {
  /// Subsets per chunk (and per random stream).
  static let chunkSize = 4096
  let k: Int, n: Int, seed: UInt64, words: Int, chunks: Int
  let lastMask: UInt64
  let method: TauSquaredMethod, control: FitControl
  let closed: Bool, dl: Bool
  let centre: Double
  let tables: CohortTables

  init(_ a: SensitivityAnalysis, count n: Int, seed: UInt64) {
    k = a.k
    self.n = n
    self.seed = seed
    words = (k + 63) / 64
    chunks = (n + Self.chunkSize - 1) / Self.chunkSize
    let lastWordBits = k - 64 * (words - 1)
    lastMask = lastWordBits == 64 ? ~0 : (1 << UInt64(lastWordBits)) - 1
    method = a.method
    control = a.control
    closed = method == .EE || method == .DL
    dl = method == .DL
    centre = a.fit.estimate
    tables = CohortTables(yi: a.yi, vi: a.vi, centre: centre)
  }

  /// Draws subset after subset of chunk c into `mask` and calls `body(s, size)` for each: each
  /// cohort in with probability ½, empty draws rejected.
  func draw(chunk c: Int, into mask: UnsafeMutablePointer<UInt64>, _ body: (Int, Int) -> Void) {
    var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(c))
    for s in (c * Self.chunkSize)..<min((c + 1) * Self.chunkSize, n) {
      var any: UInt64 = 0
      var m = 0
      repeat {
        any = 0
        m = 0
        for wIdx in 0..<words {
          var bits = rng.next()
          if wIdx == words - 1 { bits &= lastMask }
          mask[wIdx] = bits
          any |= bits
          m += bits.nonzeroBitCount
        }
      } while any == 0
      body(s, m)
    }
  }

  /// The model fitted to the subset `mask`.
  func fit(_ mask: UnsafeMutablePointer<UInt64>, scratch: SubsetScratch) -> SubsetFit {
    if closed {
      return SubsetFitter.closedForm(mask: mask, words: words, tables: tables, scratch: scratch, centre: centre, dl: dl)
    }
    let yc = tables.y, vi = tables.v, wi = tables.w
    var m = 0
    for wIdx in 0..<words {
      var bits = mask[wIdx]
      while bits != 0 {
        let j = wIdx * 64 + bits.trailingZeroBitCount
        scratch.y[m] = yc[j]
        scratch.v[m] = vi[j]
        scratch.w[m] = wi[j]
        m += 1
        bits &= bits - 1
      }
    }
    return SubsetFitter.full(y: scratch.y, v: scratch.v, w: scratch.w, m: m, centre: centre, method: method, control: control)
  }
}

/// The random subsets of one part of a sharded GOSH analysis (``ResamplingShard``): subsets
/// `first ..< first + size.count`, in draw order (not yet sorted by size).
public struct GoshPart: Sendable, Hashable {
  /// Cohorts, subsets of the whole analysis, seed.
  public var k: Int
  public var subsets: Int
  public var seed: UInt64
  /// Index of the first subset of the part.
  public var first: Int
  /// Size of each subset; its members as ⌈k/64⌉ words of bits; its fit.
  public var size: [Int]
  public var membership: [UInt64]
  public var estimate: [Double]
  public var q: [Double]
  public var i2: [Double]
  public var h2: [Double]
  public var tau2: [Double]

  public init(
    k: Int, subsets: Int, seed: UInt64, first: Int, size: [Int], membership: [UInt64], estimate: [Double], q: [Double],
    i2: [Double], h2: [Double], tau2: [Double]
  ) {
    self.k = k; self.subsets = subsets; self.seed = seed; self.first = first; self.size = size
    self.membership = membership; self.estimate = estimate; self.q = q; self.i2 = i2; self.h2 = h2; self.tau2 = tau2
  }
}

/// Read-only per-cohort tables shared by the workers: centred yᵢ, vᵢ, wᵢ = 1/vᵢ and the
/// common-effect terms wᵢyᵢ, (wᵢyᵢ)yᵢ and wᵢ².
final class CohortTables: @unchecked Sendable {
  let y: UnsafeMutablePointer<Double>
  let v: UnsafeMutablePointer<Double>
  let w: UnsafeMutablePointer<Double>
  let wy: UnsafeMutablePointer<Double>
  let wy2: UnsafeMutablePointer<Double>
  let w2: UnsafeMutablePointer<Double>
  init(yi: [Double], vi: [Double], centre: Double) {
    let k = max(yi.count, 1)
    y = .allocate(capacity: k)
    v = .allocate(capacity: k)
    w = .allocate(capacity: k)
    wy = .allocate(capacity: k)
    wy2 = .allocate(capacity: k)
    w2 = .allocate(capacity: k)
    for i in 0..<yi.count {
      y[i] = yi[i] - centre
      v[i] = vi[i]
      w[i] = 1 / vi[i]
      wy[i] = w[i] * y[i]
      wy2[i] = wy[i] * y[i]
      w2[i] = w[i] * w[i]
    }
  }
  deinit {
    y.deallocate()
    v.deallocate()
    w.deallocate()
    wy.deallocate()
    wy2.deallocate()
    w2.deallocate()
  }
}
