// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `sensitivity --shard I/N` + `merge` of the part files: the bytes of one process.
@Suite struct SensitivityShardMergeTests {
  static let analysis = ["--gosh", "--subsets", "9000", "--bootstrap", "300", "--seed", "5", "--leave-one-out", "--method", "DL"]

  @Test func partsMergedGiveTheBytesOfOneRun() throws {
    let dir = try TemporaryDirectory("sensitivity-shards")
    defer { dir.remove() }
    try FileManager.default.copyItem(atPath: fixturesDirectory + "/alk-nsclc/cohorts.csv", toPath: dir.path + "/alk data.csv")
    for format in ["json", "text"] {
      let one = try runOrrmeta(["sensitivity", "alk data.csv"] + Self.analysis + ["--format", format, "-o", "one", "--gosh-out", "one.csv"], directory: dir.path)
      #expect(one.status == 0, "\(one.stderr)")
      for n in [1, 2, 4] {
        var parts: [String] = []
        for i in (1...n).reversed() {
          let part = "part \(i) of \(n).json"
          let r = try runOrrmeta(
            ["sensitivity", "alk data.csv"] + Self.analysis + ["--format", format, "--shard", "\(i)/\(n)", "--output", part, "--jobs", "\(i)", "--gosh-out", "merged.csv"],
            directory: dir.path)
          #expect(r.status == 0, "\(r.stderr)")
          parts.append(part)
        }
        let merged = try runOrrmeta(["merge"] + parts + ["--out", "merged", "--quiet"], directory: dir.path)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try dir.read("merged") == dir.read("one"), "\(format), \(n) parts")
        #expect(try dir.read("merged.csv") == dir.read("one.csv"), "GOSH subsets, \(n) parts")
      }
    }
  }

  @Test func mergeRefusesIncompleteForeignOrChangedParts() throws {
    let dir = try TemporaryDirectory("sensitivity-shards-bad")
    defer { dir.remove() }
    try FileManager.default.copyItem(atPath: fixturesDirectory + "/alk-nsclc/cohorts.csv", toPath: dir.path + "/alk.csv")
    let base = ["sensitivity", "alk.csv", "--bootstrap", "200", "--format", "json"]
    for i in 1...3 { _ = try runOrrmeta(base + ["--shard", "\(i)/3", "-o", "p\(i).json"], directory: dir.path) }
    _ = try runOrrmeta(base + ["--seed", "2", "--shard", "3/3", "-o", "other.json"], directory: dir.path)

    let missing = try runOrrmeta(["merge", "p1.json", "p3.json", "--out", "m.json"], directory: dir.path)
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("missing part 2/3"))
    let twice = try runOrrmeta(["merge", "p1.json", "p2.json", "p2.json", "p3.json", "--out", "m.json"], directory: dir.path)
    #expect(twice.status == 65 && twice.stderr.contains("given twice"))
    let foreign = try runOrrmeta(["merge", "p1.json", "p2.json", "other.json", "--out", "m.json"], directory: dir.path)
    #expect(foreign.status == 65 && foreign.stderr.contains("another analysis"))
    try dir.write("alk.csv", String(decoding: try dir.read("alk.csv"), as: UTF8.self) + "\n")
    let changed = try runOrrmeta(["merge", "p1.json", "p2.json", "p3.json", "--out", "m.json"], directory: dir.path)
    #expect(changed.status == 65 && changed.stderr.contains("has changed"))
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/m.json"))

    // --shard needs a random analysis to split.
    let usage = try runOrrmeta(["sensitivity", "alk.csv", "--leave-one-out", "--shard", "1/2"], directory: dir.path)
    #expect(usage.status == 64)
    let exhaustive = try runOrrmeta(["sensitivity", "alk.csv", "--gosh", "--subsets", "4000000000000000000", "--shard", "1/2"], directory: dir.path)
    #expect(exhaustive.status == 64, "\(exhaustive.stderr)")
  }
}
