// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Maps data values linearly onto pixels (an axis).
struct LinearScale: Sendable {
  /// The data interval.
  var domain: ClosedRange<Double>
  /// The pixel interval (`range.lowerBound` is where `domain.lowerBound` is drawn; may be
  /// reversed by ``reversed``).
  var range: ClosedRange<Double>
  /// Draws the domain's lower bound at the range's upper bound (y axes, funnel SE axis).
  var reversed: Bool = false

  /// The pixel position of a value (extrapolates outside the domain).
  func callAsFunction(_ x: Double) -> Double {
    let span = domain.upperBound - domain.lowerBound
    let t = span > 0 ? (x - domain.lowerBound) / span : 0.5
    let u = reversed ? 1 - t : t
    return range.lowerBound + u * (range.upperBound - range.lowerBound)
  }

  /// The pixel position of a value clamped to the domain.
  func clamped(_ x: Double) -> Double { self(min(max(x, domain.lowerBound), domain.upperBound)) }

  /// Round tick values covering the domain (1, 2, 2.5 or 5 × 10ⁿ steps), at most `maxCount`.
  func ticks(maxCount: Int = 8) -> [Double] {
    let step = NiceNumbers.step(span: domain.upperBound - domain.lowerBound, maxCount: maxCount)
    guard step > 0, step.isFinite else { return [domain.lowerBound] }
    // k · step, rounded to the step's decimals (so 3 × 0.2 is 0.6, not 0.6000000000000001).
    let decimals = max(0, Int(-log10(step).rounded(.down)) + 2)
    let unit = pow(10, Double(decimals))
    var out: [Double] = []
    var k = (domain.lowerBound / step).rounded(.up)
    let end = domain.upperBound + step * 1e-9
    while k * step <= end, out.count < 1000 {
      let t = (k * step * unit).rounded() / unit
      out.append(t == 0 ? 0 : t)
      k += 1
    }
    return out
  }
}

/// Round numbers for axes.
enum NiceNumbers {
  /// The smallest step of the form {1, 2, 2.5, 5} × 10ⁿ that covers `span` in at most
  /// `maxCount` intervals.
  static func step(span: Double, maxCount: Int) -> Double {
    guard span > 0, span.isFinite, maxCount > 0 else { return 1 }
    let raw = span / Double(maxCount)
    var magnitude = 1.0
    while magnitude * 10 <= raw { magnitude *= 10 }
    while magnitude > raw { magnitude /= 10 }
    for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= raw { return m * magnitude }
    return 10 * magnitude
  }

  /// The domain extended outwards to multiples of a nice step.
  static func extend(_ lo: Double, _ hi: Double, maxCount: Int = 8) -> ClosedRange<Double> {
    var lo = lo, hi = hi
    if !(lo.isFinite && hi.isFinite) { return 0...1 }
    if lo == hi { lo -= 0.5 * max(abs(lo), 1); hi += 0.5 * max(abs(hi), 1) }
    if lo > hi { swap(&lo, &hi) }
    let step = self.step(span: hi - lo, maxCount: maxCount)
    return ((lo / step).rounded(.down) * step)...((hi / step).rounded(.up) * step)
  }
}
