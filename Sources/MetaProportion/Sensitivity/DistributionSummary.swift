// SPDX-License-Identifier: GPL-3.0-or-later

/// Summary statistics of a sample of values (GOSH, bootstrap and permutation distributions).
///
/// Quantiles are R's default `quantile(type = 7)`: with h = 1 + (n − 1)·p, lo = ⌊h⌋, hi = ⌈h⌉,
/// ```
/// Q(p) = (1 − (h − lo))·x₍lo₎ + (h − lo)·x₍hi₎
/// ```
/// where x₍i₎ is the i-th smallest value. NaN values (failed fits) are left out and counted in
/// ``missing``.
public struct DistributionSummary: Sendable, Hashable {
  /// Number of non-NaN values.
  public var count: Int
  /// Number of NaN values left out.
  public var missing: Int
  /// Arithmetic mean.
  public var mean: Double
  /// Sample standard deviation (n − 1 denominator); NaN for fewer than 2 values.
  public var standardDeviation: Double
  /// Smallest value.
  public var min: Double
  /// 2.5 % quantile.
  public var q025: Double
  /// 25 % quantile.
  public var q25: Double
  /// Median.
  public var median: Double
  /// 75 % quantile.
  public var q75: Double
  /// 97.5 % quantile.
  public var q975: Double
  /// Largest value.
  public var max: Double

  /// The probabilities reported (min and max are the 0 and 1 quantiles).
  public static let probabilities: [Double] = [0, 0.025, 0.25, 0.5, 0.75, 0.975, 1]

  /// Summarises `values` (the input is not modified; one copy is made).
  public init(_ values: [Double]) {
    var data = values.filter { !$0.isNaN }
    missing = values.count - data.count
    count = data.count
    guard !data.isEmpty else {
      mean = .nan; standardDeviation = .nan
      min = .nan; q025 = .nan; q25 = .nan; median = .nan; q75 = .nan; q975 = .nan; max = .nan
      return
    }
    var sum = 0.0
    for x in data { sum += x }
    let m = sum / Double(data.count)
    var ss = 0.0
    for x in data { ss += (x - m) * (x - m) }
    mean = m
    standardDeviation = data.count > 1 ? (ss / Double(data.count - 1)).squareRoot() : .nan
    let q = quantilesType7(&data, probabilities: Self.probabilities)
    min = q[0]; q025 = q[1]; q25 = q[2]; median = q[3]; q75 = q[4]; q975 = q[5]; max = q[6]
  }
}

/// R's type-7 quantiles of `data` (no NaN) at increasing `probabilities`, by selection
/// (expected O(n) per quantile); `data` is reordered.
func quantilesType7(_ data: inout [Double], probabilities: [Double]) -> [Double] {
  let n = data.count
  precondition(n > 0)
  var out = [Double]()
  out.reserveCapacity(probabilities.count)
  data.withUnsafeMutableBufferPointer { x in
    var lowerBound = 0
    for p in probabilities {
      let index = Double(n - 1) * p  // 0-based h − 1
      let lo = Int(index.rounded(.down))
      let hi = Swift.min(Int(index.rounded(.up)), n - 1)
      select(x, lo, from: lowerBound)
      let xlo = x[lo]
      var value = xlo
      if hi > lo {
        select(x, hi, from: lo + 1)
        let xhi = x[hi]
        let h = index - Double(lo)
        if xhi != xlo { value = (1 - h) * xlo + h * xhi }
      }
      lowerBound = lo
      out.append(value)
    }
  }
  return out
}

/// Places the (k+1)-th smallest element of x[from...] at x[k], smaller ones before it and larger
/// ones after it (quickselect with median-of-three pivots).
private func select(_ x: UnsafeMutableBufferPointer<Double>, _ k: Int, from: Int) {
  var left = from
  var right = x.count - 1
  while right > left {
    if right - left < 16 {
      // insertion sort of the small range
      var i = left + 1
      while i <= right {
        let v = x[i]
        var j = i - 1
        while j >= left, x[j] > v { x[j + 1] = x[j]; j -= 1 }
        x[j + 1] = v
        i += 1
      }
      return
    }
    let mid = left + (right - left) / 2
    if x[mid] < x[left] { x.swapAt(mid, left) }
    if x[right] < x[left] { x.swapAt(right, left) }
    if x[right] < x[mid] { x.swapAt(right, mid) }
    let pivot = x[mid]
    var i = left, j = right
    while i <= j {
      while x[i] < pivot { i += 1 }
      while x[j] > pivot { j -= 1 }
      if i <= j {
        x.swapAt(i, j)
        i += 1
        j -= 1
      }
    }
    if k <= j {
      right = j
    } else if k >= i {
      left = i
    } else {
      return
    }
  }
}
