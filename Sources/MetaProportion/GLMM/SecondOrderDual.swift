// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// A number carrying its gradient and Hessian with respect to three parameters: forward-mode
/// automatic differentiation to second order. The three-level Laplace likelihood uses it at the
/// trial level only (a few dozen operations per trial), where the chain rule through the
/// implicit trial mode would otherwise be written out by hand for nine second derivatives.
///
/// Hand-written (no automatic-differentiation package in the offline list): the few operations
/// needed, each with its second-order rule.
struct SecondOrderDual {
  var value: Double
  var gradient: SIMD3<Double>
  /// Rows of the (symmetric) Hessian.
  var h0: SIMD3<Double>
  var h1: SIMD3<Double>
  var h2: SIMD3<Double>

  @inline(__always)
  init(_ value: Double, gradient: SIMD3<Double> = .zero, h0: SIMD3<Double> = .zero, h1: SIMD3<Double> = .zero, h2: SIMD3<Double> = .zero) {
    self.value = value
    self.gradient = gradient
    self.h0 = h0
    self.h1 = h1
    self.h2 = h2
  }

  /// The parameter number `index` (0, 1 or 2) at `value`.
  static func variable(_ value: Double, index: Int) -> SecondOrderDual {
    var g = SIMD3<Double>.zero
    g[index] = 1
    return SecondOrderDual(value, gradient: g)
  }

  /// f(x) from f, f′ and f″ at x's value.
  @inline(__always)
  func applying(_ f: Double, _ f1: Double, _ f2: Double) -> SecondOrderDual {
    let g = gradient
    return SecondOrderDual(
      f, gradient: f1 * g, h0: f1 * h0 + (f2 * g[0]) * g, h1: f1 * h1 + (f2 * g[1]) * g, h2: f1 * h2 + (f2 * g[2]) * g)
  }

  @inline(__always)
  static func + (a: SecondOrderDual, b: SecondOrderDual) -> SecondOrderDual {
    SecondOrderDual(a.value + b.value, gradient: a.gradient + b.gradient, h0: a.h0 + b.h0, h1: a.h1 + b.h1, h2: a.h2 + b.h2)
  }

  @inline(__always)
  static func - (a: SecondOrderDual, b: SecondOrderDual) -> SecondOrderDual {
    SecondOrderDual(a.value - b.value, gradient: a.gradient - b.gradient, h0: a.h0 - b.h0, h1: a.h1 - b.h1, h2: a.h2 - b.h2)
  }

  @inline(__always)
  static func + (a: SecondOrderDual, b: Double) -> SecondOrderDual {
    var r = a
    r.value += b
    return r
  }

  @inline(__always)
  static func * (a: Double, b: SecondOrderDual) -> SecondOrderDual {
    SecondOrderDual(a * b.value, gradient: a * b.gradient, h0: a * b.h0, h1: a * b.h1, h2: a * b.h2)
  }

  @inline(__always)
  static func * (a: SecondOrderDual, b: SecondOrderDual) -> SecondOrderDual {
    let ga = a.gradient, gb = b.gradient
    return SecondOrderDual(
      a.value * b.value, gradient: a.value * gb + b.value * ga,
      h0: a.value * b.h0 + b.value * a.h0 + ga[0] * gb + gb[0] * ga,
      h1: a.value * b.h1 + b.value * a.h1 + ga[1] * gb + gb[1] * ga,
      h2: a.value * b.h2 + b.value * a.h2 + ga[2] * gb + gb[2] * ga)
  }

  /// log x.
  @inline(__always)
  func log() -> SecondOrderDual {
    let r = 1 / value
    return applying(Double.log(value), r, -r * r)
  }
}
