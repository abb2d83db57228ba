// SPDX-License-Identifier: GPL-3.0-or-later

/// Settings of a permutation test (metafor `permutest`).
public struct PermutationTestOptions: Sendable, Hashable {
  /// Number of permutations for the approximate test (metafor's `iter`, 1000). When the number of
  /// distinct permutations is not larger, the exact test is run instead.
  public var iterations: Int
  /// Force the exact test (metafor's `exact = TRUE`).
  public var exact: Bool
  /// Seed of the random permutations.
  public var seed: UInt64
  /// Worker threads (results do not depend on it).
  public var threads: Int
  /// Comparison tolerance (metafor's `comptol`, √ε).
  public var tolerance: Double

  /// Creates options; `threads` defaults to the number of online processors.
  public init(
    iterations: Int = 1000, exact: Bool = false, seed: UInt64 = 1, threads: Int = availableProcessorCount(),
    tolerance: Double = Double.ulpOfOne.squareRoot()
  ) {
    self.iterations = iterations; self.exact = exact; self.seed = seed; self.threads = threads
    self.tolerance = tolerance
  }
}

/// Result of a permutation test. JSON: `permutation_test`.
public struct PermutationTestResult: Sendable, Hashable {
  /// Whether every distinct permutation was used (`exact`).
  public var exact: Bool
  /// Number of permutations (including the observed data) (`iterations`).
  public var iterations: Int
  /// Permutations whose fit failed (left out) (`failed`).
  public var failed: Int
  /// Permutation p-value per coefficient (`p_values`): the share of permutations with
  /// |zⱼ*| ≥ |zⱼ| − tol.
  public var pValues: [Double]
  /// Permutation p-value of the omnibus test (`qm_p_value`): the share with QM* ≥ QM − tol.
  public var qmPValue: Double
}

extension MetaRegression {
  /// Permutation test of a meta-regression or of the intercept-only model (metafor
  /// `permutest.rma.uni`, two-sided, statistic = test statistic).
  ///
  /// - Intercept-only (p = 1): the signs of yᵢ are flipped; exact (all 2ᵏ sign vectors) when
  ///   2ᵏ ≤ `iterations` or `exact`.
  /// - With moderators: the rows of X are permuted; exact (every distinct permutation of the
  ///   rows, identical rows counted once) when their number is ≤ `iterations` or `exact`.
  ///   Otherwise `iterations` random permutations, the first being the observed data (as
  ///   metafor). Permutations are processed in chunks of 64; chunk c shuffles with
  ///   `Xoshiro256StarStar(seed:stream: c)` (Fisher–Yates), so a seed gives the same result for
  ///   any number of threads. A failed fit is redrawn (up to 100 times) in the approximate test
  ///   and left out of the exact one.
  ///
  /// Each permutation refits the model with the same τ² method, test and control.
  /// - Throws: ``MetaAnalysisError`` when the observed model cannot be fitted, or the exact test
  ///   would need more than 10⁷ permutations.
  public static func permutationTest(
    yi: [Double], vi: [Double], design: DesignMatrix, method: TauSquaredMethod, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, control: FitControl = .tight,
    options: PermutationTestOptions = PermutationTestOptions()
  ) throws(MetaAnalysisError) -> PermutationTestResult {
    let observed = try fit(
      yi: yi, vi: vi, design: design, method: method, test: test, level: level, control: control, computeR2: false)
    let k = yi.count, p = design.columns
    let zObs = observed.coefficients.map(\.statistic)
    let qmObs = observed.qm
    let intOnly = p == 1

    // Exact enumeration size.
    var exactCount = Double.infinity
    var groups = [Int]()
    if intOnly {
      exactCount = Double.pow(2, Double(k))
    } else {
      // identical rows share a group id
      var reps = [[Double]]()
      for i in 0..<k {
        let row = Array(design.values[(i * p)..<((i + 1) * p)])
        if let g = reps.firstIndex(of: row) { groups.append(g) } else { reps.append(row); groups.append(reps.count - 1) }
      }
      var counts = [Int](repeating: 0, count: reps.count)
      for g in groups { counts[g] += 1 }
      // multinomial coefficient k!/Π nᵍ!
      var logCount = 0.0
      for i in 1...max(k, 1) { logCount += Double.log(Double(i)) }
      for c in counts where c > 1 { for i in 1...c { logCount -= Double.log(Double(i)) } }
      exactCount = (Double.exp(logCount)).rounded()
    }
    let exact = options.exact || exactCount <= Double(options.iterations)
    if exact, exactCount > 1e7 {
      throw .invalidSetting(name: "exact", value: "\(exactCount) permutations", expected: "at most 10⁷ for an exact test")
    }
    guard exact || options.iterations <= ResamplingLimits.permutations else {
      throw .invalidSetting(name: "iterations", value: "\(options.iterations)", expected: ResamplingLimits.expected(ResamplingLimits.permutations))
    }
    let iterations = exact ? Int(exactCount) : options.iterations
    guard iterations >= 2 else { throw .invalidSetting(name: "iterations", value: "\(iterations)", expected: "at least 2") }

    // Exact permutations of the row groups, in lexicographic order.
    var permutations = [Int32]()
    if exact, !intOnly {
      var current = groups.sorted()
      permutations.reserveCapacity(iterations * k)
      repeat { permutations.append(contentsOf: current.map { Int32($0) }) } while nextPermutation(&current)
    }
    var representative = [Int](repeating: 0, count: groups.count > 0 ? (groups.max()! + 1) : 0)
    for (i, g) in groups.enumerated().reversed() { representative[g] = i }

    var zPerm = [Double](repeating: .nan, count: iterations * p)
    var qmPerm = [Double](repeating: .nan, count: iterations)
    let chunkSize = 64
    let chunks = (iterations + chunkSize - 1) / chunkSize
    let xValues = design.values
    let seed = options.seed
    let usesT = test.usesT
    let m = p > 1 ? p - 1 : 1
    zPerm.withUnsafeMutableBufferPointer { zb in
      qmPerm.withUnsafeMutableBufferPointer { qb in
        let out = UncheckedSendable((zb, qb))
        forEachChunk(chunks, threads: options.threads) { c in
          let (zb, qb) = out.value
          let ws = RegressionWorkspace(p: p, capacity: k)
          ws.k = k
          var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(c))
          var x = xValues
          var y = yi
          var order = Array(0..<k)
          for it in (c * chunkSize)..<min((c + 1) * chunkSize, iterations) {
            var attempts = 0
            while true {
              attempts += 1
              // Build the permuted data.
              if intOnly {
                if exact {
                  for i in 0..<k { y[i] = (it >> i) & 1 == 1 ? -yi[i] : yi[i] }
                } else if it == 0 {
                  for i in 0..<k { y[i] = yi[i] }
                } else {
                  var bits: UInt64 = 0
                  for i in 0..<k {
                    if i % 64 == 0 { bits = rng.next() }
                    y[i] = bits & 1 == 1 ? -yi[i] : yi[i]
                    bits >>= 1
                  }
                }
              } else {
                if exact {
                  for i in 0..<k {
                    let src = representative[Int(permutations[it * k + i])]
                    for j in 0..<p { x[i * p + j] = xValues[src * p + j] }
                  }
                } else {
                  for i in 0..<k { order[i] = i }
                  if it != 0 {
                    var i = k - 1
                    while i > 0 {
                      let j = rng.nextIndex(below: i + 1)
                      order.swapAt(i, j)
                      i -= 1
                    }
                  }
                  for i in 0..<k {
                    let src = order[i]
                    for j in 0..<p { x[i * p + j] = xValues[src * p + j] }
                  }
                }
              }
              let core: RegressionCore? = x.withUnsafeBufferPointer { xb in
                y.withUnsafeBufferPointer { yb in
                  vi.withUnsafeBufferPointer { vb in
                    ws.fitCore(x: xb.baseAddress!, y: yb.baseAddress!, v: vb.baseAddress!, method: method, test: test, control: control)
                  }
                }
              }
              if let core, core.tau2.converged {
                for j in 0..<p {
                  zb[it * p + j] = ws.beta[j] / (core.scale * ws.a[j * p + j]).squareRoot()
                }
                qb[it] = usesT ? core.qmChi / Double(m) : core.qmChi
                break
              }
              if exact || it == 0 || attempts >= 100 { break }
            }
          }
        }
      }
    }
    let tol = options.tolerance
    var pValues = [Double]()
    for j in 0..<p {
      var hits = 0, n = 0
      for it in 0..<iterations {
        let z = zPerm[it * p + j]
        if z.isNaN { continue }
        n += 1
        if abs(z) >= abs(zObs[j]) - tol { hits += 1 }
      }
      pValues.append(n > 0 ? min(1, Double(hits) / Double(n)) : .nan)
    }
    var hits = 0, n = 0
    for q in qmPerm where !q.isNaN {
      n += 1
      if q >= qmObs - tol { hits += 1 }
    }
    let failed = qmPerm.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
    return PermutationTestResult(
      exact: exact, iterations: iterations, failed: failed, pValues: pValues,
      qmPValue: n > 0 ? Double(hits) / Double(n) : .nan)
  }
}

/// Rearranges `a` into the next lexicographically greater permutation; false after the last.
func nextPermutation(_ a: inout [Int]) -> Bool {
  guard a.count > 1 else { return false }
  var i = a.count - 2
  while i >= 0, a[i] >= a[i + 1] { i -= 1 }
  if i < 0 { return false }
  var j = a.count - 1
  while a[j] <= a[i] { j -= 1 }
  a.swapAt(i, j)
  a[(i + 1)...].reverse()
  return true
}
