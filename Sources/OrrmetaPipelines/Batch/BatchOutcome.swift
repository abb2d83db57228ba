// SPDX-License-Identifier: GPL-3.0-or-later

/// What a batch run (or a merge) did, for the final message and the exit status.
package struct BatchOutcome: Sendable, Equatable {
  /// Input files found (all shards).
  package var files: Int
  /// File × analysis pairs of the whole batch (all shards).
  package var workItems: Int
  /// Pairs of this shard.
  package var shardItems: Int
  /// Pairs with a summary row.
  package var completed: Int
  /// Pairs analysed in this run.
  package var computed: Int
  /// Pairs whose earlier result was kept (`--resume`: input and settings unchanged).
  package var reused: Int
  /// Pairs with status `error`.
  package var failed: Int
  /// Whether a signal stopped the run before every pair was done (then the reason, e.g. SIGINT).
  package var interruption: String?
  /// Things the user should know that did not stop the run (e.g. an unreadable old manifest).
  package var warnings: [String]

  /// Creates an outcome.
  package init(
    files: Int, workItems: Int, shardItems: Int, completed: Int, computed: Int, reused: Int, failed: Int,
    interruption: String?, warnings: [String] = []
  ) {
    self.files = files; self.workItems = workItems; self.shardItems = shardItems; self.completed = completed
    self.computed = computed; self.reused = reused; self.failed = failed; self.interruption = interruption
    self.warnings = warnings
  }
}
