// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import _TestSupport

/// Runs the built `orrmeta` binary (the test target depends on it, so it is built next to the
/// test bundle) and captures its output and exit status.
struct OrrmetaProcess {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The binary: next to the test bundle, else `.build/debug/orrmeta` in the repository.
  static let executable: String = {
    let fm = FileManager.default
    var candidates: [String] = []
    if let arg0 = ProcessInfo.processInfo.arguments.first {
      let dir = URL(fileURLWithPath: arg0).resolvingSymlinksInPath().deletingLastPathComponent()
      candidates.append(dir.appendingPathComponent("orrmeta").path)
      // macOS: …/orrmetaPackageTests.xctest/Contents/MacOS/… → three levels up.
      candidates.append(dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("orrmeta").path)
    }
    if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
      candidates.append(bundle.appendingPathComponent("orrmeta").path)
    }
    candidates.append(repositoryRoot + "/.build/debug/orrmeta")
    return candidates.first { fm.isExecutableFile(atPath: $0) } ?? candidates.last!
  }()

  /// The repository root (the parent of `Fixtures/`).
  static let repositoryRoot: String = URL(fileURLWithPath: fixturesDirectory).deletingLastPathComponent().path

  /// Runs `orrmeta arguments…` in `directory` (default: the repository root).
  static func run(_ arguments: [String], in directory: String = repositoryRoot) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
  }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orrmeta-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
  }

  /// Writes `text` to `name` in a fresh temporary directory and returns the path.
  static func temporaryFile(_ name: String, _ text: String) throws -> String {
    let path = try temporaryDirectory() + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
