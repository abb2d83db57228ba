// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import Testing
import _TestSupport

/// `orrmeta merge` checks every input before it reads or writes: a FIFO (made with mkfifo in a
/// temporary directory) given as a part file, or standing in a shard for `batch.json`,
/// `manifest.jsonl` or a result file, is refused without being opened — exit 66, no blocking
/// (each run is bounded by `timeout`, so a regression fails with 124 instead of hanging) — and
/// every result of every shard is checked before `--out` is created, so a bad shard leaves no
/// output at all (Docs/batch.md).
@Suite struct MergeInputCheckTests {
  /// Runs `orrmeta ARGS` in `dir` under `timeout 60`.
  static func merge(_ args: [String], in dir: TemporaryDirectory) throws -> CLIResult {
    let quoted = args.map { "'" + $0 + "'" }.joined(separator: " ")
    return try runOrrmetaShell("exec timeout 60 \"$ORRMETA\" merge \(quoted)", directory: dir.path)
  }

  /// Two shards of a batch of four cohort files, in `s1` and `s2`.
  static func shards(in dir: TemporaryDirectory) throws {
    _ = try writeCorpus(in: dir, count: 4)
    for i in 1...2 {
      let r = try runOrrmeta(["batch", "corpus", "--out", "s\(i)", "--shard", "\(i)/2", "--quiet"], directory: dir.path)
      #expect(r.status == 0, "\(r.stderr)")
    }
  }

  /// Replaces the file at `relative` by a FIFO.
  static func fifo(_ relative: String, in dir: TemporaryDirectory) throws {
    let path = dir.path + "/" + relative
    try? FileManager.default.removeItem(atPath: path)
    #expect(mkfifo(path, 0o600) == 0)
  }

  @Test func aFIFOInAShardIsRefusedUnopenedAndNothingIsWritten() throws {
    let dir = try TemporaryDirectory("merge-fifo-shard")
    defer { dir.remove() }
    try Self.shards(in: dir)
    let manifest = try dir.read("s2/manifest.jsonl")
    let record = try JSONDecoder().decode(
      BatchRecord.self, from: try #require(manifest.split(separator: UInt8(ascii: "\n")).first.map { Data($0) }))
    let result = try #require(record.result)
    let original = try dir.read("s2/" + result)
    for name in [BatchLayout.runInfo, BatchLayout.manifest, result] {
      let saved = try dir.read("s2/" + name)
      try Self.fifo("s2/" + name, in: dir)
      let r = try Self.merge(["s1", "s2", "--out", "out"], in: dir)
      #expect(r.status == 66, "\(name): \(r.stderr)")
      #expect(r.stderr.contains("FIFO (named pipe), not a regular file"), "\(name): \(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"), "\(name): --out was created")
      try FileManager.default.removeItem(atPath: dir.path + "/s2/" + name)
      try saved.write(to: URL(fileURLWithPath: dir.path + "/s2/" + name))
    }
    #expect(try dir.read("s2/" + result) == original)
    let ok = try Self.merge(["s1", "s2", "--out", "out", "--quiet"], in: dir)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(try dir.read("out/" + result) == original)
  }

  /// A result of the last shard that does not match its record stops the merge before `--out`
  /// exists (the results of the first shard are checked too, not copied first).
  @Test func aBadResultLeavesNoOutput() throws {
    let dir = try TemporaryDirectory("merge-bad-result")
    defer { dir.remove() }
    try Self.shards(in: dir)
    let manifest = try dir.read("s2/manifest.jsonl")
    let lines = manifest.split(separator: UInt8(ascii: "\n"))
    let record = try JSONDecoder().decode(BatchRecord.self, from: Data(try #require(lines.last)))
    let result = try #require(record.result)
    try dir.write("s2/" + result, "{}\n")
    let r = try Self.merge(["s1", "s2", "--out", "out"], in: dir)
    #expect(r.status == 65, "\(r.stderr)")
    #expect(r.stderr.contains("does not match its manifest record"))
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    // A missing result: the same.
    try FileManager.default.removeItem(atPath: dir.path + "/s2/" + result)
    let missing = try Self.merge(["s1", "s2", "--out", "out"], in: dir)
    #expect(missing.status == 65, "\(missing.stderr)")
    #expect(missing.stderr.contains("is missing"))
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
  }

  @Test func aFIFOGivenAsAPartFileIsRefusedUnopened() throws {
    let dir = try TemporaryDirectory("merge-fifo-part")
    defer { dir.remove() }
    try FileManager.default.copyItem(atPath: fixturesDirectory + "/alk-nsclc/cohorts.csv", toPath: dir.path + "/alk.csv")
    let base = ["sensitivity", "alk.csv", "--bootstrap", "50", "--format", "json"]
    for i in 1...2 {
      let r = try runOrrmeta(base + ["--shard", "\(i)/2", "-o", "p\(i).json"], directory: dir.path)
      #expect(r.status == 0, "\(r.stderr)")
    }
    try Self.fifo("pipe", in: dir)
    for parts in [["pipe", "p2.json"], ["p1.json", "pipe"]] {
      let r = try Self.merge(parts + ["--out", "m.json"], in: dir)
      #expect(r.status == 66, "\(parts): \(r.stderr)")
      #expect(r.stderr.contains("pipe") && r.stderr.contains("FIFO (named pipe), not a regular file"), "\(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir.path + "/m.json"))
    }
    var st = stat()
    #expect(stat(dir.path + "/pipe", &st) == 0 && st.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
    // The cohort file the parts name, replaced by a FIFO: refused the same way.
    try Self.fifo("alk.csv", in: dir)
    let cohorts = try Self.merge(["p1.json", "p2.json", "--out", "m.json"], in: dir)
    #expect(cohorts.status == 66, "\(cohorts.stderr)")
    #expect(cohorts.stderr.contains("alk.csv") && cohorts.stderr.contains("FIFO"), "\(cohorts.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/m.json"))
  }
}
