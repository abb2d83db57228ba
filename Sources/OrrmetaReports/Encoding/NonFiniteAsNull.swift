// SPDX-License-Identifier: GPL-3.0-or-later

/// Encodes a value with every non-finite `Double` or `Float` (NaN, ±∞) written as `null`, at any
/// depth.
///
/// The result types of the statistics module (`LeaveOneOutRow`, `InfluenceRow`,
/// `TrimAndFillResult`, `MetaRegressionFit`, …) are `Encodable` with the documented snake_case
/// keys and keep NaN for "not available" (metafor's NA). Wrapping a report in this type reuses
/// those conformances unchanged and gives the JSON contract's nulls, the same rule as
/// ``finite(_:)`` applies to the ``PoolReport`` blocks.
package struct NonFiniteAsNull<Wrapped: Encodable>: Encodable {
  /// The value to encode.
  package let wrapped: Wrapped

  /// Wraps a value.
  package init(_ wrapped: Wrapped) { self.wrapped = wrapped }

  package func encode(to encoder: any Encoder) throws {
    try wrapped.encode(to: NullingEncoder(base: encoder))
  }
}

/// An encoder that forwards to `base` and turns non-finite floating-point values into nil.
struct NullingEncoder: Encoder {
  let base: any Encoder
  var codingPath: [any CodingKey] { base.codingPath }
  var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    KeyedEncodingContainer(NullingKeyedContainer(base: base.container(keyedBy: type)))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    NullingUnkeyedContainer(base: base.unkeyedContainer())
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    NullingSingleValueContainer(base: base.singleValueContainer())
  }
}

struct NullingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  var base: KeyedEncodingContainer<Key>
  var codingPath: [any CodingKey] { base.codingPath }

  mutating func encodeNil(forKey key: Key) throws { try base.encodeNil(forKey: key) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: String, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: Double, forKey key: Key) throws {
    if value.isFinite { try base.encode(value, forKey: key) } else { try base.encodeNil(forKey: key) }
  }
  mutating func encode(_ value: Float, forKey key: Key) throws {
    if value.isFinite { try base.encode(value, forKey: key) } else { try base.encodeNil(forKey: key) }
  }
  mutating func encode(_ value: Int, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { try base.encode(value, forKey: key) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    if let d = value as? Double { return try encode(d, forKey: key) }
    if let f = value as? Float { return try encode(f, forKey: key) }
    try base.encode(NonFiniteAsNull(value), forKey: key)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    KeyedEncodingContainer(NullingKeyedContainer<NestedKey>(base: base.nestedContainer(keyedBy: keyType, forKey: key)))
  }
  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    NullingUnkeyedContainer(base: base.nestedUnkeyedContainer(forKey: key))
  }
  mutating func superEncoder() -> any Encoder { NullingEncoder(base: base.superEncoder()) }
  mutating func superEncoder(forKey key: Key) -> any Encoder { NullingEncoder(base: base.superEncoder(forKey: key)) }
}

struct NullingUnkeyedContainer: UnkeyedEncodingContainer {
  var base: any UnkeyedEncodingContainer
  var codingPath: [any CodingKey] { base.codingPath }
  var count: Int { base.count }

  mutating func encodeNil() throws { try base.encodeNil() }
  mutating func encode(_ value: Bool) throws { try base.encode(value) }
  mutating func encode(_ value: String) throws { try base.encode(value) }
  mutating func encode(_ value: Double) throws {
    if value.isFinite { try base.encode(value) } else { try base.encodeNil() }
  }
  mutating func encode(_ value: Float) throws {
    if value.isFinite { try base.encode(value) } else { try base.encodeNil() }
  }
  mutating func encode(_ value: Int) throws { try base.encode(value) }
  mutating func encode(_ value: Int8) throws { try base.encode(value) }
  mutating func encode(_ value: Int16) throws { try base.encode(value) }
  mutating func encode(_ value: Int32) throws { try base.encode(value) }
  mutating func encode(_ value: Int64) throws { try base.encode(value) }
  mutating func encode(_ value: UInt) throws { try base.encode(value) }
  mutating func encode(_ value: UInt8) throws { try base.encode(value) }
  mutating func encode(_ value: UInt16) throws { try base.encode(value) }
  mutating func encode(_ value: UInt32) throws { try base.encode(value) }
  mutating func encode(_ value: UInt64) throws { try base.encode(value) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    if let d = value as? Double { return try encode(d) }
    if let f = value as? Float { return try encode(f) }
    try base.encode(NonFiniteAsNull(value))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    KeyedEncodingContainer(NullingKeyedContainer<NestedKey>(base: base.nestedContainer(keyedBy: keyType)))
  }
  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    NullingUnkeyedContainer(base: base.nestedUnkeyedContainer())
  }
  mutating func superEncoder() -> any Encoder { NullingEncoder(base: base.superEncoder()) }
}

struct NullingSingleValueContainer: SingleValueEncodingContainer {
  var base: any SingleValueEncodingContainer
  var codingPath: [any CodingKey] { base.codingPath }

  mutating func encodeNil() throws { try base.encodeNil() }
  mutating func encode(_ value: Bool) throws { try base.encode(value) }
  mutating func encode(_ value: String) throws { try base.encode(value) }
  mutating func encode(_ value: Double) throws {
    if value.isFinite { try base.encode(value) } else { try base.encodeNil() }
  }
  mutating func encode(_ value: Float) throws {
    if value.isFinite { try base.encode(value) } else { try base.encodeNil() }
  }
  mutating func encode(_ value: Int) throws { try base.encode(value) }
  mutating func encode(_ value: Int8) throws { try base.encode(value) }
  mutating func encode(_ value: Int16) throws { try base.encode(value) }
  mutating func encode(_ value: Int32) throws { try base.encode(value) }
  mutating func encode(_ value: Int64) throws { try base.encode(value) }
  mutating func encode(_ value: UInt) throws { try base.encode(value) }
  mutating func encode(_ value: UInt8) throws { try base.encode(value) }
  mutating func encode(_ value: UInt16) throws { try base.encode(value) }
  mutating func encode(_ value: UInt32) throws { try base.encode(value) }
  mutating func encode(_ value: UInt64) throws { try base.encode(value) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    if let d = value as? Double { return try encode(d) }
    if let f = value as? Float { return try encode(f) }
    try base.encode(NonFiniteAsNull(value))
  }
}
