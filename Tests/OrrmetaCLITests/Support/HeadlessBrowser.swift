// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// A headless Chromium (or Chrome) for screenshot tests: `$ORRMETA_CHROMIUM`, or the first of
/// chromium, chromium-browser, google-chrome, google-chrome-stable, headless_shell on `PATH`.
enum HeadlessBrowser {
  static let path: String? = {
    if let p = ProcessInfo.processInfo.environment["ORRMETA_CHROMIUM"], isExecutable(p) { return p }
    let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"] {
      for d in dirs where isExecutable("\(d)/\(name)") { return "\(d)/\(name)" }
    }
    return nil
  }()

  /// An executable file (not a directory: /usr/lib/chromium is one).
  static func isExecutable(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
      && FileManager.default.isExecutableFile(atPath: path)
  }

  struct Failure: Error, CustomStringConvertible { let description: String }

  /// Renders `page` (a local HTML file) at `width` × `height` CSS pixels and writes a PNG
  /// screenshot to `png`. Fails after `timeout` seconds.
  static func screenshot(of page: URL, to png: URL, width: Int, height: Int, timeout: Double = 90) throws {
    guard let path else { throw Failure(description: "no browser") }
    let profile = png.deletingLastPathComponent().appendingPathComponent("profile-\(png.lastPathComponent)")
    let log = png.deletingLastPathComponent().appendingPathComponent("\(png.lastPathComponent).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let logHandle = try FileHandle(forWritingTo: log)
    defer { try? logHandle.close() }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
      "--no-first-run", "--no-default-browser-check", "--user-data-dir=\(profile.path)",
      "--screenshot=\(png.path)", "--window-size=\(width),\(height)", page.absoluteString,
    ]
    p.standardOutput = logHandle
    p.standardError = logHandle
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning, Date() < deadline { usleep(100_000) }
    if p.isRunning {
      p.terminate()
      throw Failure(description: "\(path) did not finish within \(Int(timeout)) s")
    }
    guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: png.path) else {
      let tail = (try? String(contentsOf: log, encoding: .utf8))?.suffix(2000) ?? ""
      throw Failure(description: "\(path) exited with status \(p.terminationStatus) and no screenshot; output:\n\(tail)")
    }
  }
}
