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

/// The `name` of a fixture record, for the arguments of a parameterised test. A record without
/// a name gets a name no record has, so the test of that argument fails where it looks the
/// record up (`try #require(datasets.first { ... })`) instead of crashing the test process.
public func fixtureName(_ record: [String: Any]) -> String {
  record["name"] as? String ?? "(record without a name)"
}
