// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO
import OrrmetaReports

/// What a batch knows about one finished file × analysis: its summary row, the error's
/// location when it failed, the result file when it succeeded, and the two hashes `--resume`
/// compares. One line of `manifest.jsonl`; `summary.csv`, `summary.jsonl` and `errors.csv` are
/// rendered from these records alone, so a merge of shards renders exactly what one run does.
package struct BatchRecord: Codable, NullPreservingEncodable, Sendable, Equatable {
  /// Where a failure is.
  package struct Failure: Codable, NullPreservingEncodable, Sendable, Equatable {
    /// The 1-based line, when the error has one.
    package var line: Int?
    /// The column name, when the error has one.
    package var column: String?
    /// The message without the location.
    package var message: String

    /// Creates a failure.
    package init(line: Int?, column: String?, message: String) {
      self.line = line
      self.column = column
      self.message = message
    }

    enum CodingKeys: String, CodingKey { case line, column, message }
  }

  /// The input path.
  package var file: String
  /// The analysis name.
  package var analysis: String
  /// SHA-256 of the input file's bytes (nil when it could not be read).
  package var input_sha256: String?
  /// ``BatchAnalysis/settingsHash`` of the analysis.
  package var settings_sha256: String
  /// The result file relative to the output directory (nil for a failure).
  package var result: String?
  /// SHA-256 of the result file's bytes (nil for a failure); `merge` and `--resume` check it.
  package var result_sha256: String?
  /// The failure (nil for success).
  package var failure: Failure?
  /// The summary row.
  package var row: BatchRow

  /// Creates a record.
  package init(
    file: String, analysis: String, inputHash: String?, settingsHash: String, result: String?, resultHash: String? = nil, failure: Failure?,
    row: BatchRow
  ) {
    self.file = file
    self.analysis = analysis
    input_sha256 = inputHash
    settings_sha256 = settingsHash
    self.result = result
    result_sha256 = resultHash
    self.failure = failure
    self.row = row
  }

  /// Whether `a` sorts before `b`: by file path, then analysis name (UTF-8 bytes).
  package static func precedes(_ a: BatchRecord, _ b: BatchRecord) -> Bool {
    a.file == b.file ? utf8Less(a.analysis, b.analysis) : utf8Less(a.file, b.file)
  }

  enum CodingKeys: String, CodingKey { case file, analysis, input_sha256, settings_sha256, result, result_sha256, failure, row }

  package func encode(to encoder: any Encoder) throws { try encode(to: encoder, row: row) }

  /// The record's members with `row` in place of its summary row: the row itself, or the row's
  /// JSON encoded before (``BatchSummary``'s manifest lines splice in the `summary.jsonl` line).
  func encode(to encoder: any Encoder, row: some Encodable) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(file, forKey: .file)
    try c.encode(analysis, forKey: .analysis)
    try c.encodeIfPresent(input_sha256, forKey: .input_sha256)
    try c.encode(settings_sha256, forKey: .settings_sha256)
    try c.encodeIfPresent(result, forKey: .result)
    try c.encodeIfPresent(result_sha256, forKey: .result_sha256)
    try c.encodeIfPresent(failure, forKey: .failure)
    try c.encode(row, forKey: .row)
  }
}
