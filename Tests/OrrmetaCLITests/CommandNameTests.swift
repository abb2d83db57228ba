// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
@testable import OrrmetaCLI
import Testing

/// Every command names itself in its `CommandConfiguration`. Without a `commandName`,
/// argument-parser derives the name from the type (`String(describing:)`), which costs a scan
/// of the runtime's protocol conformances per command type at every start-up, whichever command
/// runs: about 13 % of `orrmeta pool`'s CPU time (Docs/performance.md, "Start-up"). The help
/// snapshots check that the names themselves did not change.
@Suite("CommandName: every command names itself")
struct CommandNameTests {
  @Test("every command of the tree has an explicit commandName")
  func explicitNames() {
    let commands = HelpSnapshotTests.commands()
    #expect(commands.count > 15)
    for (path, type) in commands {
      #expect(type.configuration.commandName == path.last, "\(path.joined(separator: " ")): add commandName: \"\(path.last ?? "")\" to its CommandConfiguration")
    }
  }
}
