// SPDX-License-Identifier: GPL-3.0-or-later

/// Shard directories that cannot be merged into the output of one run: a shard missing or
/// given twice, shards of different batches, an interrupted or incomplete shard. `orrmeta
/// merge` exits with 65 (input data error) for these.
public struct BatchMergeError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The directory concerned (or the first one, for a problem of the whole set).
  public let directory: String
  /// What is wrong and what to do.
  public let reason: String

  /// Creates an error.
  public init(directory: String, reason: String) {
    self.directory = directory
    self.reason = reason
  }

  public var description: String { "\(directory): \(reason)" }
}
