// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation

extension Orrmeta {
  /// The program: parses the arguments and runs the command. Replaces argument-parser's
  /// `main()` only to print its usage errors as every other error is printed,
  /// `orrmeta: error: …` on standard error (Docs/cli.md), instead of `Error: …`; the exit codes
  /// are argument-parser's (64 for usage errors, 0 for `--help` and `--version`).
  package static func main() {
    Foundation.exit(run(Array(CommandLine.arguments.dropFirst())))
  }

  /// Runs `orrmeta` with `arguments`; returns the exit status. `orrmeta pool …` is parsed by
  /// ``PoolRequest``'s ``ArgumentTable`` when it can (the same request without argument-parser's
  /// reflection: Docs/performance.md, "Start-up"); everything else, and whatever the table
  /// declines, by argument-parser.
  static func run(_ arguments: [String]) -> Int32 {
    do {
      if let request = PoolRequest.parsedByTable(arguments) {
        try request.run()
      } else {
        var command = try parseAsRoot(arguments)
        try command.run()
      }
      return ExitStatus.success.rawValue
    } catch {
      let code = exitCode(for: error)
      let text = fullMessage(for: error)
      if code == .success {
        if !text.isEmpty { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
      } else if !text.isEmpty {
        FileHandle.standardError.write(Data((usageErrorText(text) + "\n").utf8))
      }
      return code.rawValue
    }
  }

  /// argument-parser's message with its `Error: ` prefix as `orrmeta: error: `.
  static func usageErrorText(_ text: String) -> String {
    let prefix = "Error: "
    return text.hasPrefix(prefix) ? "orrmeta: error: " + text.dropFirst(prefix.count) : text
  }
}
