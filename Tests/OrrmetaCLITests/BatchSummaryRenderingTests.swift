// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import Testing

/// The summary files of a batch are rendered in pieces on several threads
/// (``BatchSummary/render(records:manifest:threads:)``); the bytes must be those of rendering
/// all records in one piece, whatever the thread count.
@Suite struct BatchSummaryRenderingTests {
  @Test("summaries rendered in pieces on 1, 2 and 3 threads equal the one-piece renderings, byte for byte")
  func piecesEqualOnePiece() throws {
    let dir = try TemporaryDirectory("batch-render")
    defer { dir.remove() }
    // 620 files (three pieces of about 250 records), seven of them failing (events > n).
    _ = try writeCorpus(in: dir, directory: "in", count: 613)
    for f in 0..<7 { try dir.write("in/bad\(f).csv", "study,events,n\ns1,5,3\n") }
    let files = try BatchInputs.expand([dir.path + "/in"])
    #expect(files.count == 620)
    let analysis = BatchAnalysis(name: "default", settings: AnalysisSettings(), columns: ColumnSelection())
    let outcome = try BatchRunner(files: files, analyses: [analysis], outputDirectory: dir.path + "/out", jobs: 2).run()
    #expect(outcome.completed == 620)
    #expect(outcome.failed == 7)

    let records = try BatchSummary.readManifest(path: dir.path + "/out/manifest.jsonl")
    #expect(records.count == 620)
    let csv = BatchSummary.csv(records), jsonLines = try BatchSummary.jsonLines(records)
    let errors = BatchSummary.errorsCSV(records), manifest = try BatchSummary.manifest(records)
    #expect(try dir.read("out/summary.csv") == Data(csv.utf8))
    #expect(try dir.read("out/summary.jsonl") == Data(jsonLines.utf8))
    #expect(try dir.read("out/errors.csv") == Data(errors.utf8))
    #expect(try dir.read("out/manifest.jsonl") == Data(manifest.utf8))
    #expect(csv.split(separator: "\n").count == 621)
    #expect(errors.split(separator: "\n").count == 8)

    // In any input order and on any number of threads.
    var generator = SystemRandomNumberGenerator()
    let shuffled = records.shuffled(using: &generator)
    for threads in [1, 2, 3] {
      let r = try BatchSummary.render(records: shuffled, manifest: shuffled, threads: threads)
      #expect(r.csv == csv, "threads \(threads)")
      #expect(r.jsonLines == jsonLines, "threads \(threads)")
      #expect(r.errorsCSV == errors, "threads \(threads)")
      #expect(r.manifest == manifest, "threads \(threads)")
    }
    // A manifest with more entries than records (an interrupted run carries earlier records
    // over), and one whose entry has another row than its record: those entries are encoded
    // whole, not spliced from the summary's lines.
    let fewer = Array(shuffled.prefix(400))
    let carried = try BatchSummary.render(records: fewer, manifest: shuffled, threads: 2)
    #expect(carried.manifest == manifest)
    #expect(carried.jsonLines == (try BatchSummary.jsonLines(fewer)))
    var changed = records
    changed[3].row.k = 999
    let other = try BatchSummary.render(records: records, manifest: changed, threads: 2)
    #expect(other.manifest == (try BatchSummary.manifest(changed)))
    #expect(other.manifest != manifest)
    #expect(other.jsonLines == jsonLines)

    // No records: the CSV headers alone and empty line files.
    let empty = try BatchSummary.render(records: [], manifest: [], threads: 2)
    #expect(empty.csv == BatchSummary.csv([]))
    #expect(empty.errorsCSV == BatchSummary.errorsCSV([]))
    #expect(empty.jsonLines.isEmpty && empty.manifest.isEmpty)
  }
}
