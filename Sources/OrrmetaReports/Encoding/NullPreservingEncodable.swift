// SPDX-License-Identifier: GPL-3.0-or-later

/// A report type whose `nil` properties are written as JSON `null` instead of being left out,
/// so that every documented key of its JSON contract is always present.
///
/// A marker read by ``JSONOutput``'s encoder, the one place of the null rule: the synthesised
/// conformance calls `encodeIfPresent` for an optional property, which writes `null` inside a
/// value of a conforming type and leaves the key out elsewhere (Swift's meaning of "if
/// present", kept by the statistics module's results and the reports that document optional
/// keys). No reflection: keys are the coding keys of the type.
package protocol NullPreservingEncodable: Encodable {}
