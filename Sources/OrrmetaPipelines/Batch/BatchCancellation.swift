// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// A stop request shared by the signal handlers and the workers of a batch: once set, no new
/// file is started; files being analysed finish and are recorded.
package final class BatchCancellation: @unchecked Sendable {
  private let lock = NSLock()
  private var reason: String?

  /// A request not yet made.
  package init() {}

  /// Asks the batch to stop; `reason` (e.g. `SIGINT`) is kept for messages. Later calls keep
  /// the first reason.
  package func cancel(reason: String) {
    lock.lock()
    if self.reason == nil { self.reason = reason }
    lock.unlock()
  }

  /// Whether a stop was asked for.
  package var isCancelled: Bool { cancellationReason != nil }

  /// The first reason given, or nil.
  package var cancellationReason: String? {
    lock.lock()
    defer { lock.unlock() }
    return reason
  }
}
