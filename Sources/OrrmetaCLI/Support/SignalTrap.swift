// SPDX-License-Identifier: GPL-3.0-or-later

import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a call of a handler on a dispatch queue (via
/// `DispatchSource.makeSignalSource`) instead of ending the process, so that a batch can stop
/// cleanly. A second signal of the same kind ends the process at once (the default action).
final class SignalTrap: @unchecked Sendable {
  private var sources: [any DispatchSourceSignal] = []
  private let signals: [Int32]
  private let queue = DispatchQueue(label: "orrmeta.signals")

  /// Installs the handlers; `handler` receives the signal's name (`SIGINT`).
  init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (String) -> Void) {
    self.signals = signals
    for number in signals {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      let name = Self.name(number)
      let count = Counter()
      source.setEventHandler {
        count.value += 1
        if count.value > 1 {
          // Asked twice: stop now, as without the trap.
          signal(number, SIG_DFL)
          raise(number)
          return
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
