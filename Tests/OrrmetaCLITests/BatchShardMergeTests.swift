// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `batch --shard I/N` + `merge` reproduce one run byte for byte.
@Suite struct BatchShardMergeTests {
  static let spec = """
    [analyses.reml]
    test = "knha"

    [analyses.dl]
    method = "DL"

    [analyses.by-arm]
    by = "arm"
    """

  @Test func fourShardsAndMergeGiveTheBytesOfOneRun() throws {
    let dir = try TemporaryDirectory("shards")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 37)
    try dir.write("corpus/bad/ragged.csv", "study,events,n,arm\ns1,3,10,a\ns2,4,12\n")
    try dir.write("spec.toml", Self.spec)

    let one = try runOrrmeta(["batch", "corpus", "--out", "one", "--spec", "spec.toml", "--quiet"], directory: dir.path)
    #expect(one.status == 3, "\(one.stderr)")
    var shardItems: [Int] = []
    for i in 1...4 {
      let r = try runOrrmeta(["batch", "corpus", "--out", "s\(i)", "--spec", "spec.toml", "--shard", "\(i)/4", "--jobs", "2", "--quiet"], directory: dir.path)
      #expect(r.status == 0 || r.status == 3, "\(r.stderr)")
      shardItems.append(try BatchRunInfo.read(path: dir.path + "/s\(i)/batch.json").shard_items)
    }
    // 38 files × 3 analyses = 114 pairs, dealt out 29, 29, 28, 28.
    #expect(shardItems == [29, 29, 28, 28])

    let merged = try runOrrmeta(["merge", "s1", "s2", "s3", "s4", "--out", "merged", "--quiet"], directory: dir.path)
    #expect(merged.status == 3, "\(merged.stderr)")
    for name in [BatchLayout.summaryCSV, BatchLayout.summaryJSONL, BatchLayout.errorsCSV, BatchLayout.manifest, BatchLayout.runInfo] {
      #expect(try dir.read("one/" + name) == dir.read("merged/" + name), "\(name) differs")
    }
    // The result files too: the same set, the same bytes.
    let files = filesUnder(dir.path + "/one")
    #expect(files == filesUnder(dir.path + "/merged"))
    for f in files where f.hasPrefix("results/") {
      #expect(try dir.read("one/" + f) == dir.read("merged/" + f), "\(f) differs")
    }
    #expect(try summaryRows(dir.path + "/merged").count == 114)
  }

  @Test func mergeRefusesMissingRepeatedAndForeignShards() throws {
    let dir = try TemporaryDirectory("merge-checks")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 6)
    for i in 1...3 {
      _ = try runOrrmeta(["batch", "corpus", "--out", "s\(i)", "--shard", "\(i)/3", "--quiet"], directory: dir.path)
    }
    _ = try runOrrmeta(["batch", "corpus", "--out", "other", "--shard", "3/3", "--method", "DL", "--quiet"], directory: dir.path)

    let missing = try runOrrmeta(["merge", "s1", "s3", "--out", "m"], directory: dir.path)
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("shard 2/3 missing"))

    let repeated = try runOrrmeta(["merge", "s1", "s2", "s3", "s3", "--out", "m"], directory: dir.path)
    #expect(repeated.status == 65)
    #expect(repeated.stderr.contains("given twice") || repeated.stderr.contains("also in"))

    let foreign = try runOrrmeta(["merge", "s1", "s2", "other", "--out", "m"], directory: dir.path)
    #expect(foreign.status == 65)
    #expect(foreign.stderr.contains("not a shard of the same batch"))

    // Shard 2 run on the same files named differently (absolute paths): another batch.
    _ = try runOrrmeta(["batch", dir.path + "/corpus", "--out", "abs2", "--shard", "2/3", "--quiet"], directory: dir.path)
    let renamed = try runOrrmeta(["merge", "s1", "abs2", "s3", "--out", "m"], directory: dir.path)
    #expect(renamed.status == 65)
    #expect(renamed.stderr.contains("not a shard of the same batch"))

    let notBatch = try runOrrmeta(["merge", "corpus", "--out", "m"], directory: dir.path)
    #expect(notBatch.status == 66)

    let ok = try runOrrmeta(["merge", "s3", "s1", "s2", "--out", "m", "--quiet"], directory: dir.path)
    #expect(ok.status == 0, "\(ok.stderr)")
  }

  @Test func shardsPartitionTheWorkList() {
    for n in 1...5 {
      let shards = (1...n).map { BatchShard(index: $0, count: n)! }
      for position in 0..<23 {
        #expect(shards.filter { $0.contains(position: position) }.count == 1)
      }
    }
    #expect(BatchShard("2/4") == BatchShard(index: 2, count: 4))
    #expect(BatchShard("0/4") == nil)
    #expect(BatchShard("5/4") == nil)
    #expect(BatchShard("1/0") == nil)
    #expect(BatchShard("-1/4") == nil)
    #expect(BatchShard("2") == nil)
  }
}
