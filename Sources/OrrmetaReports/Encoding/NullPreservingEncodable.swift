// SPDX-License-Identifier: GPL-3.0-or-later

/// An `Encodable` whose `nil` properties are written as JSON `null` instead of being left out
/// (the synthesised conformance uses `encodeIfPresent`), so that every documented key of the
/// JSON contract is always present. Properties are encoded under their Swift names, in order.
package protocol NullPreservingEncodable: Encodable {}

extension NullPreservingEncodable {
  package func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: PropertyKey.self)
    for child in Mirror(reflecting: self).children {
      guard let label = child.label, let value = child.value as? any Encodable else { continue }
      try container.encode(value, forKey: PropertyKey(stringValue: label))
    }
  }
}

/// A coding key made from a property name.
package struct PropertyKey: CodingKey {
  package var stringValue: String
  package var intValue: Int? { nil }
  package init(stringValue: String) { self.stringValue = stringValue }
  package init?(intValue: Int) { nil }
}
