// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing

/// `--resume` recomputes exactly the pairs whose input or settings changed.
@Suite struct BatchResumeTests {
  static func runner(_ files: [String], out: String, method: PoolingMethod = .REML, resume: Bool) -> BatchRunner {
    BatchRunner(
      files: files,
      analyses: [
        BatchAnalysis(name: "main", settings: AnalysisSettings(method: method), columns: ColumnSelection()),
        BatchAnalysis(name: "by-arm", settings: AnalysisSettings(), columns: ColumnSelection(by: "arm")),
      ],
      outputDirectory: out, jobs: 2, resume: resume)
  }

  @Test func onlyChangedInputsAndSettingsAreRecomputed() throws {
    let dir = try TemporaryDirectory("resume")
    defer { dir.remove() }
    let files = try writeCorpus(in: dir, count: 20).map { dir.path + "/" + $0 }
    let out = dir.path + "/out"

    let first = try Self.runner(files, out: out, resume: true).run()
    #expect(first.computed == 40 && first.reused == 0 && first.failed == 0)
    let summary = try dir.read("out/summary.csv")
    let manifest = try dir.read("out/manifest.jsonl")

    // Nothing changed: nothing recomputed, the same bytes.
    let again = try Self.runner(files, out: out, resume: true).run()
    #expect(again.computed == 0 && again.reused == 40)
    #expect(try dir.read("out/summary.csv") == summary)
    #expect(try dir.read("out/manifest.jsonl") == manifest)

    // Rewriting a file with the same bytes is not a change (content hash, not mtime).
    let same = try String(contentsOfFile: files[3], encoding: .utf8)
    try Data(same.utf8).write(to: URL(fileURLWithPath: files[3]))
    #expect(try Self.runner(files, out: out, resume: true).run().computed == 0)

    // One file's content changes: its two pairs only.
    try Data((same + "extra,5,25,a\n").utf8).write(to: URL(fileURLWithPath: files[7]))
    let changed = try Self.runner(files, out: out, resume: true).run()
    #expect(changed.computed == 2 && changed.reused == 38)
    let rows = try summaryRows(out)
    let row = try #require(rows.first { $0["file"] as? String == files[7] && $0["analysis"] as? String == "main" })
    #expect(row["k"] as? Int == same.split(separator: "\n").count)  // header + k lines, plus one
    let records = try BatchSummary.readManifest(path: out + "/manifest.jsonl")
    let record = try #require(records.first { $0.file == files[7] })
    #expect(record.input_sha256 == SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: files[7]))))

    // A deleted result is recomputed.
    try FileManager.default.removeItem(atPath: out + "/" + BatchLayout.resultPath(file: files[11], analysis: "by-arm", root: .init(files: files)))
    let deleted = try Self.runner(files, out: out, resume: true).run()
    #expect(deleted.computed == 1)

    // One analysis' settings change: all of its pairs, none of the other's.
    let settings = try Self.runner(files, out: out, method: .DL, resume: true).run()
    #expect(settings.computed == 20 && settings.reused == 20)

    // Without --resume everything is recomputed.
    #expect(try Self.runner(files, out: out, method: .DL, resume: false).run().computed == 40)
  }

  @Test func failedPairsAreAlwaysRetried() throws {
    let dir = try TemporaryDirectory("resume-errors")
    defer { dir.remove() }
    let bad = try dir.write("in/bad.csv", "events,n\n3,x\n")
    let good = try dir.write("in/good.csv", "events,n\n3,10\n4,12\n")
    let out = dir.path + "/out"
    let first = try Self.runner([bad, good], out: out, resume: true).run()
    #expect(first.failed == 3)  // bad.csv twice; good.csv has no column 'arm' for by-arm
    try Data("events,n\n3,10\n".utf8).write(to: URL(fileURLWithPath: bad))
    let second = try Self.runner([bad, good], out: out, resume: true).run()
    #expect(second.computed == 3 && second.reused == 1)  // every failure retried; good × main kept
    #expect(second.failed == 2)
  }

  @Test func theSettingsHashIgnoresSpellingButNotChoices() {
    let a = BatchAnalysis(name: "x", settings: AnalysisSettings(), columns: ColumnSelection())
    let b = BatchAnalysis(name: "y", settings: AnalysisSettings(level: try! ConfidenceLevel(0.95)), columns: ColumnSelection())
    let c = BatchAnalysis(name: "x", settings: AnalysisSettings(add: 0.5), columns: ColumnSelection())
    let d = BatchAnalysis(name: "x", settings: AnalysisSettings(), columns: ColumnSelection(by: "arm"))
    #expect(a.settingsHash == b.settingsHash)
    #expect(a.settingsHash != c.settingsHash)  // explicit add differs from the measure's default in metafor's rules
    #expect(a.settingsHash != d.settingsHash)
  }
}
