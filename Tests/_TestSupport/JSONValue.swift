// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Loads a JSON file from `Fixtures/` as Foundation objects.
public func loadFixtureJSON(_ relative: String) throws -> Any {
  let data = try fixtureData(relative)
  return try JSONSerialization.jsonObject(with: data)
}

/// A number from a JSON value: NSNumber → Double, null/missing → NaN (metafor's NA).
public func number(_ value: Any?) -> Double {
  if let n = value as? NSNumber { return n.doubleValue }
  return .nan
}

/// An array of numbers (nulls → NaN).
public func numbers(_ value: Any?) -> [Double] {
  (value as? [Any])?.map { number($0) } ?? []
}
