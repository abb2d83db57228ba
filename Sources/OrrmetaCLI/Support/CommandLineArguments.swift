// SPDX-License-Identifier: GPL-3.0-or-later

/// The arguments a command was given, for a command line that repeats it elsewhere (the tasks
/// of `batch --slurm`, the merge of `sensitivity --shard`).
enum CommandLineArguments {
  /// The words after the subcommand `name` in `commandLine` (`CommandLine.arguments`), without
  /// the options in `dropping` (`--name value`, `--name=value`, or a flag when `takesValue` is
  /// false). Words after `--` are kept as they are.
  static func after(_ name: String, in commandLine: [String], dropping: [(name: String, takesValue: Bool)]) -> [String] {
    var arguments = Array(commandLine.dropFirst().drop { $0 != name }.dropFirst())
    var kept: [String] = []
    while let word = arguments.first {
      arguments.removeFirst()
      if word == "--" {
        kept.append(word)
        kept += arguments
        break
      }
      let option = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
      guard let dropped = dropping.first(where: { $0.name == option }) else {
        kept.append(word)
        continue
      }
      if dropped.takesValue, !word.contains("="), !arguments.isEmpty { arguments.removeFirst() }
    }
    return kept
  }
}
