// SPDX-License-Identifier: GPL-3.0-or-later

import Dispatch
import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// Turns SIGINT and SIGTERM into a call of a handler on a dispatch queue (via
/// `DispatchSource.makeSignalSource`) instead of ending the process, so that a batch can stop
/// cleanly. A second signal (SIGINT or SIGTERM, whichever came first) ends the process at once
/// with exit code 130: the handler calls `_exit`, because re-raising the signal from a dispatch
/// queue does nothing (libdispatch's threads block signals, so it stays pending for ever).
/// Result files being written then are lost, never half-written (atomic replace); their
/// temporary files are removed by the next run in the directory.
final class SignalTrap: @unchecked Sendable {
  private var sources: [any DispatchSourceSignal] = []
  private let signals: [Int32]
  private let queue = DispatchQueue(label: "orrmeta.signals")

  /// Installs the handlers; `handler` receives the signal's name (`SIGINT`).
  init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (String) -> Void) {
    self.signals = signals
    let count = Counter()
    for number in signals {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      let name = Self.name(number)
      source.setEventHandler {
        count.value += 1
        if count.value > 1 {
          // Asked twice: stop now.
          StandardError.write("\norrmeta: \(name) again: stopping now\n")
          _exit(ExitStatus.interrupted.rawValue)
        }
        handler(name)
      }
      source.resume()
      sources.append(source)
    }
  }

  /// Removes the handlers and restores the default actions.
  func restore() {
    for s in sources { s.cancel() }
    sources.removeAll()
    for number in signals { signal(number, SIG_DFL) }
  }

  static func name(_ number: Int32) -> String {
    switch number {
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    case SIGHUP: return "SIGHUP"
    default: return "signal \(number)"
    }
  }

  /// Touched only on the trap's serial queue.
  private final class Counter: @unchecked Sendable { var value = 0 }
}
