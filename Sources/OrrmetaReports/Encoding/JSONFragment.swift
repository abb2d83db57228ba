// SPDX-License-Identifier: GPL-3.0-or-later

/// A value already written as compact JSON by ``JSONOutput``, written again as those bytes where
/// a value of it appears in a later encoding: a batch's summary row is encoded once for its
/// `summary.jsonl` line and spliced into its `manifest.jsonl` record, instead of encoded twice.
///
/// Only ``JSONOutput`` writes one (its encoder recognises the type, as it does a `String`);
/// another encoder gets an error from ``encode(to:)``. The text is compact, so a fragment inside
/// pretty output keeps its own single-line layout.
package struct JSONFragment: Encodable, Sendable {
  /// The compact JSON text of one value, without a line feed.
  package let text: String

  /// `value` as compact JSON text (``JSONOutput``'s bytes without the final line feed).
  /// - Throws: ``JSONOutputError`` as ``JSONOutput/bytes(_:pretty:)``.
  package init(encoding value: some Encodable) throws(JSONOutputError) {
    let bytes = try JSONOutput.bytes(value, pretty: false)
    text = String(decoding: bytes.dropLast(), as: UTF8.self)
  }

  package func encode(to encoder: any Encoder) throws {
    throw EncodingError.invalidValue(
      text, .init(codingPath: encoder.codingPath, debugDescription: "a JSONFragment is written by JSONOutput only"))
  }
}
