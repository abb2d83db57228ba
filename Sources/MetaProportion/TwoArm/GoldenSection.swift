// SPDX-License-Identifier: GPL-3.0-or-later

/// The maximiser of a unimodal function on [lo, hi] by golden-section search, to a relative
/// width of 10⁻¹⁰ (at most 200 steps). Hand-written: the two-arm GLMMs need only bounded
/// one-dimensional searches, which no available library offers without a dependency.
func goldenSectionMaximum(_ lo: Double, _ hi: Double, _ f: (Double) -> Double) -> Double {
  let g = (5.0.squareRoot() - 1) / 2
  var a = lo, b = hi
  var c = b - g * (b - a), d = a + g * (b - a)
  var fc = f(c), fd = f(d)
  for _ in 0..<200 where b - a > 1e-10 * (1 + abs(a) + abs(b)) {
    if fc > fd { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c) }
    else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d) }
  }
  return (a + b) / 2
}
