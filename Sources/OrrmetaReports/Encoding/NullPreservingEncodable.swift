// SPDX-License-Identifier: GPL-3.0-or-later

/// An `Encodable` whose `nil` properties are written as JSON `null` instead of being left out
/// (the synthesised conformance uses `encodeIfPresent`), so that every documented key of the
/// JSON contract is always present. Properties are encoded under their Swift names, in order.
public protocol NullPreservingEncodable: Encodable {}

extension NullPreservingEncodable {
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: PropertyKey.self)
    for child in Mirror(reflecting: self).children {
      guard let label = child.label, let value = child.value as? any Encodable else { continue }
      try container.encode(value, forKey: PropertyKey(stringValue: label))
    }
  }
}

/// A coding key made from a property name.
public struct PropertyKey: CodingKey {
  public var stringValue: String
  public var intValue: Int? { nil }
  public init(stringValue: String) { self.stringValue = stringValue }
  public init?(intValue: Int) { nil }
}
