// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO

extension Orrmeta {
  /// `orrmeta merge DIR... --out DIR`: combine the shards of a batch.
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Combine the output directories of 'batch --shard I/N' runs into the output of one run.",
      discussion: """
        Checks that the directories are all N shards of one batch, complete and not interrupted, then writes summary.csv, summary.jsonl, errors.csv, manifest.jsonl and batch.json exactly as one unsharded run would have, and copies every result file. See Docs/batch.md and Docs/cluster.md.

        Exit codes: 0 merged, every pair succeeded; 3 merged, some pairs failed; 64 usage; 65 the directories are not the complete shards of one batch; 66 a shard file is missing; 73 the output is not writable.

        Example:
          orrmeta merge out-1 out-2 out-3 out-4 --out out
        """)

    @Argument(help: "Output directories of the shards (every shard, each once).")
    var directories: [String] = []

    @Option(name: [.customLong("out"), .customLong("output"), .short], help: "Output directory of the merged batch (created when missing; not one of the shards).")
    var out: String

    @Flag(help: "No summary line on standard error.")
    var quiet = false

    func validate() throws {
      if directories.isEmpty { throw ValidationError("give the output directories of the shards to merge") }
    }

    func run() throws {
      try ErrorReporting.run {
        let outcome = try BatchMerge.merge(directories: directories, into: out)
        if !quiet {
          var text = "merge: \(directories.count) shard\(directories.count == 1 ? "" : "s"), \(outcome.completed) file × analysis pairs"
          if outcome.failed > 0 { text += ", \(outcome.failed) failed (see \(out)/\(BatchLayout.errorsCSV))" }
          ErrorReporting.printNote(text + "; summary in \(out)/\(BatchLayout.summaryCSV)")
        }
        if outcome.failed > 0 { throw ExitStatus.partialFailure.exitCode }
      }
    }
  }
}
