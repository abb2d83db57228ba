// SPDX-License-Identifier: GPL-3.0-or-later

/// A report type whose `nil` properties are written as JSON `null` instead of being left out,
/// so that every documented key of its JSON contract is always present.
///
/// A marker read by ``JSONOutput``'s encoder, the one place of the null rule: the synthesised
/// conformance calls `encodeIfPresent` for an optional property, which writes `null` inside a
/// value of a conforming type and leaves the key out elsewhere (Swift's meaning of "if
/// present", kept by the statistics module's results and the reports that document optional
/// keys). No reflection: keys are the coding keys of the type.
package protocol NullPreservingEncodable: Encodable {
  /// The type as a ``JSONMembersEncodable`` (nil for the others): given by the two extensions
  /// below, never by a conforming type. Read from the one cast to this protocol that the encoder
  /// makes per type anyway; a cast to ``JSONMembersEncodable`` of every type met would scan the
  /// binary's conformance records once more per type (3.5 million instructions at the start of
  /// `orrmeta pool --format json`).
  static var jsonMembersType: (any JSONMembersEncodable.Type)? { get }
}

extension NullPreservingEncodable {
  package static var jsonMembersType: (any JSONMembersEncodable.Type)? { nil }
}

extension NullPreservingEncodable where Self: JSONMembersEncodable {
  package static var jsonMembersType: (any JSONMembersEncodable.Type)? { Self.self }
}
