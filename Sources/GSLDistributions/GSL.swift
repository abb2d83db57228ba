// SPDX-License-Identifier: GPL-3.0-or-later
//
// The single place where orrmeta touches GSL's global state and its C calling conventions.

internal import CGSL

/// Turns GSL's default error handler (print and `abort()`) off, exactly once per process.
///
/// Swift runs a global's initialiser lazily, once and thread-safely, so touching this value
/// before each C call is enough. With the handler off, GSL's CDF functions report a domain
/// error or a failure to converge by returning NaN; ``checked(_:_:)`` turns that into a thrown
/// ``DistributionError``.
let gslErrorHandlerOff: Void = {
  _ = gsl_set_error_handler_off()
}()

/// Calls a GSL function whose failure signal is a NaN (or, where not allowed, infinite) result.
///
/// - Parameters:
///   - function: the GSL function's name, for the error message.
///   - allowInfinite: whether ±∞ is a legitimate result (quantiles at 0 or 1).
///   - body: the call.
/// - Throws: ``DistributionError/numericalFailure(function:detail:)`` when GSL returned NaN.
@inline(__always)
func checked(
  _ function: String, allowInfinite: Bool = false, _ body: () -> Double
) throws(DistributionError) -> Double {
  _ = gslErrorHandlerOff
  let value = body()
  if value.isNaN || (!allowInfinite && value.isInfinite) {
    throw .numericalFailure(function: function, detail: "GSL returned \(value)")
  }
  return value
}

/// GSL takes counts as `unsigned int`; converts a Swift `Int` without wrapping.
func gslCount(_ value: Int, name: String, distribution: String) throws(DistributionError) -> UInt32 {
  guard let v = UInt32(exactly: value) else {
    throw .invalidParameter(
      distribution: distribution, name: name, value: Double(value),
      expected: "an integer from 0 to \(UInt32.max)")
  }
  return v
}
