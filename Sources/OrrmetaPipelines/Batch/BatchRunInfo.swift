// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO

/// `batch.json`: what a batch output directory covers, so that `orrmeta merge` can check that
/// its shards belong together and are complete.
///
/// Deterministic (no times, no host names): a single run and the merge of its shards write the
/// same file.
package struct BatchRunInfo: Codable, Sendable, Equatable {
  /// One analysis of the run.
  package struct Analysis: Codable, Sendable, Equatable {
    /// The analysis name.
    package var name: String
    /// Its ``BatchAnalysisKind`` (`pool`, `sensitivity`).
    package var type: String
    /// ``BatchAnalysis/settingsHash``.
    package var settings_sha256: String

    /// Creates an entry.
    package init(name: String, type: String, settings_sha256: String) {
      self.name = name; self.type = type; self.settings_sha256 = settings_sha256
    }
  }

  /// The orrmeta that wrote the directory.
  package var orrmeta_version: String
  /// `I/N`; `1/1` for a whole run or a merge.
  package var shard: String
  /// Input files found (all shards).
  package var files: Int
  /// SHA-256 of the sorted input paths, one per line: shards that saw different inputs differ.
  package var inputs_sha256: String
  /// File × analysis pairs of the whole batch (all shards).
  package var work_items: Int
  /// Pairs that belong to this directory's shard.
  package var shard_items: Int
  /// Pairs with a row in the summary.
  package var completed: Int
  /// Of those, pairs with status `error`.
  package var failed: Int
  /// True when the run was stopped by SIGINT or SIGTERM before every pair was done.
  package var interrupted: Bool
  /// The analyses, by name.
  package var analyses: [Analysis]
  /// `flat` for `--layout flat` (``BatchLayout/Style``); absent for the default nested layout.
  package var layout: String?

  /// Creates the info.
  package init(
    shard: BatchShard, files: Int, inputsHash: String, workItems: Int, shardItems: Int, completed: Int, failed: Int,
    interrupted: Bool, analyses: [Analysis], layout: BatchLayout.Style = .nested
  ) {
    orrmeta_version = OrrmetaVersion.current
    self.shard = shard.description
    self.files = files
    inputs_sha256 = inputsHash
    work_items = workItems
    shard_items = shardItems
    self.completed = completed
    self.failed = failed
    self.interrupted = interrupted
    self.analyses = analyses
    self.layout = layout == .nested ? nil : layout.rawValue
  }

  /// The layout of the directory's result files (nil for a value this orrmeta does not know).
  package var style: BatchLayout.Style? {
    guard let layout else { return .nested }
    return BatchLayout.Style(rawValue: layout)
  }

  /// The ``inputs_sha256`` of a sorted list of input paths.
  package static func inputsHash(_ files: [String]) -> String {
    SHA256.hex(files.map { $0 + "\n" }.joined())
  }

  /// Reads `batch.json`; a FIFO, device or other non-regular file is refused unopened
  /// (``FileBytes/readRegularFile(_:missing:)``).
  package static func read(path: String) throws(InputError) -> BatchRunInfo {
    let data = Data(try FileBytes.readRegularFile(path, missing: "no such file (is this a batch output directory?)"))
    do {
      return try JSONDecoder().decode(BatchRunInfo.self, from: data)
    } catch {
      throw .malformed(file: path, line: nil, reason: "not a batch.json of orrmeta batch (\(error))")
    }
  }
}
