// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The one JSON encoder configuration used for every output (pretty, keys sorted so output is
/// byte-stable, no escaped slashes). Non-finite numbers never reach it: reports map them to nil.
package enum JSONOutput {
  /// Encodes a value as UTF-8 JSON text with a final newline.
  package static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let data = try encoder.encode(value)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
