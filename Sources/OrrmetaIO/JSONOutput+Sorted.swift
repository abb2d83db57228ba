// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

extension JSONOutput {
  /// Encodes a value as pretty UTF-8 JSON with keys sorted alphabetically at every level and a
  /// final newline, so that the same input gives byte-identical output from run to run.
  ///
  /// ``encode(_:pretty:)`` keeps the encoder's own key order, which on Linux (swift-corelibs
  /// Foundation) follows a per-process hash seed and changes from run to run. The `pfs`, `check`
  /// and `reproduce` commands use this variant.
  public static func encodeSorted<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let data = try encoder.encode(value)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
