// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// A malformed file or a failed fit affects only its own rows.
@Suite struct BatchFaultIsolationTests {
  /// name → (content, expected line, expected column, fragment of the message), for files that
  /// fail in every analysis.
  static let malformed: [String: (String, Int?, String?, String)] = [
    "ragged.csv": ("events,n\n3,10\n4,12,7\n", 3, nil, "row has 3 fields; expected 2"),
    "text.csv": ("events,n\n3,ten\n", 2, "n", "value 'ten' is invalid"),
    "impossible.csv": ("events,n\n3,10\n12,10\n", 3, "events", "events = 12 is larger than n = 10"),
    "twice.csv": ("events,n,n\n3,10,10\n", 1, "n", "duplicate column name 'n'"),
    "empty.csv": ("", nil, nil, "the file is empty"),
    "binary.csv": ("events,n\n\u{0}\u{0}\u{1}\n", 2, nil, "NUL byte"),
    "nocolumns.csv": ("a,b\n1,2\n", 1, nil, "no n (patients) column"),
    "quote.csv": ("events,n\n\"3,10\n", 2, nil, "unterminated quoted field"),
    "headeronly.csv": ("events,n\n", nil, nil, "no cohort rows"),
  ]

  @Test func goodAndMalformedFilesGetTheirOwnRows() throws {
    let dir = try TemporaryDirectory("faults")
    defer { dir.remove() }
    try dir.write("in/good.csv", "study,events,n\na,12,40\nb,20,50\nc,7,30\n")
    try dir.write("in/zero.csv", "study,events,n\na,0,40\nb,20,50\nc,7,30\n")
    for (name, file) in Self.malformed { try dir.write("in/" + name, file.0) }

    let analyses = [
      BatchAnalysis(name: "default", settings: AnalysisSettings(), columns: ColumnSelection()),
      // No continuity correction: the logit of 0 events is undefined, so zero.csv fails here only.
      BatchAnalysis(name: "strict", settings: AnalysisSettings(to: ZeroCellRule.none), columns: ColumnSelection()),
    ]
    let files = try BatchInputs.expand([dir.path + "/in"])
    let out = dir.path + "/out"
    let outcome = try BatchRunner(files: files, analyses: analyses, outputDirectory: out, jobs: 3).run()
    #expect(outcome.completed == 2 * (Self.malformed.count + 2))
    #expect(outcome.failed == 2 * Self.malformed.count + 1)
    #expect(outcome.interruption == nil)

    let rows = try summaryRows(out)
    func row(_ file: String, _ analysis: String) -> [String: Any]? {
      rows.first { ($0["file"] as? String) == dir.path + "/in/" + file && ($0["analysis"] as? String) == analysis }
    }
    for analysis in ["default", "strict"] {
      let good = try #require(row("good.csv", analysis))
      #expect(good["status"] as? String == "ok")
      #expect(good["k"] as? Int == 3)
      #expect(good["n_total"] as? Int == 120)
      #expect(good["events_total"] as? Int == 39)
      #expect(FileManager.default.fileExists(atPath: out + "/" + BatchLayout.resultPath(file: dir.path + "/in/good.csv", analysis: analysis, root: .init(files: files))))
      for (name, expected) in Self.malformed {
        let r = try #require(row(name, analysis))
        #expect(r["status"] as? String == "error", "\(name)")
        let message = try #require(r["error"] as? String)
        #expect(message.contains(expected.3), "\(name): \(message)")
        #expect(!FileManager.default.fileExists(atPath: out + "/" + BatchLayout.resultPath(file: dir.path + "/in/" + name, analysis: analysis, root: .init(files: files))))
      }
    }
    #expect(row("zero.csv", "default")?["status"] as? String == "ok")
    #expect(row("zero.csv", "strict")?["status"] as? String == "error")
    #expect((row("zero.csv", "strict")?["error"] as? String)?.contains("undefined") == true)

    // errors.csv: file, analysis, line, column, message; a file that fails in every analysis
    // with the same error is one row with analysis "*" (issue 12, item 11).
    let errors = try CSVTable.parse(data: try Data(contentsOf: URL(fileURLWithPath: out + "/errors.csv")), file: "errors.csv")
    #expect(errors.header == BatchSummary.errorColumns)
    #expect(errors.records.count == Self.malformed.count + 1)
    #expect(errors.records.filter { $0[0] == dir.path + "/in/zero.csv" }.map { $0[1] } == ["strict"])
    for (name, expected) in Self.malformed {
      let matching = errors.records.filter { $0[0] == dir.path + "/in/" + name }
      #expect(matching.map { $0[1] } == ["*"], "\(name)")
      for record in matching {
        #expect(record[2] == (expected.1.map(String.init) ?? ""), "\(name) line")
        #expect(record[3] == (expected.2 ?? ""), "\(name) column")
        #expect(record[4].contains(expected.3), "\(name) message")
      }
    }
  }

  @Test func theCommandExitsWith3AndEachResultIsThePoolContract() throws {
    let dir = try TemporaryDirectory("faults-cli")
    defer { dir.remove() }
    try dir.write("in/good.csv", "study,events,n\na,12,40\nb,20,50\nc,7,30\n")
    try dir.write("in/text.csv", "events,n\n3,ten\n")
    let batch = try runOrrmeta(["batch", "in", "--out", "out", "--quiet", "--test", "knha"], directory: dir.path)
    #expect(batch.status == 3)
    #expect(batch.stderr.isEmpty, "\(batch.stderr)")

    let pool = try runOrrmeta(["pool", "in/good.csv", "--test", "knha", "--format", "json"], directory: dir.path)
    #expect(pool.status == 0)
    let result = try dir.read("out/" + BatchLayout.resultPath(file: "in/good.csv", analysis: "default", root: .init(files: ["in/good.csv", "in/text.csv"])))
    #expect(String(decoding: result, as: UTF8.self) == pool.stdout)

    let allGood = try runOrrmeta(["batch", "in/good.csv", "--out", "out2", "--quiet"], directory: dir.path)
    #expect(allGood.status == 0)
  }
}
