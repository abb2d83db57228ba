// SPDX-License-Identifier: GPL-3.0-or-later

/// The one JSON encoding policy of every orrmeta output (reports, batch files, resampling parts).
///
/// - Keys are the explicit coding keys of the output types, written in UTF-8 byte order, so the
///   same value gives the same bytes in every process.
/// - Absent is `null`: an optional property that is `nil` is written as `null`, never left out,
///   so every documented key is always present.
/// - Not available is `null`: inside a ``NotAvailableAsNull`` value (the statistics module's
///   results and the reports built on them, whose NaN is metafor's `NA`), NaN and ±∞ are written
///   as `null` at any depth. Anywhere else a non-finite number is a leak past the report's own
///   rules (``PoolReport`` maps them to `nil` with a warning) and an error,
///   ``JSONOutputError/nonFiniteNumber(path:)``. No number is ever written as a string.
/// - Numbers in Swift's shortest round-trip form, a trailing `.0` dropped (`1`, `0.25`,
///   `5.66e-127`), as Foundation's `JSONEncoder` writes them, so outputs kept their bytes.
/// - Strings: `"`, `\` and control characters escaped (`\n`, `\t`, `\u001f`, …), `/` and
///   non-ASCII kept as they are.
///
/// Pretty output indents by two spaces with `"key" : value`; compact output has no spaces.
///
/// Why not Foundation's `JSONEncoder`: walking the report types through it (with reflection for the
/// nulls and a wrapping encoder for the non-finite numbers) was about half of the CPU time of a
/// batch file; this encoder writes the same bytes with no reflection and no per-call set-up (see
/// Docs/performance.md). It is ``JSONTreeEncoder`` (the `Encoder` protocol, building a flat tree
/// in one array, no box per object) and ``JSONTextWriter`` (the bytes).
package enum JSONOutput {
  /// Encodes a value as UTF-8 JSON text with a final newline.
  /// - Throws: ``JSONOutputError`` when the value's own `encode(to:)` throws or encodes nothing.
  package static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws(JSONOutputError) -> String {
    String(decoding: try bytes(value, pretty: pretty), as: UTF8.self)
  }

  /// Encodes a value as UTF-8 JSON bytes with a final newline.
  /// - Throws: ``JSONOutputError`` when the value's own `encode(to:)` throws or encodes nothing.
  package static func bytes<T: Encodable>(_ value: T, pretty: Bool = true) throws(JSONOutputError) -> [UInt8] {
    try JSONTree.withPooled { tree throws(JSONOutputError) in
      try JSONTreeEncoder.encode(value, into: tree)
      return JSONTextWriter.bytes(of: tree, pretty: pretty)
    }
  }
}

/// Why a value could not be written as JSON.
package enum JSONOutputError: Error, CustomStringConvertible, Sendable {
  /// The value's `encode(to:)` threw (`path` is the coding path, keys joined by `.`).
  case encodingFailed(path: String, reason: String)
  /// A NaN or ±∞ outside a ``NotAvailableAsNull`` value.
  case nonFiniteNumber(path: String)

  package var description: String {
    switch self {
    case .encodingFailed(let path, let reason):
      "cannot write JSON" + (path.isEmpty ? "" : " at \(path)") + ": \(reason)"
    case .nonFiniteNumber(let path):
      "cannot write JSON: a number that is not finite at \(path.isEmpty ? "the top level" : path) (a bug: please report it)"
    }
  }
}

/// A value whose non-finite numbers mean "not available" (metafor's `NA`): ``JSONOutput`` writes
/// NaN and ±∞ inside it, at any depth, as `null`. The statistics module's results and the reports
/// built on them (sensitivity, regress, pooled PFS) conform; elsewhere a non-finite number is an
/// error.
package protocol NotAvailableAsNull: Encodable {}

// The reports whose numbers come from the statistics module's results with NaN for NA.
extension SensitivityReport: NotAvailableAsNull {}
extension RegressionReport: NotAvailableAsNull {}
extension PFSPooledReport: NotAvailableAsNull {}
