// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import _TestSupport

/// Runs the built `orrmeta` binary as a user would, like `_TestSupport.runOrrmeta`, but with a
/// time limit (a hang is a failure) and crash detection (death by a signal).
struct OrrmetaProcess {
  struct Result {
    var exitCode: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool
    /// Killed by a signal (a crash), rather than exiting.
    var crashed: Bool
  }

  /// The `orrmeta` executable (`$ORRMETA_BIN`, else the shared lookup of `_TestSupport`).
  static let executable: URL? = {
    let path = ProcessInfo.processInfo.environment["ORRMETA_BIN"] ?? orrmetaExecutable
    return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
  }()

  /// Runs `orrmeta arguments…` in `directory`; output goes through files (no pipe deadlock).
  static func run(_ arguments: [String], in directory: URL? = nil, timeout: TimeInterval = 120) throws -> Result {
    guard let executable else {
      throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "orrmeta binary not found; build it or set ORRMETA_BIN"])
    }
    let fm = FileManager.default
    let scratch = fm.temporaryDirectory.appendingPathComponent("orrmeta-run-\(UUID().uuidString)")
    try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
    fm.createFile(atPath: out.path, contents: nil)
    fm.createFile(atPath: err.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.standardOutput = outHandle
    process.standardError = errHandle
    var environment = ProcessInfo.processInfo.environment
    environment["SWIFT_BACKTRACE"] = "enable=no"
    process.environment = environment
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    var timedOut = false
    while process.isRunning {
      if Date() > deadline {
        timedOut = true
        process.terminate()
        break
      }
      Thread.sleep(forTimeInterval: 0.01)
    }
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return Result(
      exitCode: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self),
      timedOut: timedOut, crashed: !timedOut && process.terminationReason == .uncaughtSignal)
  }
}
