// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta merge DIR... --out DIR`: combine the shards of a batch.
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "merge",
      abstract: "Combine the output directories of 'batch --shard I/N' runs into the output of one run.",
      discussion: """
        Checks that the directories are all N shards of one batch, complete and not interrupted, then writes summary.csv, summary.jsonl, errors.csv, manifest.jsonl and batch.json exactly as one unsharded run would have, and copies every result file. See Docs/batch.md and Docs/cluster.md.

        Exit codes: 0 merged, every pair succeeded; 3 merged, some pairs failed; 64 usage; 65 the directories are not the complete shards of one batch; 66 a shard or part file is missing or not a regular file (a FIFO or device is refused unopened); 73 the output is not writable.

        Given the part files of 'sensitivity --shard I/N' instead, writes that command's output to --out FILE, byte-identical to one process (see Docs/cluster.md).

        Example:
          orrmeta merge out-1 out-2 out-3 out-4 --out out
          orrmeta merge parts/1.json parts/2.json parts/3.json --out result.json
        """)

    @Argument(help: "Output directories of the shards (every shard, each once).")
    var directories: [String] = []

    @Option(name: [.customLong("out"), .customLong("output"), .short], help: "Output directory of the merged batch (created when missing; not one of the shards); for part files, the output file.")
    var out: String

    @Flag(help: "No summary line on standard error.")
    var quiet = false

    func validate() throws {
      if directories.isEmpty { throw ValidationError("give the output directories of the shards to merge") }
    }

    func run() throws {
      if Self.arePartFiles(directories) { return try ErrorReporting.run { try mergeResamplingParts() } }
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

extension Orrmeta.Merge {
  /// Whether every argument is a regular file: the part files of `sensitivity --shard`, not the
  /// output directories of a batch.
  static func arePartFiles(_ paths: [String]) -> Bool {
    paths.allSatisfy { path in
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
  }

  /// `orrmeta merge PART... --out FILE`: checks that the files are the N parts of one
  /// `sensitivity --shard I/N` command (same version, arguments and cohort file, every part
  /// once, each a regular file: a FIFO or device is refused unopened, exit 66; every record
  /// readable) before anything is written, then runs that command with the parts' GOSH subsets and bootstrap resamples,
  /// writing its output to FILE: the bytes of the command run in one process.
  func mergeResamplingParts() throws {
    var parts: [ResamplingPartFile] = []
    for path in directories {
      guard let part = try ResamplingPartFile.read(path: path) else {
        throw BatchMergeError(directory: path, reason: "not a part file of 'orrmeta sensitivity --shard I/N' (nor a batch output directory)")
      }
      parts.append(part)
    }
    let first = parts[0]
    var seen = Set<Int>()
    for (path, part) in zip(directories, parts) {
      if part.orrmeta_version != first.orrmeta_version {
        throw BatchMergeError(directory: path, reason: "written by orrmeta \(part.orrmeta_version), \(directories[0]) by \(first.orrmeta_version): compute every part with one version")
      }
      if part.arguments != first.arguments || part.input_sha256 != first.input_sha256 {
        throw BatchMergeError(directory: path, reason: "a part of another analysis or cohort file than \(directories[0]) (different arguments or input)")
      }
      guard let shard = part.resamplingShard, let firstShard = first.resamplingShard, shard.count == firstShard.count else {
        throw BatchMergeError(directory: path, reason: "part \(part.shard) is not one of the \(first.shard.split(separator: "/").last ?? "?") parts of \(directories[0])")
      }
      if !seen.insert(shard.index).inserted { throw BatchMergeError(directory: path, reason: "part \(part.shard) is given twice") }
      if part.gosh != nil, part.goshPart == nil {
        throw BatchMergeError(directory: path, reason: "its GOSH subsets are malformed (a membership word is not a 64-bit number); was the file edited? compute the part again")
      }
    }
    let count = first.resamplingShard!.count
    if seen.count != count {
      let missing = (1...count).filter { !seen.contains($0) }.map { "\($0)/\(count)" }
      throw BatchMergeError(directory: directories[0], reason: "missing part\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")): compute \(missing.count == 1 ? "it" : "them") with --shard, then merge again")
    }
    let command: Orrmeta.Sensitivity
    do {
      command = try Orrmeta.Sensitivity.parse(first.arguments + ["--output", out])
    } catch {
      throw BatchMergeError(directory: directories[0], reason: "its arguments are not a valid sensitivity command for this orrmeta: \(Orrmeta.Sensitivity.message(for: error))")
    }
    let bytes = try FileBytes.readRegularFile(command.input.file)
    if SHA256.hex(bytes) != first.input_sha256 {
      throw BatchMergeError(directory: directories[0], reason: "\(command.input.file) has changed since the parts were computed (its SHA-256 differs); merge from the directory the parts were computed in")
    }
    try command.run(parts: SensitivityPipeline.ResamplingParts(gosh: parts.compactMap(\.goshPart), bootstrap: parts.compactMap(\.bootstrapPart)))
    if !quiet { ErrorReporting.printNote("merge: \(count) part\(count == 1 ? "" : "s") of 'orrmeta sensitivity \(first.arguments.joined(separator: " "))'; output in \(out)") }
  }
}
