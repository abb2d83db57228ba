// SPDX-License-Identifier: GPL-3.0-or-later

/// Relative/absolute closeness, as numpy's `isclose`: |a − b| ≤ atol + rtol·|b|.
/// NaN equals NaN (an NA in the reference must be an NA here too); infinities must match.
public func isClose(_ actual: Double, _ expected: Double, rtol: Double, atol: Double = 0) -> Bool {
  if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
  if actual.isInfinite || expected.isInfinite { return actual == expected }
  return abs(actual - expected) <= atol + rtol * abs(expected)
}

/// A message for a failed closeness check, or nil when close.
public func closenessFailure(
  _ what: String, _ actual: Double, _ expected: Double, rtol: Double, atol: Double = 0
) -> String? {
  if isClose(actual, expected, rtol: rtol, atol: atol) { return nil }
  let rel = expected == 0 ? Double.infinity : abs(actual - expected) / abs(expected)
  return "\(what): got \(actual), expected \(expected) (abs diff \(abs(actual - expected)), rel \(rel); rtol \(rtol), atol \(atol))"
}
