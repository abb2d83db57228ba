// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
@testable import OrrmetaCLI

/// Runs `orrmeta ARGS` in-process and returns its exit code (0 on success).
func runOrrmeta(_ arguments: [String]) -> Int32 {
  do {
    var command = try Orrmeta.parseAsRoot(arguments)
    try command.run()
    return 0
  } catch {
    return Orrmeta.exitCode(for: error).rawValue
  }
}

/// A fresh temporary directory for one test.
func temporaryDirectory(_ name: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("orrmeta-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
