// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// SIGINT stops a batch cleanly: no partial or temporary file, a summary of what finished,
/// and `--resume` completes it to the summary of an uninterrupted run.
///
/// The signal is sent once the first result exists. Whether the run is still going at that
/// moment depends on the machine; every assertion holds either way (the run is then simply
/// complete, exit 0), so the test does not depend on timing.
@Suite struct BatchInterruptTests {
  @Test func sigintLeavesOnlyCompleteFilesAndResumeFinishes() throws {
    let dir = try TemporaryDirectory("sigint")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 800)

    let (process, wait) = try startOrrmeta(["batch", "corpus", "--out", "out", "--jobs", "2"], in: dir.path)
    let results = dir.path + "/out/results"
    let deadline = Date().addingTimeInterval(300)
    while process.isRunning, Date() < deadline {
      if let walker = FileManager.default.enumerator(atPath: results),
        walker.contains(where: { ($0 as? String)?.hasSuffix(".json") == true })
      {
        break
      }
      usleep(20_000)
    }
    if process.isRunning { kill(process.processIdentifier, SIGINT) }
    let result = wait()
    #expect(result.status == 130 || result.status == 0, "\(result.stderr)")
    let interrupted = result.status == 130
    if interrupted { #expect(result.stderr.contains("SIGINT")) }

    let out = dir.path + "/out"
    try checkConsistent(out, interrupted: interrupted)

    // --resume finishes the job; the summary is that of one uninterrupted run.
    let resumed = try runOrrmeta(["batch", "corpus", "--out", "out", "--resume"], directory: dir.path)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    if interrupted { #expect(resumed.stderr.contains("unchanged and kept")) }
    let fresh = try runOrrmeta(["batch", "corpus", "--out", "fresh", "--quiet"], directory: dir.path)
    #expect(fresh.status == 0)
    for name in [BatchLayout.summaryCSV, BatchLayout.summaryJSONL, BatchLayout.errorsCSV, BatchLayout.manifest, BatchLayout.runInfo] {
      #expect(try dir.read("out/" + name) == dir.read("fresh/" + name), "\(name)")
    }
  }

  /// Every file parses, no temporary file is left, and the summary, the manifest and the
  /// results describe the same pairs.
  func checkConsistent(_ out: String, interrupted: Bool) throws {
    let files = filesUnder(out)
    #expect(!files.contains { ($0 as NSString).lastPathComponent.hasPrefix(".") }, "temporary files left")
    let info = try BatchRunInfo.read(path: out + "/batch.json")
    #expect(info.interrupted == interrupted)
    let summary = try CSVTable.parse(data: try Data(contentsOf: URL(fileURLWithPath: out + "/summary.csv")), file: "summary.csv")
    #expect(summary.header == BatchRow.columns)
    #expect(summary.records.count == info.completed)
    let rows = try summaryRows(out)
    #expect(rows.count == info.completed)
    let manifest = try BatchSummary.readManifest(path: out + "/manifest.jsonl")
    #expect(manifest.count == info.completed)
    _ = try CSVTable.parse(data: try Data(contentsOf: URL(fileURLWithPath: out + "/errors.csv")), file: "errors.csv")
    let results = files.filter { $0.hasPrefix("results/") }
    for r in results {
      #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + r)))) != nil, "\(r) does not parse")
    }
    #expect(Set(results) == Set(manifest.compactMap(\.result)))
    if interrupted { #expect(info.completed < info.shard_items) } else { #expect(info.completed == info.shard_items) }
  }

  @Test func aCancelledRunWritesAnEmptyConsistentSummary() throws {
    let dir = try TemporaryDirectory("cancelled")
    defer { dir.remove() }
    let files = try writeCorpus(in: dir, count: 5).map { dir.path + "/" + $0 }
    let cancellation = BatchCancellation()
    cancellation.cancel(reason: "SIGTERM")
    let outcome = try BatchRunner(
      files: files, analyses: [BatchAnalysis(name: "default", settings: AnalysisSettings(), columns: ColumnSelection())],
      outputDirectory: dir.path + "/out"
    ).run(cancellation: cancellation)
    #expect(outcome.interruption == "SIGTERM")
    #expect(outcome.completed == 0)
    try checkConsistent(dir.path + "/out", interrupted: true)
  }
}
