// SPDX-License-Identifier: GPL-3.0-or-later

import CSV
import Foundation
import OrrmetaIO

/// Renders the files of a batch output directory from its records, and reads the manifest back.
///
/// Every rendering is a function of the records alone, sorted by file then analysis, so the
/// bytes do not depend on the thread count, on sharding or on which items were reused.
package enum BatchSummary {
  /// The columns of `errors.csv`.
  package static let errorColumns = ["file", "analysis", "line", "column", "message"]

  /// `summary.csv` (written with CSV.swift; RFC 4180 quoting where needed, LF line ends).
  package static func csv(_ records: [BatchRecord]) throws -> String {
    try writeCSV(header: BatchRow.columns, rows: sorted(records).map(\.row.csvFields))
  }

  /// `summary.jsonl`: one compact JSON object per line, keys in column order, every key present
  /// (`null` where the CSV has `NA` or nothing).
  ///
  /// Written by hand rather than with `JSONEncoder`, whose key order on Linux changes from one
  /// process to the next: these bytes must not.
  package static func jsonLines(_ records: [BatchRecord]) throws -> String {
    var out = ""
    for r in sorted(records) { out += jsonLine(r.row) }
    return out
  }

  /// One row as a JSON object on one line (with the final newline).
  static func jsonLine(_ row: BatchRow) -> String {
    func num(_ x: Double?) -> String { x.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
    func int(_ x: Int?) -> String { x.map(String.init) ?? "null" }
    let fields: [(String, String)] = [
      ("file", jsonString(row.file)), ("analysis", jsonString(row.analysis)), ("status", jsonString(row.status)),
      ("measure", row.measure.map(jsonString) ?? "null"), ("method", row.method.map(jsonString) ?? "null"),
      ("test", row.test.map(jsonString) ?? "null"), ("k", int(row.k)), ("n_total", int(row.n_total)), ("events_total", int(row.events_total)),
      ("proportion", num(row.proportion)), ("ci_lower", num(row.ci_lower)), ("ci_upper", num(row.ci_upper)),
      ("pi_lower", num(row.pi_lower)), ("pi_upper", num(row.pi_upper)), ("tau2", num(row.tau2)), ("i2", num(row.i2)),
      ("q_p_value", num(row.q_p_value)), ("subgroups", row.subgroups.map(jsonString) ?? "null"),
      ("subgroup_q", num(row.subgroup_q)), ("subgroup_q_p_value", num(row.subgroup_q_p_value)),
      ("egger_p_value", num(row.egger_p_value)), ("trimfill_k0", int(row.trimfill_k0)),
      ("trimfill_proportion", num(row.trimfill_proportion)), ("trimfill_ci_lower", num(row.trimfill_ci_lower)),
      ("trimfill_ci_upper", num(row.trimfill_ci_upper)), ("bootstrap_ci_lower", num(row.bootstrap_ci_lower)),
      ("bootstrap_ci_upper", num(row.bootstrap_ci_upper)), ("warnings", "[" + row.warnings.map(jsonString).joined(separator: ",") + "]"),
      ("error", row.error.map(jsonString) ?? "null"),
    ]
    return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}\n"
  }

  /// A JSON string literal (RFC 8259 escapes; non-ASCII kept as UTF-8).
  static func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where u.value < 0x20 || u.value == 0x7F:
        out += String(format: "\\u%04x", u.value)
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  /// Compact JSON with sorted keys: the same bytes in every process.
  static func stableJSON<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }

  /// `errors.csv`: the failed pairs with the error's line and column where it has them. One
  /// error shared by several analyses of a file (a file that cannot be read or parsed) is one
  /// row: `analysis` is `*` when every analysis of the file failed with it, else the analyses
  /// joined by `;`.
  package static func errorsCSV(_ records: [BatchRecord]) throws -> String {
    let ordered = sorted(records)
    var analysesOfFile: [String: Int] = [:]
    for r in ordered { analysesOfFile[r.file, default: 0] += 1 }
    var rows: [[String]] = []
    var index: [[String]: Int] = [:]
    var names: [[String]] = []
    for r in ordered {
      guard let f = r.failure else { continue }
      let key = [r.file, f.line.map(String.init) ?? "", f.column ?? "", f.message]
      if let i = index[key] {
        names[i].append(r.analysis)
      } else {
        index[key] = rows.count
        rows.append(key)
        names.append([r.analysis])
      }
    }
    let out = rows.indices.map { i -> [String] in
      let row = rows[i]
      let analysis = names[i].count > 1 && names[i].count == analysesOfFile[row[0]] ? "*" : names[i].joined(separator: ";")
      return [row[0], analysis, row[1], row[2], row[3]]
    }
    return try writeCSV(header: errorColumns, rows: out)
  }

  /// `manifest.jsonl`: one ``BatchRecord`` per line (keys sorted).
  package static func manifest(_ records: [BatchRecord]) throws -> String {
    var out = ""
    for r in sorted(records) { out += try stableJSON(r, pretty: false) }
    return out
  }

  /// Reads `manifest.jsonl`.
  /// - Throws: ``InputError/malformed(file:line:reason:)`` naming the line that is not a record.
  package static func readManifest(path: String) throws(InputError) -> [BatchRecord] {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw .unreadable(file: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or I/O error" : "no such file")
    }
    return try parseManifest(data, path: path)
  }

  /// Parses manifest bytes (one ``BatchRecord`` per line); `path` is used in messages.
  package static func parseManifest(_ data: Data, path: String) throws(InputError) -> [BatchRecord] {
    let decoder = JSONDecoder()
    var records: [BatchRecord] = []
    var number = 0
    for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      number += 1
      if line.isEmpty { continue }
      do {
        records.append(try decoder.decode(BatchRecord.self, from: Data(line)))
      } catch {
        throw .malformed(file: path, line: number, reason: "not a batch manifest record (\(InputError.shorten(String(describing: error)))); was the file edited or cut short?")
      }
    }
    return records
  }

  static func sorted(_ records: [BatchRecord]) -> [BatchRecord] { records.sorted(by: BatchRecord.precedes) }

  static func writeCSV(header: [String], rows: [[String]]) throws -> String {
    let stream = OutputStream(toMemory: ())
    let csv = try SafeCSVWriter(stream: stream)
    try csv.write(row: header)
    for row in rows { try csv.write(row: row) }
    csv.stream.close()
    guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return "" }
    var text = String(decoding: data, as: UTF8.self)
    if !text.hasSuffix("\n") { text += "\n" }
    return text
  }
}
