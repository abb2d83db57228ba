// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The result of running the `orrmeta` binary.
public struct CLIResult: Sendable {
  public let status: Int32
  public let stdout: String
  public let stderr: String
}

/// The built `orrmeta` executable: `$ORRMETA_BIN` when set (e.g. an older build, to see a
/// regression test fail), else next to the test bundle (SwiftPM puts products and test
/// bundles in the same directory), else `.build/debug/orrmeta` in the repository.
public let orrmetaExecutable: String = {
  if let path = ProcessInfo.processInfo.environment["ORRMETA_BIN"], !path.isEmpty { return path }
  let fm = FileManager.default
  var candidates: [String] = []
  if let exe = Bundle.main.executablePath {
    candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("orrmeta").path)
  }
  candidates.append(URL(fileURLWithPath: Bundle.main.bundlePath).deletingLastPathComponent().appendingPathComponent("orrmeta").path)
  candidates.append(URL(fileURLWithPath: Bundle.main.bundlePath).appendingPathComponent("orrmeta").path)
  let repo = URL(fileURLWithPath: fixturesDirectory).deletingLastPathComponent()
  candidates.append(repo.appendingPathComponent(".build/debug/orrmeta").path)
  return candidates.first { fm.isExecutableFile(atPath: $0) } ?? candidates.last!
}()

/// Runs `orrmeta` with arguments (in `directory`, default the repository root) and collects
/// its exit status and output.
public func runOrrmeta(_ arguments: [String], directory: String? = nil, stdin: String? = nil) throws -> CLIResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: orrmetaExecutable)
  process.arguments = arguments
  process.currentDirectoryURL = URL(fileURLWithPath: directory ?? URL(fileURLWithPath: fixturesDirectory).deletingLastPathComponent().path)
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  if let stdin {
    let inPipe = Pipe()
    process.standardInput = inPipe
    inPipe.fileHandleForWriting.write(Data(stdin.utf8))
    try inPipe.fileHandleForWriting.close()
  }
  return try runCollecting(process, stdout: out, stderr: err)
}

/// Starts `process` and collects its exit status and both pipes.
func runCollecting(_ process: Process, stdout out: Pipe, stderr err: Pipe) throws -> CLIResult {
  try process.run()
  // Read both pipes fully before waiting, so a large output cannot block the child.
  let group = DispatchGroup()
  nonisolated(unsafe) var errData = Data()
  group.enter()
  DispatchQueue.global().async {
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return CLIResult(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}

/// The directory holding every ``temporaryDirectory(_:)`` of this test process, removed when
/// the process exits (a crashed run leaves this one directory behind, not one per test).
private let temporaryRoot: URL = {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("orrmeta-tests-\(getpid())-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  atexit {
    // Best effort: a directory a test left unreadable stays.
    try? FileManager.default.removeItem(at: temporaryRoot)
  }
  return root
}()

/// A fresh temporary directory for one test, under this process's ``temporaryRoot``.
public func temporaryDirectory(_ name: String = "orrmeta-test") throws -> String {
  let dir = temporaryRoot.appendingPathComponent("\(name)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir.path
}

/// Runs a /bin/sh script in `directory` with `$ORRMETA` set to the built binary, for tests that
/// need redirections or limits (`> device`, `ulimit -f`).
public func runOrrmetaShell(_ script: String, directory: String) throws -> CLIResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/sh")
  process.arguments = ["-c", script]
  var environment = ProcessInfo.processInfo.environment
  environment["ORRMETA"] = orrmetaExecutable
  process.environment = environment
  process.currentDirectoryURL = URL(fileURLWithPath: directory)
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  return try runCollecting(process, stdout: out, stderr: err)
}
