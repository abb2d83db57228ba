// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `batch --layout flat`: the same result files, byte for byte, at `results/<path>.<analysis>.json`;
/// shards and `merge` and `--resume` agree on them.
@Suite struct BatchFlatLayoutTests {
  static let spec = """
    [analyses.reml]
    test = "knha"

    [analyses.dl]
    method = "DL"
    """

  @Test func flatPathsBelowTheInputsRoot() {
    func path(_ file: String, among files: [String]) -> String {
      BatchLayout.resultPath(file: file, analysis: "reml", root: .init(files: files), style: .flat)
    }
    let files = ["data/sub/g01.csv", "data/g02.csv"]
    #expect(path(files[0], among: files) == "results/sub/g01.csv.reml.json")
    #expect(path(files[1], among: files) == "results/g02.csv.reml.json")
    #expect(path("/data/in/a.csv", among: ["/data/in/a.csv"]) == "results/a.csv.reml.json")
    // Names with a dot can meet at one path only in the flat layout.
    let root = BatchLayout.InputRoot(files: ["d/a.csv", "d/a.csv.x"])
    let clash = BatchLayout.collision(files: ["d/a.csv", "d/a.csv.x"], analyses: ["x.y", "y"], root: root, style: .flat)
    #expect(clash?.0 == "d/a.csv × x.y" && clash?.1 == "d/a.csv.x × y")
    #expect(BatchLayout.collision(files: ["d/a.csv", "d/a.csv.x"], analyses: ["x.y", "y"], root: root, style: .nested) == nil)
    #expect(BatchLayout.collision(files: ["d/a.csv", "d/b.csv"], analyses: ["x.y", "y"], root: root, style: .flat) == nil)
    // A result file that another input's results need as a directory.
    let nestedRoot = BatchLayout.InputRoot(files: ["d/a.csv", "d/a.csv.y.json/b.csv"])
    let fileAndDirectory = BatchLayout.collision(files: ["d/a.csv", "d/a.csv.y.json/b.csv"], analyses: ["y"], root: nestedRoot, style: .flat)
    #expect(fileAndDirectory?.0 == "d/a.csv × y" && fileAndDirectory?.1 == "d/a.csv.y.json/b.csv × y")
  }

  @Test("a symbolic link below --out/results is never written through (batch and merge)")
  func resultDirectoryLinkIsRefused() throws {
    let dir = try TemporaryDirectory("link-out")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 2)
    try FileManager.default.createDirectory(atPath: dir.path + "/elsewhere", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: dir.path + "/out/results", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: dir.path + "/out/results/g0", withDestinationPath: dir.path + "/elsewhere")
    let run = try runOrrmeta(["batch", "corpus", "--out", "out", "--quiet"], directory: dir.path)
    #expect(run.status != 0, "\(run.stdout)\(run.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/elsewhere").isEmpty)
    let summary = try String(contentsOfFile: dir.path + "/out/summary.csv", encoding: .utf8)
    #expect(summary.contains("is not a directory (a symbolic link or a file)"), "\(summary)")
    // merge: the same link in the merged output directory.
    let shard = try runOrrmeta(["batch", "corpus", "--out", "shard", "--quiet"], directory: dir.path)
    #expect(shard.status == 0, "\(shard.stderr)")
    try FileManager.default.createDirectory(atPath: dir.path + "/merged/results", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: dir.path + "/merged/results/g0", withDestinationPath: dir.path + "/elsewhere")
    let merge = try runOrrmeta(["merge", "shard", "--out", "merged"], directory: dir.path)
    #expect(merge.status == 73, "\(merge.stderr)")
    #expect(merge.stderr.contains("refusing to write through it"), "\(merge.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/elsewhere").isEmpty)
  }

  @Test("an input file named inside --out is refused before anything is written (exit 66)")
  func inputInsideTheOutputDirectoryIsRefused() throws {
    let dir = try TemporaryDirectory("inside-out")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 1)
    let first = try runOrrmeta(["batch", "corpus", "--out", "out", "--quiet", "--layout", "flat"], directory: dir.path)
    #expect(first.status == 0, "\(first.stderr)")
    let results = filesUnder(dir.path + "/out").filter { $0.hasPrefix("results/") }
    let victim = try #require(results.first)
    let before = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/out/" + victim))
    let run = try runOrrmeta(["batch", "corpus", "out/" + victim, "--out", "out", "--quiet", "--layout", "flat"], directory: dir.path)
    #expect(run.status == 66, "\(run.stderr)")
    #expect(run.stderr.contains("out/" + victim) && run.stderr.contains("inside the output directory"), "\(run.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/out/" + victim)) == before)
  }

  @Test func flatRunHasTheNestedRunsBytesAtFlatPaths() throws {
    let dir = try TemporaryDirectory("flat")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 23)
    try dir.write("corpus/bad/ragged.csv", "study,events,n,arm\ns1,3,10,a\ns2,4,12\n")
    try dir.write("spec.toml", Self.spec)

    let nested = try runOrrmeta(["batch", "corpus", "--out", "nested", "--spec", "spec.toml", "--quiet"], directory: dir.path)
    #expect(nested.status == 3, "\(nested.stderr)")
    let flat = try runOrrmeta(["batch", "corpus", "--out", "flat", "--spec", "spec.toml", "--quiet", "--layout", "flat"], directory: dir.path)
    #expect(flat.status == 3, "\(flat.stderr)")

    // Every nested result file has its flat twin with the same bytes, and nothing else is there.
    let nestedResults = filesUnder(dir.path + "/nested").filter { $0.hasPrefix("results/") }
    let flatResults = filesUnder(dir.path + "/flat").filter { $0.hasPrefix("results/") }
    #expect(nestedResults.count == 23 * 2)
    #expect(Set(flatResults) == Set(nestedResults.map { $0.replacingOccurrences(of: ".csv/", with: ".csv.") }))
    for f in nestedResults {
      #expect(try dir.read("nested/" + f) == dir.read("flat/" + f.replacingOccurrences(of: ".csv/", with: ".csv.")), "\(f) differs")
    }
    // The summaries are the same; the manifest differs only in the result paths.
    for name in [BatchLayout.summaryCSV, BatchLayout.summaryJSONL, BatchLayout.errorsCSV] {
      #expect(try dir.read("nested/" + name) == dir.read("flat/" + name), "\(name) differs")
    }
    let manifest = String(decoding: try dir.read("nested/" + BatchLayout.manifest), as: UTF8.self)
    #expect(String(decoding: try dir.read("flat/" + BatchLayout.manifest), as: UTF8.self) == manifest.replacingOccurrences(of: ".csv/", with: ".csv."))
    #expect(try BatchRunInfo.read(path: dir.path + "/flat/batch.json").layout == "flat")
    #expect(try BatchRunInfo.read(path: dir.path + "/nested/batch.json").layout == nil)
    #expect(!String(decoding: try dir.read("nested/batch.json"), as: UTF8.self).contains("layout"))

    // --resume keeps every flat result; with the other layout it recomputes them.
    let again = try runOrrmeta(["batch", "corpus", "--out", "flat", "--spec", "spec.toml", "--resume", "--layout", "flat"], directory: dir.path)
    #expect(again.stderr.contains("2 computed, 46 unchanged and kept"), "\(again.stderr)")
    let other = try runOrrmeta(["batch", "corpus", "--out", "flat", "--spec", "spec.toml", "--resume"], directory: dir.path)
    #expect(!other.stderr.contains("unchanged and kept"), "\(other.stderr)")
    #expect(try dir.read("flat/" + BatchLayout.manifest) == dir.read("nested/" + BatchLayout.manifest))
  }

  @Test func flatShardsMergeAndMixedLayoutsAreRefused() throws {
    let dir = try TemporaryDirectory("flat-merge")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 11)
    try dir.write("spec.toml", Self.spec)
    let one = try runOrrmeta(["batch", "corpus", "--out", "one", "--spec", "spec.toml", "--quiet", "--layout", "flat"], directory: dir.path)
    #expect(one.status == 0, "\(one.stderr)")
    for i in 1...2 {
      let r = try runOrrmeta(
        ["batch", "corpus", "--out", "s\(i)", "--spec", "spec.toml", "--shard", "\(i)/2", "--quiet", "--layout", "flat"], directory: dir.path)
      #expect(r.status == 0, "\(r.stderr)")
    }
    let merged = try runOrrmeta(["merge", "s1", "s2", "--out", "merged", "--quiet"], directory: dir.path)
    #expect(merged.status == 0, "\(merged.stderr)")
    let files = filesUnder(dir.path + "/one")
    #expect(files == filesUnder(dir.path + "/merged"))
    for f in files { #expect(try dir.read("one/" + f) == dir.read("merged/" + f), "\(f) differs") }

    let nested2 = try runOrrmeta(["batch", "corpus", "--out", "n2", "--spec", "spec.toml", "--shard", "2/2", "--quiet"], directory: dir.path)
    #expect(nested2.status == 0, "\(nested2.stderr)")
    let mixed = try runOrrmeta(["merge", "s1", "n2", "--out", "mixed"], directory: dir.path)
    #expect(mixed.status == 65)
    #expect(mixed.stderr.contains("--layout"), "\(mixed.stderr)")
  }

  @Test func aFlatRunWhosePathsWouldMeetIsRefused() throws {
    let dir = try TemporaryDirectory("flat-clash")
    defer { dir.remove() }
    try dir.write("in/a.csv", "events,n\n3,10\n4,12\n")
    try dir.write("in/a.csv.x", "events,n\n3,10\n4,12\n")
    try dir.write("spec.toml", "[analyses.\"x.y\"]\n\n[analyses.y]\n")
    let r = try runOrrmeta(["batch", "in/a.csv", "in/a.csv.x", "--out", "out", "--spec", "spec.toml", "--layout", "flat"], directory: dir.path)
    #expect(r.status == 64)
    #expect(r.stderr.contains("would have the same result file"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
  }
}
