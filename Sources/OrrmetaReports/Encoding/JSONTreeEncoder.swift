// SPDX-License-Identifier: GPL-3.0-or-later

/// A JSON value as built by ``JSONTreeEncoder``: the tree that ``JSONTextWriter`` writes.
///
/// Objects and arrays are reference boxes so that a container handed out by the encoder can be
/// filled after it was linked into its parent (as the `Encoder` protocol requires).
enum JSONNode {
  case null
  case bool(Bool)
  case double(Double)
  case float(Float)
  case int(Int64)
  case uint(UInt64)
  case string(String)
  case array(JSONArrayBox)
  case object(JSONObjectBox)
}

final class JSONArrayBox {
  var elements: [JSONNode] = []
}

final class JSONObjectBox {
  var keys: [String] = []
  var values: [JSONNode] = []

  /// Sets a key (a key encoded twice keeps its last value, as Foundation's encoder does).
  func set(_ key: String, _ value: JSONNode) {
    if let i = keys.lastIndex(of: key) { values[i] = value; return }
    keys.append(key)
    values.append(value)
  }
}

/// The `Encoder` of ``JSONOutput``: builds a ``JSONNode`` tree from any `Encodable`.
///
/// The policy lives here and nowhere else: `encodeIfPresent` of `nil` writes `null` inside a
/// ``NullPreservingEncodable`` value (absent is null) and leaves the key out elsewhere; a
/// non-finite `Double`/`Float` inside a ``NotAvailableAsNull`` value (at any depth) is written as
/// `null`, and anywhere else is an error (a NaN that leaked past the report's own rules).
/// Written by hand rather than reusing Foundation's `JSONEncoder` (see ``JSONOutput``).
final class JSONTreeEncoder: Encoder {
  /// The node this encoder's value produced (nil until something is encoded).
  var node: JSONNode?
  /// Whether a `nil` given to `encodeIfPresent` is written as `null` (a ``NullPreservingEncodable``).
  let absentIsNull: Bool
  /// Whether a non-finite number is `null` (inside a ``NotAvailableAsNull``) rather than an error.
  let nonFiniteIsNull: Bool
  private let parent: JSONTreeEncoder?
  private let key: (any CodingKey)?

  init(parent: JSONTreeEncoder?, key: (any CodingKey)?, absentIsNull: Bool, nonFiniteIsNull: Bool? = nil) {
    self.parent = parent
    self.key = key
    self.absentIsNull = absentIsNull
    self.nonFiniteIsNull = nonFiniteIsNull ?? parent?.nonFiniteIsNull ?? false
  }

  /// A number, or the error of a non-finite one outside a ``NotAvailableAsNull``.
  func number(_ value: Double, key: (any CodingKey)?) throws -> JSONNode {
    if value.isFinite || nonFiniteIsNull { return .double(value) }
    throw JSONOutputError.nonFiniteNumber(path: (codingPath + (key.map { [$0] } ?? [])).map(\.stringValue).joined(separator: "."))
  }

  /// A number, or the error of a non-finite one outside a ``NotAvailableAsNull``.
  func number(_ value: Float, key: (any CodingKey)?) throws -> JSONNode {
    if value.isFinite || nonFiniteIsNull { return .float(value) }
    throw JSONOutputError.nonFiniteNumber(path: (codingPath + (key.map { [$0] } ?? [])).map(\.stringValue).joined(separator: "."))
  }

  var codingPath: [any CodingKey] {
    var path: [any CodingKey] = []
    var e: JSONTreeEncoder? = self
    while let current = e, let k = current.key { path.append(k); e = current.parent }
    return path.reversed()
  }

  var userInfo: [CodingUserInfoKey: Any] { [:] }

  /// Encodes a value to its tree.
  static func encode<T: Encodable>(_ value: T) throws(JSONOutputError) -> JSONNode {
    do {
      return try node(of: value, parent: nil, key: nil)
    } catch let e as JSONOutputError {
      throw e
    } catch let e as EncodingError {
      if case .invalidValue(_, let context) = e {
        throw .encodingFailed(path: context.codingPath.map(\.stringValue).joined(separator: "."), reason: context.debugDescription)
      }
      throw .encodingFailed(path: "", reason: String(describing: e))
    } catch {
      throw .encodingFailed(path: "", reason: String(describing: error))
    }
  }

  /// The node of a value: scalars directly, anything else through its `encode(to:)`.
  static func node<T: Encodable>(of value: T, parent: JSONTreeEncoder?, key: (any CodingKey)?) throws -> JSONNode {
    let numbers = parent ?? JSONTreeEncoder(parent: nil, key: nil, absentIsNull: false)
    switch value {
    case let v as Double: return try numbers.number(v, key: key)
    case let v as String: return .string(v)
    case let v as Int: return .int(Int64(v))
    case let v as Bool: return .bool(v)
    case let v as Float: return try numbers.number(v, key: key)
    case let v as Int64: return .int(v)
    case let v as Int32: return .int(Int64(v))
    case let v as UInt: return .uint(UInt64(v))
    case let v as UInt64: return .uint(v)
    default:
      let child = JSONTreeEncoder(
        parent: parent, key: key, absentIsNull: value is any NullPreservingEncodable,
        nonFiniteIsNull: value is any NotAvailableAsNull ? true : nil)
      try value.encode(to: child)
      guard let node = child.node else {
        // Foundation writes `{}` for a value that encodes nothing; such a value is a bug here.
        throw EncodingError.invalidValue(
          value, .init(codingPath: child.codingPath, debugDescription: "\(T.self) encoded no value"))
      }
      return node
    }
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    let box: JSONObjectBox
    if case .object(let existing)? = node {
      box = existing
    } else {
      box = JSONObjectBox()
      node = .object(box)
    }
    return KeyedEncodingContainer(JSONKeyedContainer<Key>(box: box, encoder: self))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    let box: JSONArrayBox
    if case .array(let existing)? = node {
      box = existing
    } else {
      box = JSONArrayBox()
      node = .array(box)
    }
    return JSONUnkeyedContainer(box: box, encoder: self)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValueContainer(encoder: self) }
}

/// An array index as a coding key (for coding paths in errors).
private struct JSONIndexKey: CodingKey {
  var intValue: Int?
  var stringValue: String { "\(intValue ?? 0)" }
  init(intValue: Int) { self.intValue = intValue }
  init?(stringValue: String) { nil }
}

/// The key `super`, for `superEncoder()`.
private struct JSONSuperKey: CodingKey {
  var stringValue: String { "super" }
  var intValue: Int? { nil }
  init() {}
  init?(stringValue: String) { nil }
  init?(intValue: Int) { nil }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let box: JSONObjectBox
  let encoder: JSONTreeEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  private func set(_ node: JSONNode, _ key: Key) { box.set(key.stringValue, node) }
  /// A `nil` given to `encodeIfPresent`: `null` in a ``NullPreservingEncodable``, else left out.
  private func absent(_ key: Key) { if encoder.absentIsNull { box.set(key.stringValue, .null) } }

  mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
  mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
  mutating func encode(_ value: Double, forKey key: Key) throws { set(try encoder.number(value, key: key), key) }
  mutating func encode(_ value: Float, forKey key: Key) throws { set(try encoder.number(value, key: key), key) }
  mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(Int64(value)), key) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int64(value)), key) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int64(value)), key) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int64(value)), key) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(value), key) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { set(.uint(UInt64(value)), key) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.uint(UInt64(value)), key) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.uint(UInt64(value)), key) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.uint(UInt64(value)), key) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.uint(value), key) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    set(try JSONTreeEncoder.node(of: value, parent: encoder, key: key), key)
  }

  // Absent is null: the synthesised conformances call these for optional properties.
  mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { set(.bool(value), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { set(.string(value), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { set(try encoder.number(value, key: key), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { set(try encoder.number(value, key: key), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { set(.int(Int64(value)), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { if let value { set(.int(Int64(value)), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { if let value { set(.int(Int64(value)), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { if let value { set(.int(Int64(value)), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { set(.int(value), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { if let value { set(.uint(UInt64(value)), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { if let value { set(.uint(UInt64(value)), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { if let value { set(.uint(UInt64(value)), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { if let value { set(.uint(UInt64(value)), key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { if let value { set(.uint(value), key) } else { absent(key) } }
  mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
    guard let value else { return absent(key) }
    try encode(value, forKey: key)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
    let child = JSONTreeEncoder(parent: encoder, key: key, absentIsNull: encoder.absentIsNull)
    let container = child.container(keyedBy: keyType)
    set(child.node!, key)
    return container
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let child = JSONTreeEncoder(parent: encoder, key: key, absentIsNull: encoder.absentIsNull)
    let container = child.unkeyedContainer()
    set(child.node!, key)
    return container
  }

  mutating func superEncoder() -> any Encoder { JSONReferencingEncoder(parent: encoder, key: JSONSuperKey()) { [box] in box.set("super", $0) } }
  mutating func superEncoder(forKey key: Key) -> any Encoder {
    JSONReferencingEncoder(parent: encoder, key: key) { [box] in box.set(key.stringValue, $0) }
  }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
  let box: JSONArrayBox
  let encoder: JSONTreeEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }
  var count: Int { box.elements.count }

  private func append(_ node: JSONNode) { box.elements.append(node) }

  mutating func encodeNil() throws { append(.null) }
  mutating func encode(_ value: Bool) throws { append(.bool(value)) }
  mutating func encode(_ value: String) throws { append(.string(value)) }
  mutating func encode(_ value: Double) throws { append(try encoder.number(value, key: JSONIndexKey(intValue: count))) }
  mutating func encode(_ value: Float) throws { append(try encoder.number(value, key: JSONIndexKey(intValue: count))) }
  mutating func encode(_ value: Int) throws { append(.int(Int64(value))) }
  mutating func encode(_ value: Int8) throws { append(.int(Int64(value))) }
  mutating func encode(_ value: Int16) throws { append(.int(Int64(value))) }
  mutating func encode(_ value: Int32) throws { append(.int(Int64(value))) }
  mutating func encode(_ value: Int64) throws { append(.int(value)) }
  mutating func encode(_ value: UInt) throws { append(.uint(UInt64(value))) }
  mutating func encode(_ value: UInt8) throws { append(.uint(UInt64(value))) }
  mutating func encode(_ value: UInt16) throws { append(.uint(UInt64(value))) }
  mutating func encode(_ value: UInt32) throws { append(.uint(UInt64(value))) }
  mutating func encode(_ value: UInt64) throws { append(.uint(value)) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    append(try JSONTreeEncoder.node(of: value, parent: encoder, key: JSONIndexKey(intValue: count)))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let child = JSONTreeEncoder(parent: encoder, key: JSONIndexKey(intValue: count), absentIsNull: encoder.absentIsNull)
    let container = child.container(keyedBy: keyType)
    append(child.node!)
    return container
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let child = JSONTreeEncoder(parent: encoder, key: JSONIndexKey(intValue: count), absentIsNull: encoder.absentIsNull)
    let container = child.unkeyedContainer()
    append(child.node!)
    return container
  }

  mutating func superEncoder() -> any Encoder {
    let index = count
    append(.null)
    return JSONReferencingEncoder(parent: encoder, key: JSONIndexKey(intValue: index)) { [box] in box.elements[index] = $0 }
  }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
  let encoder: JSONTreeEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  mutating func encodeNil() throws { encoder.node = .null }
  mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
  mutating func encode(_ value: String) throws { encoder.node = .string(value) }
  mutating func encode(_ value: Double) throws { encoder.node = try encoder.number(value, key: nil) }
  mutating func encode(_ value: Float) throws { encoder.node = try encoder.number(value, key: nil) }
  mutating func encode(_ value: Int) throws { encoder.node = .int(Int64(value)) }
  mutating func encode(_ value: Int8) throws { encoder.node = .int(Int64(value)) }
  mutating func encode(_ value: Int16) throws { encoder.node = .int(Int64(value)) }
  mutating func encode(_ value: Int32) throws { encoder.node = .int(Int64(value)) }
  mutating func encode(_ value: Int64) throws { encoder.node = .int(value) }
  mutating func encode(_ value: UInt) throws { encoder.node = .uint(UInt64(value)) }
  mutating func encode(_ value: UInt8) throws { encoder.node = .uint(UInt64(value)) }
  mutating func encode(_ value: UInt16) throws { encoder.node = .uint(UInt64(value)) }
  mutating func encode(_ value: UInt32) throws { encoder.node = .uint(UInt64(value)) }
  mutating func encode(_ value: UInt64) throws { encoder.node = .uint(value) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    encoder.node = try JSONTreeEncoder.node(of: value, parent: encoder, key: nil)
  }
}

/// The encoder of `superEncoder()`: stores its value into the parent when it is deinitialised.
private final class JSONReferencingEncoder: Encoder {
  let inner: JSONTreeEncoder
  let store: (JSONNode) -> Void

  init(parent: JSONTreeEncoder, key: any CodingKey, store: @escaping (JSONNode) -> Void) {
    inner = JSONTreeEncoder(parent: parent, key: key, absentIsNull: parent.absentIsNull)
    self.store = store
  }

  deinit { store(inner.node ?? .object(JSONObjectBox())) }

  var codingPath: [any CodingKey] { inner.codingPath }
  var userInfo: [CodingUserInfoKey: Any] { [:] }
  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { inner.container(keyedBy: type) }
  func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
  func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}
