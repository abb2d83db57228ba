// SPDX-License-Identifier: GPL-3.0-or-later

/// An error from a probability distribution: a bad parameter or argument, caught in Swift before
/// GSL is called, or a numerical failure that GSL signalled by returning NaN.
public enum DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A distribution parameter (degrees of freedom, shape, size…) outside its domain.
  case invalidParameter(distribution: String, name: String, value: Double, expected: String)
  /// A function argument (probability, quantile, count) outside its domain.
  case invalidArgument(function: String, name: String, value: Double, expected: String)
  /// GSL returned NaN (domain error or failure to converge) although the inputs were valid.
  case numericalFailure(function: String, detail: String)

  public var description: String {
    switch self {
    case let .invalidParameter(distribution, name, value, expected):
      return "\(distribution): parameter \(name) = \(value) is invalid; expected \(expected)"
    case let .invalidArgument(function, name, value, expected):
      return "\(function): argument \(name) = \(value) is invalid; expected \(expected)"
    case let .numericalFailure(function, detail):
      return "\(function) failed numerically: \(detail)"
    }
  }
}

// MARK: - Internal checks (inputs are validated in Swift, never by GSL)

@inline(__always)
func requireProbability(_ p: Double, function: @autoclosure () -> String) throws(DistributionError) {
  guard p >= 0, p <= 1 else {  // also rejects NaN
    throw .invalidArgument(function: function(), name: "p", value: p, expected: "a probability in [0, 1]")
  }
}

@inline(__always)
func requireNotNaN(_ x: Double, function: @autoclosure () -> String) throws(DistributionError) {
  guard !x.isNaN else {
    throw .invalidArgument(function: function(), name: "x", value: x, expected: "a number (not NaN)")
  }
}

@inline(__always)
func requirePositiveFinite(_ v: Double, name: String, distribution: String) throws(DistributionError) {
  guard v > 0, v.isFinite else {
    throw .invalidParameter(
      distribution: distribution, name: name, value: v, expected: "a finite number > 0")
  }
}
