// SPDX-License-Identifier: GPL-3.0-or-later

/// What ``BatchRunner`` tells about its progress; the command line draws it (`BatchProgress` in
/// OrrmetaCLI, a bar on standard error). The runner calls `start` once, `advance` after each
/// finished group of pairs and `finish` at the end.
package protocol BatchProgressReporting: Sendable {
  /// `total` pairs (file × analysis) will be processed.
  func start(total: Int)
  /// `count` more pairs are done, `failures` of them failed.
  func advance(by count: Int, failures: Int)
  /// The run is over.
  func finish()
}

/// Progress that is not shown (the runner's default, tests and library use).
package struct SilentBatchProgress: BatchProgressReporting {
  package init() {}
  package func start(total: Int) {}
  package func advance(by count: Int, failures: Int) {}
  package func finish() {}
}
