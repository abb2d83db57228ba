// SPDX-License-Identifier: GPL-3.0-or-later

/// Shard directories that cannot be merged into the output of one run: a shard missing or
/// given twice, shards of different batches, an interrupted or incomplete shard. `orrmeta
/// merge` exits with 65 (input data error) for these.
package struct BatchMergeError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The directory concerned (or the first one, for a problem of the whole set).
  package let directory: String
  /// What is wrong and what to do.
  package let reason: String

  /// Creates an error.
  package init(directory: String, reason: String) {
    self.directory = directory; self.reason = reason
  }

  package var description: String { "\(directory): \(reason)" }
}
