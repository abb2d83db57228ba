// SPDX-License-Identifier: GPL-3.0-or-later

/// A report block with a group of keys that several blocks share (an ``IntervalEstimate``, a
/// ``PoolReport/Pooled``): one JSON object with `block`'s keys and the group's, each in its own
/// coding. The properties of both read and write through (`row.k` is `row.block.k`,
/// `row.proportion` is `row.group.proportion`).
///
/// The group is encoded flat: `encode(to:)` gives it the block's encoder, so its keys land in the
/// block's object — the same JSON as if the block listed them itself. An absent key of either
/// follows the block's null rule (`null` in a ``NullPreservingEncodable``, left out elsewhere).
///
/// `Encodable` and `Sendable` are conditional conformances rather than requirements on the
/// parameters: a generic type with requirements looks up each parameter's conformance when its
/// metadata is first made, a scan of all the binary's conformance records, which every report
/// with such a block paid at every start-up (Docs/performance.md, "Start-up").
@dynamicMemberLookup
package struct WithGroup<Block, Group> {
  package var block: Block
  package var group: Group

  package init(_ block: Block, group: Group) {
    self.block = block; self.group = group
  }

  package subscript<T>(dynamicMember key: WritableKeyPath<Block, T>) -> T {
    get { block[keyPath: key] }
    set { block[keyPath: key] = newValue }
  }

  package subscript<T>(dynamicMember key: WritableKeyPath<Group, T>) -> T {
    get { group[keyPath: key] }
    set { group[keyPath: key] = newValue }
  }

}

extension WithGroup: Encodable where Block: Encodable, Group: Encodable {
  /// Both into the one object this encoder writes (the writer orders an object's keys).
  package func encode(to encoder: any Encoder) throws {
    try block.encode(to: encoder)
    try group.encode(to: encoder)
  }
}

extension WithGroup: Sendable where Block: Sendable, Group: Sendable {}

/// Where the block writes an absent key as `null`, so does its group (one object, one rule).
extension WithGroup: NullPreservingEncodable where Block: NullPreservingEncodable, Group: Encodable {}
