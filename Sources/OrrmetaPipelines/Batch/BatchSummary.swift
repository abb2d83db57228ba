// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Renders the files of a batch output directory from its records, and reads the manifest back.
///
/// Every rendering is a function of the records alone, sorted by file then analysis, so the
/// bytes do not depend on the thread count, on sharding or on which items were reused.
package enum BatchSummary {
  /// The columns of `errors.csv`.
  package static let errorColumns = ["file", "analysis", "line", "column", "message"]

  /// The files of a batch output directory rendered from its records.
  package struct Rendering {
    package var csv, jsonLines, errorsCSV, manifest: String
  }

  /// Renders `summary.csv`, `summary.jsonl`, `errors.csv` (from `records`) and
  /// `manifest.jsonl` (from `manifest`) on up to `threads` threads. Each list is sorted once;
  /// the line-per-record files are rendered in contiguous pieces whose texts are joined in
  /// order, so the bytes are those of ``csv(_:)``, ``jsonLines(_:)`` and ``manifest(_:)``
  /// whatever the thread count. (Rendered on one thread, the four files of a 10,000-file batch
  /// took about 0.4 s after the workers had finished: a fifth of a 2-job batch's wall time.)
  package static func render(records: [BatchRecord], manifest: [BatchRecord], threads: Int) throws(JSONOutputError) -> Rendering {
    let rows = sorted(records), entries = sorted(manifest)
    // Pieces of about 250 records: enough to balance the threads, few enough to join cheaply.
    let pieces = max(1, (max(rows.count, entries.count) + 249) / 250)
    func range(_ c: Int, of count: Int) -> Range<Int> { (c * count / pieces)..<((c + 1) * count / pieces) }
    var csvPieces = [String](repeating: "", count: pieces), jsonPieces = csvPieces, manifestPieces = csvPieces
    var failures = [JSONOutputError?](repeating: nil, count: pieces)
    csvPieces.withUnsafeMutableBufferPointer { csvOut in
      jsonPieces.withUnsafeMutableBufferPointer { jsonOut in
        manifestPieces.withUnsafeMutableBufferPointer { manifestOut in
          failures.withUnsafeMutableBufferPointer { failed in
            forEachChunk(pieces, threads: threads) { c in
              let mine = rows[range(c, of: rows.count)]
              if !mine.isEmpty { csvOut[c] = csvLines(mine.map(\.row.csvFields)) }
              do throws(JSONOutputError) {
                let encoded = try mine.map { r throws(JSONOutputError) in try JSONFragment(encoding: r.row) }
                jsonOut[c] = lines(encoded.lazy.map(\.text))
                // A manifest entry of the same file, analysis and row as the summary's (every
                // entry unless the run was interrupted) gets the row's line spliced in.
                let theirs = entries[range(c, of: entries.count)]
                let paired = theirs.count == mine.count
                manifestOut[c] = lines(
                  try theirs.indices.map { e throws(JSONOutputError) in
                    let entry = entries[e], m = mine.startIndex + (e - theirs.startIndex)
                    guard paired, entry.file == rows[m].file, entry.analysis == rows[m].analysis, entry.row == rows[m].row else {
                      return try JSONFragment(encoding: entry).text
                    }
                    return try JSONFragment(encoding: ManifestLine(record: entry, row: encoded[m - mine.startIndex])).text
                  })
              } catch {
                failed[c] = error
              }
            }
          }
        }
      }
    }
    if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    return Rendering(
      csv: csvLines([BatchRow.columns]) + csvPieces.joined(), jsonLines: jsonPieces.joined(),
      errorsCSV: errorsCSV(sorted: rows), manifest: manifestPieces.joined())
  }

  /// `summary.csv` (``SafeCSVWriter``: RFC 4180 quoting where needed, LF line ends).
  package static func csv(_ records: [BatchRecord]) -> String {
    writeCSV(header: BatchRow.columns, rows: sorted(records).map(\.row.csvFields))
  }

  /// `summary.jsonl`: one compact JSON object per line, every key present (`null` where the
  /// CSV has `NA` or nothing), written by ``JSONOutput`` like every other JSON output (keys in
  /// byte order, so a line is the same bytes as the `row` of its manifest record).
  package static func jsonLines(_ records: [BatchRecord]) throws(JSONOutputError) -> String {
    lines(try sorted(records).map { r throws(JSONOutputError) in try JSONFragment(encoding: r.row).text })
  }

  /// Texts joined, each ended by a line feed.
  static func lines<S: Sequence<String>>(_ texts: S) -> String {
    var out = ""
    for t in texts {
      out += t
      out += "\n"
    }
    return out
  }

  /// A manifest record whose summary row was encoded before (for its `summary.jsonl` line),
  /// written by ``BatchRecord``'s own member list with the row's bytes spliced in.
  struct ManifestLine: Encodable, NullPreservingEncodable {
    var record: BatchRecord
    var row: JSONFragment

    func encode(to encoder: any Encoder) throws { try record.encode(to: encoder, row: row) }
  }

  /// `errors.csv`: the failed pairs with the error's line and column where it has them. One
  /// error shared by several analyses of a file (a file that cannot be read or parsed) is one
  /// row: `analysis` is `*` when every analysis of the file failed with it, else the analyses
  /// joined by `;`.
  package static func errorsCSV(_ records: [BatchRecord]) -> String { errorsCSV(sorted: sorted(records)) }

  static func errorsCSV(sorted ordered: [BatchRecord]) -> String {
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
    return writeCSV(header: errorColumns, rows: out)
  }

  /// `manifest.jsonl`: one ``BatchRecord`` per line (keys sorted).
  package static func manifest(_ records: [BatchRecord]) throws(JSONOutputError) -> String {
    lines(try sorted(records).map { r throws(JSONOutputError) in try JSONFragment(encoding: r).text })
  }

  /// Reads `manifest.jsonl`; a FIFO, device or other non-regular file is refused unopened
  /// (``FileBytes/readRegularFile(_:missing:)``).
  /// - Throws: ``InputError/malformed(file:line:reason:)`` naming the line that is not a record.
  package static func readManifest(path: String) throws(InputError) -> [BatchRecord] {
    try parseManifest(Data(try FileBytes.readRegularFile(path)), path: path)
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

  static func writeCSV(header: [String], rows: [[String]]) -> String { csvLines([header] + rows) }

  /// Rows as CSV lines, each ended by a line feed (at least one row).
  static func csvLines(_ rows: [[String]]) -> String {
    var csv = SafeCSVWriter()
    for row in rows { csv.write(row: row) }
    return csv.text
  }
}
