// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// A JSON value as built by ``JSONTreeEncoder``: one node of the flat tree that
/// ``JSONTextWriter`` writes.
///
/// Every node of one encoding lives in one array (``JSONTree/nodes``) and refers to others by
/// index, so a value costs no class box per object or array: a container handed out by the
/// encoder is an index and can be filled after it was linked into its parent (as the `Encoder`
/// protocol requires). Children form a singly linked list in the order they were encoded.
struct JSONNode {
  enum Kind: UInt8 {
    /// Linked in, not encoded yet: an error when a value's `encode(to:)` leaves it so; written
    /// as `{}` for a `superEncoder()` nobody used (as Foundation).
    case pending
    case null, bool, double, float, int, uint, string, array, object
    /// A ``JSONFragment``: its text (an index into ``JSONTree/strings``) written as it is.
    case fragment
  }

  var kind: Kind
  /// The member's key (an index into ``JSONTree/keys``) in an object; the element's position
  /// in an array; -1 for the root.
  var key: Int32
  /// The container holding this node; -1 for the root.
  var parent: Int32
  /// The next sibling; -1 for the last.
  var next: Int32 = -1
  /// Containers: the last child (-1 when empty).
  var last: Int32 = -1
  /// Containers: the number of children (array positions).
  var count: Int32 = 0
  /// Scalars: the bits (`Bool`, `Int64`, `UInt64`, `Double`, `Float`), a string's index into
  /// ``JSONTree/strings``; containers: the first child (-1 when empty).
  var payload: UInt64 = 0
}

/// The nodes and strings of one encoding, and what encodings learn about keys and types.
///
/// Used by one encoding on one thread at a time, never shared while in use, so its arrays go
/// without the run-time exclusivity checks (each access to a class's stored property otherwise
/// records itself in a thread-local access set: 5 % of a batch's CPU time with the checks).
/// Between encodings a tree waits in ``pool``: the next encoding on any thread starts with the
/// arrays' capacity, the keys (``JSONKeys``) and the types' traits of the previous ones, instead
/// of building them again for every file of a batch and every line of its summaries.
final class JSONTree: @unchecked Sendable {
  @exclusivity(unchecked) var nodes: [JSONNode] = []
  /// String values, referred to by index.
  @exclusivity(unchecked) var strings: [String] = []
  /// The members' keys, each distinct key once.
  @exclusivity(unchecked) var keys = JSONKeys()
  /// Per value type seen: whether it is a ``NullPreservingEncodable``, a ``NotAvailableAsNull``
  /// and a ``JSONMembersEncodable`` (dynamic casts per nested value were 2 % of a batch's
  /// instructions).
  @exclusivity(unchecked) private var traits: [ObjectIdentifier: JSONTypeTraits] = [:]

  init() {
    nodes.reserveCapacity(256)
    strings.reserveCapacity(64)
    nodes.append(JSONNode(kind: .pending, key: -1, parent: -1))
  }

  /// Empties the tree for the next encoding (the root only), keeping its keys and traits; a
  /// tree that grew beyond the bounds of ``pool`` starts over (memory kept stays bounded).
  func reset() {
    if nodes.capacity > JSONTree.keptNodes {
      nodes = []
      nodes.reserveCapacity(256)
    } else {
      nodes.removeAll(keepingCapacity: true)
    }
    if strings.capacity > JSONTree.keptNodes { strings = [] } else { strings.removeAll(keepingCapacity: true) }
    if keys.names.count > JSONTree.keptKeys { keys = JSONKeys() }
    nodes.append(JSONNode(kind: .pending, key: -1, parent: -1))
  }

  /// The most nodes (and string values) whose room a pooled tree keeps, and the most keys.
  static let keptNodes = 1 << 16, keptKeys = 4096
  /// The largest output buffer a tree keeps for its next write.
  static let keptBytes = 1 << 22

  /// The output buffer of ``JSONTextWriter``, kept between writes.
  private var sink: JSONByteSink?

  deinit { sink?.release() }

  /// The kept output buffer, emptied (a new one of `capacity` bytes the first time).
  func takeSink(capacity: Int) -> JSONByteSink {
    var taken = sink ?? JSONByteSink(capacity: capacity)
    sink = nil
    taken.removeAll()
    return taken
  }

  /// Keeps `used` for the next write (freed instead when it grew beyond ``keptBytes``).
  func keepSink(_ used: JSONByteSink) {
    if used.bufferSize > JSONTree.keptBytes { used.release() } else { sink = used }
  }

  /// `body` with an empty tree: one from the pool, returned to it after (at most 16 wait there;
  /// a lock held for a pop or a push).
  static func withPooled<R, E: Error>(_ body: (JSONTree) throws(E) -> R) throws(E) -> R {
    let tree = pool.take()
    defer {
      tree.reset()
      pool.give(tree)
    }
    return try body(tree)
  }

  private static let pool = Pool()

  private final class Pool: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [JSONTree] = []

    func take() -> JSONTree {
      lock.lock()
      defer { lock.unlock() }
      return waiting.popLast() ?? JSONTree()
    }

    func give(_ tree: JSONTree) {
      lock.lock()
      defer { lock.unlock() }
      if waiting.count < 16 { waiting.append(tree) }
    }
  }

  func string(_ s: String) -> UInt64 {
    strings.append(s)
    return UInt64(strings.count - 1)
  }

  /// What values of `type` are to ``JSONTreeEncoder`` (learned once per type).
  func traits(of type: any Encodable.Type) -> JSONTypeTraits {
    let id = ObjectIdentifier(type)
    if let known = traits[id] { return known }
    let preserving = type as? any NullPreservingEncodable.Type
    let found = JSONTypeTraits(
      absentIsNull: preserving != nil, notAvailableAsNull: type is any NotAvailableAsNull.Type, members: preserving?.jsonMembersType)
    traits[id] = found
    return found
  }

  /// Appends a child to the container `parent` (keyed by `key`: an index into ``keys``;
  /// nil for an array element) and returns its index.
  func append(_ kind: JSONNode.Kind, payload: UInt64 = 0, to parent: Int32, key: Int32? = nil) -> Int32 {
    // A container used after its node became the other kind would misread positions as keys.
    precondition(
      nodes[Int(parent)].kind == (key == nil ? .array : .object),
      "JSON encoding: a keyed and an unkeyed container were used for the same value")
    let index = Int32(nodes.count)
    let position = nodes[Int(parent)].count
    nodes.append(JSONNode(kind: kind, key: key ?? position, parent: parent, payload: payload))
    let last = nodes[Int(parent)].last
    if last < 0 { nodes[Int(parent)].payload = UInt64(UInt32(bitPattern: index)) } else { nodes[Int(last)].next = index }
    nodes[Int(parent)].last = index
    nodes[Int(parent)].count = position + 1
    return index
  }

  /// Appends a member to the object `parent`.
  func append(_ kind: JSONNode.Kind, payload: UInt64 = 0, to parent: Int32, key: String) -> Int32 {
    append(kind, payload: payload, to: parent, key: keys.index(of: key))
  }

  /// Makes `node` a container of `kind` (kept when it already is one).
  func makeContainer(_ node: Int32, _ kind: JSONNode.Kind) {
    guard nodes[Int(node)].kind != kind else { return }
    nodes[Int(node)].kind = kind
    nodes[Int(node)].payload = UInt64(UInt32(bitPattern: -1))
    nodes[Int(node)].last = -1
    nodes[Int(node)].count = 0
  }

  /// Sets the scalar value of `node`.
  func set(_ node: Int32, _ kind: JSONNode.Kind, payload: UInt64 = 0) {
    nodes[Int(node)].kind = kind
    nodes[Int(node)].payload = payload
    nodes[Int(node)].last = -1
    nodes[Int(node)].count = 0
  }


  /// The coding path of `node` (for errors only).
  func codingPath(_ node: Int32) -> [any CodingKey] {
    var path: [any CodingKey] = []
    var n = node
    while n >= 0, nodes[Int(n)].parent >= 0 {
      let parent = nodes[Int(n)].parent
      if nodes[Int(parent)].kind == .array {
        path.append(JSONIndexKey(intValue: Int(nodes[Int(n)].key)))
      } else {
        path.append(JSONNameKey(keys.names[Int(nodes[Int(n)].key)]))
      }
      n = parent
    }
    return path.reversed()
  }
}

/// What a value type is to ``JSONTreeEncoder``.
struct JSONTypeTraits {
  /// A ``NullPreservingEncodable``: an absent optional is `null`.
  var absentIsNull: Bool
  /// A ``NotAvailableAsNull``: a non-finite number inside is `null`.
  var notAvailableAsNull: Bool
  /// The type as a ``JSONMembersEncodable`` (nil when it is not one).
  var members: (any JSONMembersEncodable.Type)?
}

/// What decides how a value's nulls and non-finite numbers are written.
struct JSONRules {
  /// Whether a `nil` given to `encodeIfPresent` is written as `null` (a ``NullPreservingEncodable``).
  var absentIsNull: Bool
  /// Whether a non-finite number is `null` (inside a ``NotAvailableAsNull``) rather than an error.
  var nonFiniteIsNull: Bool

  /// A number's payload, or the error of a non-finite one outside a ``NotAvailableAsNull``.
  /// (`key` is made only for the error: a key boxed as `any CodingKey` for every number was
  /// half the cost of writing one into the tree.)
  func number(_ value: Double, tree: JSONTree, node: Int32, key: @autoclosure () -> (any CodingKey)?) throws -> UInt64 {
    if value.isFinite || nonFiniteIsNull { return value.bitPattern }
    throw JSONOutputError.nonFiniteNumber(path: Self.path(tree: tree, node: node, key: key()))
  }

  /// A number's payload, or the error of a non-finite one outside a ``NotAvailableAsNull``.
  func number(_ value: Float, tree: JSONTree, node: Int32, key: @autoclosure () -> (any CodingKey)?) throws -> UInt64 {
    if value.isFinite || nonFiniteIsNull { return UInt64(value.bitPattern) }
    throw JSONOutputError.nonFiniteNumber(path: Self.path(tree: tree, node: node, key: key()))
  }

  static func path(tree: JSONTree, node: Int32, key: (any CodingKey)?) -> String {
    (tree.codingPath(node) + (key.map { [$0] } ?? [])).map(\.stringValue).joined(separator: ".")
  }
}

/// The `Encoder` of ``JSONOutput``: builds a ``JSONTree`` from any `Encodable`.
///
/// The policy lives here and nowhere else: `encodeIfPresent` of `nil` writes `null` inside a
/// ``NullPreservingEncodable`` value (absent is null) and leaves the key out elsewhere; a
/// non-finite `Double`/`Float` inside a ``NotAvailableAsNull`` value (at any depth) is written as
/// `null`, and anywhere else is an error (a NaN that leaked past the report's own rules).
/// Written by hand rather than reusing Foundation's `JSONEncoder` (see ``JSONOutput``).
///
/// One encoder serves a whole value: before a nested value's `encode(to:)` it points ``node``
/// and ``rules`` at that value and restores them after; containers keep their own node and
/// rules. Scalars are recognised by their type (a pointer comparison, no dynamic cast).
final class JSONTreeEncoder: Encoder {
  let tree: JSONTree
  /// The node the value being encoded fills (one thread, as ``JSONTree``).
  @exclusivity(unchecked) var node: Int32
  /// The rules of the value being encoded.
  @exclusivity(unchecked) var rules: JSONRules

  init(tree: JSONTree, node: Int32, rules: JSONRules) {
    self.tree = tree
    self.node = node
    self.rules = rules
  }

  var codingPath: [any CodingKey] { tree.codingPath(node) }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  /// Encodes a value to its tree (its root is node 0).
  /// `tree`: an empty tree (``JSONTree/reset()``).
  static func encode<T: Encodable>(_ value: T, into tree: JSONTree) throws(JSONOutputError) {
    let encoder = JSONTreeEncoder(tree: tree, node: 0, rules: JSONRules(absentIsNull: false, nonFiniteIsNull: false))
    do {
      try encoder.encode(value, into: 0, rules: encoder.rules)
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

  /// Encodes `value` into `slot` (a node already linked into its parent): scalars directly,
  /// anything else through its `encode(to:)` with this encoder pointed at the slot.
  /// `rules`: those of the container holding the slot.
  func encode<T: Encodable>(_ value: T, into slot: Int32, rules: JSONRules) throws {
    if T.self == Double.self {
      tree.set(slot, .double, payload: try rules.number(unsafeBitCast(value, to: Double.self), tree: tree, node: slot, key: nil))
    } else if T.self == String.self {
      tree.set(slot, .string, payload: tree.string(unsafeBitCast(value, to: String.self)))
    } else if T.self == JSONFragment.self {
      tree.set(slot, .fragment, payload: tree.string(unsafeBitCast(value, to: JSONFragment.self).text))
    } else if T.self == Int.self {
      tree.set(slot, .int, payload: UInt64(bitPattern: Int64(unsafeBitCast(value, to: Int.self))))
    } else if T.self == Bool.self {
      tree.set(slot, .bool, payload: unsafeBitCast(value, to: Bool.self) ? 1 : 0)
    } else if T.self == Float.self {
      tree.set(slot, .float, payload: try rules.number(unsafeBitCast(value, to: Float.self), tree: tree, node: slot, key: nil))
    } else if T.self == Int64.self {
      tree.set(slot, .int, payload: UInt64(bitPattern: unsafeBitCast(value, to: Int64.self)))
    } else if T.self == Int32.self {
      tree.set(slot, .int, payload: UInt64(bitPattern: Int64(unsafeBitCast(value, to: Int32.self))))
    } else if T.self == UInt.self {
      tree.set(slot, .uint, payload: UInt64(unsafeBitCast(value, to: UInt.self)))
    } else if T.self == UInt64.self {
      tree.set(slot, .uint, payload: unsafeBitCast(value, to: UInt64.self))
    } else {
      let saved = (node, self.rules)
      node = slot
      // The value's own type decides (an `Optional` is decided at its wrapped value's level,
      // which its `encode(to:)` reaches through this function again).
      let traits = tree.traits(of: type(of: value))
      self.rules = JSONRules(absentIsNull: traits.absentIsNull, nonFiniteIsNull: rules.nonFiniteIsNull || traits.notAvailableAsNull)
      defer { (node, self.rules) = saved }
      if let direct = traits.members, direct == T.self {
        try encodeMembers(value, as: direct, into: slot)
      } else {
        try value.encode(to: self)
      }
      if tree.nodes[Int(slot)].kind == .pending {
        // Foundation writes `{}` for a value that encodes nothing; such a value is a bug here.
        throw EncodingError.invalidValue(
          value, .init(codingPath: tree.codingPath(slot), debugDescription: "\(T.self) encoded no value"))
      }
    }
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    tree.makeContainer(node, .object)
    return KeyedEncodingContainer(JSONKeyedContainer<Key>(encoder: self, node: node, rules: rules))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    tree.makeContainer(node, .array)
    return JSONUnkeyedContainer(encoder: self, node: node, rules: rules)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValueContainer(encoder: self, node: node, rules: rules) }
}

/// An array index as a coding key (for coding paths in errors).
struct JSONIndexKey: CodingKey {
  var intValue: Int?
  var stringValue: String { "\(intValue ?? 0)" }
  init(intValue: Int) { self.intValue = intValue }
  init?(stringValue: String) { nil }
}

/// A member's name as a coding key (for coding paths in errors).
struct JSONNameKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let encoder: JSONTreeEncoder
  /// The object's members, written with the rules its values share with a
  /// ``JSONMembersEncodable`` row's.
  let object: JSONObjectMembers<Key>
  var node: Int32 { object.node }
  var rules: JSONRules { object.rules }
  var codingPath: [any CodingKey] { encoder.tree.codingPath(node) }

  init(encoder: JSONTreeEncoder, node: Int32, rules: JSONRules) {
    self.encoder = encoder
    object = JSONObjectMembers(tree: encoder.tree, node: node, rules: rules)
  }

  private func set(_ kind: JSONNode.Kind, _ payload: UInt64 = 0, _ key: Key) { object.append(kind, payload, key) }
  private func double(_ value: Double, _ key: Key) throws { try object.number(value, key) }
  private func float(_ value: Float, _ key: Key) throws { try object.number(value, key) }
  private func int<I: BinaryInteger>(_ value: I, _ key: Key) { set(.int, UInt64(bitPattern: Int64(value)), key) }
  private func uint<I: BinaryInteger>(_ value: I, _ key: Key) { set(.uint, UInt64(value), key) }
  /// A `nil` given to `encodeIfPresent`: `null` in a ``NullPreservingEncodable``, else left out.
  private func absent(_ key: Key) { object.absent(key) }

  mutating func encodeNil(forKey key: Key) throws { set(.null, 0, key) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool, value ? 1 : 0, key) }
  mutating func encode(_ value: String, forKey key: Key) throws { set(.string, encoder.tree.string(value), key) }
  mutating func encode(_ value: Double, forKey key: Key) throws { try double(value, key) }
  mutating func encode(_ value: Float, forKey key: Key) throws { try float(value, key) }
  mutating func encode(_ value: Int, forKey key: Key) throws { int(value, key) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { int(value, key) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { int(value, key) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { int(value, key) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { int(value, key) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { uint(value, key) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { uint(value, key) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { uint(value, key) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { uint(value, key) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { uint(value, key) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try encoder.encode(value, into: encoder.tree.append(.pending, to: node, key: key.stringValue), rules: rules)
  }

  // Absent is null: the synthesised conformances call these for optional properties.
  mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { try double(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { try float(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { int(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { if let value { int(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { if let value { int(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { if let value { int(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { int(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { if let value { uint(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { if let value { uint(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { if let value { uint(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { if let value { uint(value, key) } else { absent(key) } }
  mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { if let value { uint(value, key) } else { absent(key) } }
  mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
    guard let value else { return absent(key) }
    try encode(value, forKey: key)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
    let child = encoder.tree.append(.pending, to: node, key: key.stringValue)
    encoder.tree.makeContainer(child, .object)
    return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(encoder: encoder, node: child, rules: rules))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let child = encoder.tree.append(.pending, to: node, key: key.stringValue)
    encoder.tree.makeContainer(child, .array)
    return JSONUnkeyedContainer(encoder: encoder, node: child, rules: rules)
  }

  mutating func superEncoder() -> any Encoder {
    JSONTreeEncoder(tree: encoder.tree, node: encoder.tree.append(.pending, to: node, key: "super"), rules: rules)
  }
  mutating func superEncoder(forKey key: Key) -> any Encoder {
    JSONTreeEncoder(tree: encoder.tree, node: encoder.tree.append(.pending, to: node, key: key.stringValue), rules: rules)
  }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer, JSONIntegerForwarding {
  let encoder: JSONTreeEncoder
  let node: Int32
  let rules: JSONRules
  var codingPath: [any CodingKey] { encoder.tree.codingPath(node) }
  var count: Int { Int(encoder.tree.nodes[Int(node)].count) }

  private func append(_ kind: JSONNode.Kind, _ payload: UInt64 = 0) { _ = encoder.tree.append(kind, payload: payload, to: node) }
  func int<I: BinaryInteger>(_ value: I) { append(.int, UInt64(bitPattern: Int64(value))) }
  func uint<I: BinaryInteger>(_ value: I) { append(.uint, UInt64(value)) }

  mutating func encodeNil() throws { append(.null) }
  mutating func encode(_ value: Bool) throws { append(.bool, value ? 1 : 0) }
  mutating func encode(_ value: String) throws { append(.string, encoder.tree.string(value)) }
  mutating func encode(_ value: Double) throws {
    append(.double, try rules.number(value, tree: encoder.tree, node: node, key: JSONIndexKey(intValue: count)))
  }
  mutating func encode(_ value: Float) throws {
    append(.float, try rules.number(value, tree: encoder.tree, node: node, key: JSONIndexKey(intValue: count)))
  }
  mutating func encode<T: Encodable>(_ value: T) throws {
    try encoder.encode(value, into: encoder.tree.append(.pending, to: node), rules: rules)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let child = encoder.tree.append(.pending, to: node)
    encoder.tree.makeContainer(child, .object)
    return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(encoder: encoder, node: child, rules: rules))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let child = encoder.tree.append(.pending, to: node)
    encoder.tree.makeContainer(child, .array)
    return JSONUnkeyedContainer(encoder: encoder, node: child, rules: rules)
  }

  mutating func superEncoder() -> any Encoder {
    JSONTreeEncoder(tree: encoder.tree, node: encoder.tree.append(.pending, to: node), rules: rules)
  }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer, JSONIntegerForwarding {
  let encoder: JSONTreeEncoder
  let node: Int32
  let rules: JSONRules
  var codingPath: [any CodingKey] { encoder.tree.codingPath(node) }

  private func set(_ kind: JSONNode.Kind, _ payload: UInt64 = 0) { encoder.tree.set(node, kind, payload: payload) }
  func int<I: BinaryInteger>(_ value: I) { set(.int, UInt64(bitPattern: Int64(value))) }
  func uint<I: BinaryInteger>(_ value: I) { set(.uint, UInt64(value)) }

  mutating func encodeNil() throws { set(.null) }
  mutating func encode(_ value: Bool) throws { set(.bool, value ? 1 : 0) }
  mutating func encode(_ value: String) throws { set(.string, encoder.tree.string(value)) }
  mutating func encode(_ value: Double) throws { set(.double, try rules.number(value, tree: encoder.tree, node: node, key: nil)) }
  mutating func encode(_ value: Float) throws { set(.float, try rules.number(value, tree: encoder.tree, node: node, key: nil)) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    try encoder.encode(value, into: node, rules: rules)
  }
}

/// The ten integer overloads that `UnkeyedEncodingContainer` and `SingleValueEncodingContainer`
/// require, written once: each forwards to the container's signed or unsigned writer.
protocol JSONIntegerForwarding {
  func int<I: BinaryInteger>(_ value: I)
  func uint<I: BinaryInteger>(_ value: I)
}

extension JSONIntegerForwarding {
  mutating func encode(_ value: Int) throws { int(value) }
  mutating func encode(_ value: Int8) throws { int(value) }
  mutating func encode(_ value: Int16) throws { int(value) }
  mutating func encode(_ value: Int32) throws { int(value) }
  mutating func encode(_ value: Int64) throws { int(value) }
  mutating func encode(_ value: UInt) throws { uint(value) }
  mutating func encode(_ value: UInt8) throws { uint(value) }
  mutating func encode(_ value: UInt16) throws { uint(value) }
  mutating func encode(_ value: UInt32) throws { uint(value) }
  mutating func encode(_ value: UInt64) throws { uint(value) }
}
