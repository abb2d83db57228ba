// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines

/// Progress of a batch on standard error: a live bar redrawn in place on a terminal, a plain
/// line every few seconds otherwise (logs of cluster jobs), or nothing.
///
/// The bar shows pairs done of the total, the rate, the estimated time left and the failures:
/// `batch [#########---------------]  3712/10000  37%  812/s  ETA 0:07  2 failed`.
package final class BatchProgress: BatchProgressReporting, @unchecked Sendable {
  /// How progress is shown.
  package enum Mode: Sendable {
    /// Redraw one line in place (standard error is a terminal).
    case live
    /// A line every `interval` seconds.
    case plain(interval: Double)
    /// Nothing.
    case quiet
  }

  private let mode: Mode
  private let lock = NSLock()
  private let queue = DispatchQueue(label: "orrmeta.batch.progress")
  private var timer: (any DispatchSourceTimer)?
  private var total = 0
  private var done = 0
  private var failed = 0
  private var start = Date()
  private var drawn = false

  /// Creates a reporter.
  package init(mode: Mode) { self.mode = mode }

  /// The mode for standard error: live on a terminal, plain every 10 s otherwise, quiet when asked.
  package static func standardError(quiet: Bool) -> BatchProgress {
    if quiet { return BatchProgress(mode: .quiet) }
    return BatchProgress(mode: isatty(STDERR_FILENO) != 0 ? .live : .plain(interval: 10))
  }

  /// Starts reporting `total` pairs.
  package func start(total: Int) {
    lock.lock()
    self.total = total
    start = Date()
    lock.unlock()
    let interval: Double
    switch mode {
    case .quiet: return
    case .live: interval = 0.1
    case let .plain(i): interval = i
    }
    let t = DispatchSource.makeTimerSource(queue: queue)
    t.schedule(deadline: .now() + interval, repeating: interval)
    t.setEventHandler { [weak self] in self?.draw(final: false) }
    t.resume()
    timer = t
  }

  /// Counts `count` finished pairs, `failures` of them failed.
  package func advance(by count: Int, failures: Int) {
    lock.lock()
    done += count
    failed += failures
    lock.unlock()
  }

  /// Prints a line above the bar (e.g. "interrupted"), keeping the bar intact.
  package func message(_ text: String) {
    if case .quiet = mode { return }
    queue.sync {
      var out = ""
      if case .live = mode, drawn { out += "\r\u{1B}[K" }
      out += text + "\n"
      StandardError.write(out)
      if case .live = mode, drawn { draw(final: false) }
    }
  }

  /// Stops the timer and, on a terminal, draws the last state and ends the line (a plain log
  /// gets the command's own final line instead).
  package func finish() {
    timer?.cancel()
    timer = nil
    guard case .live = mode else { return }
    queue.sync { draw(final: true) }
  }

  /// Draws the current state; called on `queue` only.
  private func draw(final: Bool) {
    lock.lock()
    let (d, n, f, elapsed) = (done, total, failed, Date().timeIntervalSince(start))
    lock.unlock()
    let rate = elapsed > 0 ? Double(d) / elapsed : 0
    let eta = rate > 0 ? Double(n - d) / rate : .nan
    let percent = n > 0 ? 100 * d / n : 100
    let failures = f == 0 ? "" : "\(f) failed"
    switch mode {
    case .quiet: return
    case .live:
      let width = 24
      let filled = n > 0 ? width * d / n : width
      let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
      let line = "\r\u{1B}[Kbatch [\(bar)] \(d)/\(n) \(percent)%  \(Self.rate(rate))  ETA \(Self.clock(eta))\(failures.isEmpty ? "" : "  " + failures)"
      StandardError.write(line + (final ? "\n" : ""))
      drawn = !final
    case .plain:
      let line = "orrmeta: batch: \(d)/\(n) done (\(percent)%), \(Self.rate(rate)), ETA \(Self.clock(eta))\(failures.isEmpty ? "" : ", " + failures)\n"
      StandardError.write(line)
    }
  }

  static func rate(_ r: Double) -> String {
    r >= 10 ? String(format: "%.0f/s", r) : String(format: "%.1f/s", r)
  }

  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--:--" }
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}
