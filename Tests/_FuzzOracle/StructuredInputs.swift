// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaCLI
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// The fuzz target's other two inputs, chosen by the first line of the bytes:
///
/// - `#orrmeta-spec` — the rest is a batch spec (TOML), read as `orrmeta batch --spec` reads it
///   (``BatchSpecResolver``): TOMLKit's parser, then every key through its command's flags. It
///   must give analyses or a ``BatchSpecError`` naming the file, on one line under a kilobyte.
/// - `#orrmeta-manifest` — the rest is a batch `manifest.jsonl`, read as `--resume` and `merge`
///   read it: a malformed line is an ``InputError`` naming the file and the line; every record is
///   then put through merge's path check (``BatchMerge/checkResultPath(_:line:shard:)``), and a
///   result path it accepts must stay inside `results/` (no `..`, `.` or empty component, not
///   absolute).
///
/// Anything else is a cohort CSV (``FuzzOracle/violations(for:)``).
extension FuzzOracle {
  static let specTag = Array("#orrmeta-spec\n".utf8)
  static let manifestTag = Array("#orrmeta-manifest\n".utf8)

  /// The broken invariants of a spec or manifest input; nil when the input is neither.
  static func structuredViolations(for data: Data) -> [String]? {
    let bytes = [UInt8](data)
    if bytes.starts(with: specTag) { return specViolations(Data(bytes[specTag.count...])) }
    if bytes.starts(with: manifestTag) { return manifestViolations(Data(bytes[manifestTag.count...])) }
    return nil
  }

  static let specFile = "fuzz.toml"
  static let manifestFile = "fuzz-manifest.jsonl"

  static func specViolations(_ data: Data) -> [String] {
    var out: [String] = []
    guard let text = String(data: data, encoding: .utf8) else { return out }  // `read` refuses it first
    do {
      let analyses = try BatchSpecResolver.analyses(text: text, file: specFile)
      if analyses.isEmpty { out.append("a spec without analyses was accepted") }
      if Set(analyses.map { $0.name.lowercased() }).count != analyses.count { out.append("analysis names equal ignoring case were accepted") }
      for a in analyses where a.name.contains("/") || a.name.hasPrefix(".") { out.append("analysis name '\(a.name)' can leave results/") }
    } catch {
      message(error.description, file: specFile, into: &out)
    }
    return out
  }

  static func manifestViolations(_ data: Data) -> [String] {
    var out: [String] = []
    let records: [BatchRecord]
    do {
      records = try BatchSummary.parseManifest(data, path: manifestFile)
    } catch {
      message(error.description, file: manifestFile, into: &out)
      return out
    }
    for (i, r) in records.enumerated() {
      do {
        try BatchMerge.checkResultPath(r, line: i + 1, shard: "shard")
      } catch {
        message(error.description, file: "shard", into: &out)
        continue
      }
      guard let result = r.result else { continue }
      let parts = result.split(separator: "/", omittingEmptySubsequences: false)
      if result.hasPrefix("/") || parts.first != "results" || parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
        out.append("merge accepted the result path '\(result.prefix(200))', which leaves results/")
      }
    }
    return out
  }

  /// An error message must name its file and stay one line under a kilobyte.
  static func message(_ text: String, file: String, into out: inout [String]) {
    if !text.hasPrefix(file) { out.append("message does not start with the file name: \(text.prefix(200))") }
    if text.utf8.count >= 1000 { out.append("message of \(text.utf8.count) bytes: \(text.prefix(200))") }
    if text.contains("\n") { out.append("message spans lines: \(text.prefix(200))") }
  }
}
