// SPDX-License-Identifier: GPL-3.0-or-later

/// A report row that writes its members into ``JSONOutput``'s tree itself, skipping the
/// `Encoder` protocol's machinery: its keyed container is a class box made through generic
/// metadata and every member a protocol call through it, about 7,000 instructions for a
/// 13-member cohort row of a pool result, a tenth of a batch file's CPU time. Only the rows a
/// report repeats per cohort conform (``PoolReport/Study``).
///
/// ``encodeMembers(into:)`` writes exactly the members of the type's `encode(to:)` (which any
/// other encoder still uses), with the same `CodingKeys`: a test compares the two encodings'
/// bytes for every combination of present and absent members. The encoder takes this path for
/// a ``NullPreservingEncodable`` that conforms (``NullPreservingEncodable/jsonMembersType``),
/// like every report row.
package protocol JSONMembersEncodable: Encodable {
  associatedtype MemberKey: CodingKey
  /// Writes the value's members, as its `encode(to:)` does.
  func encodeMembers(into object: inout JSONObjectMembers<MemberKey>) throws
}

/// The members of one JSON object being written, by a ``JSONMembersEncodable`` value or by
/// the encoder's keyed container (which writes through this one): each member is appended to
/// the object's node with ``JSONOutput``'s rules (absent optionals `null` in a
/// ``NullPreservingEncodable``, left out elsewhere; a non-finite number `null` in a
/// ``NotAvailableAsNull``, an error elsewhere).
package struct JSONObjectMembers<Key: CodingKey> {
  let tree: JSONTree
  let node: Int32
  let rules: JSONRules

  func append(_ kind: JSONNode.Kind, _ payload: UInt64, _ key: Key) {
    _ = tree.append(kind, payload: payload, to: node, key: key.stringValue)
  }

  /// A `nil`: `null` in a ``NullPreservingEncodable``, else left out.
  func absent(_ key: Key) { if rules.absentIsNull { append(.null, 0, key) } }

  func number(_ value: Double, _ key: Key) throws { append(.double, try rules.number(value, tree: tree, node: node, key: key), key) }
  func number(_ value: Float, _ key: Key) throws { append(.float, try rules.number(value, tree: tree, node: node, key: key), key) }

  package mutating func encode(_ value: String, forKey key: Key) { append(.string, tree.string(value), key) }
  package mutating func encode(_ value: Int, forKey key: Key) { append(.int, UInt64(bitPattern: Int64(value)), key) }
  package mutating func encode(_ value: Bool, forKey key: Key) { append(.bool, value ? 1 : 0, key) }
  package mutating func encode(_ value: Double, forKey key: Key) throws { try number(value, key) }
  package mutating func encodeIfPresent(_ value: String?, forKey key: Key) {
    if let value { encode(value, forKey: key) } else { absent(key) }
  }
  package mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
    if let value { try number(value, key) } else { absent(key) }
  }
}

extension JSONTreeEncoder {
  /// Fills `slot` with the members of `value`, whose type is `direct`.
  func encodeMembers<T: Encodable, D: JSONMembersEncodable>(_ value: T, as direct: D.Type, into slot: Int32) throws {
    tree.makeContainer(slot, .object)
    var object = JSONObjectMembers<D.MemberKey>(tree: tree, node: slot, rules: rules)
    // `T` is `D` (the caller compared the types): the value is read in place as one.
    try withUnsafePointer(to: value) { pointer in
      try pointer.withMemoryRebound(to: D.self, capacity: 1) { try $0.pointee.encodeMembers(into: &object) }
    }
  }
}
