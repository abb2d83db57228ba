// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
@testable import OrrmetaIO
@testable import OrrmetaPipelines
@testable import OrrmetaReports
import Testing

/// The output does not depend on the number of threads or on input order.
@Suite struct BatchDeterminismTests {
  @Test func oneAndFourJobsGiveIdenticalOutputs() throws {
    let dir = try TemporaryDirectory("jobs")
    defer { dir.remove() }
    let files = try writeCorpus(in: dir, count: 60).map { dir.path + "/" + $0 }
    try dir.write("corpus/bad.csv", "events,n\n1,2,3\n")
    let analyses = [
      BatchAnalysis(name: "reml", settings: AnalysisSettings(test: .knha), columns: ColumnSelection()),
      BatchAnalysis(name: "pooled", settings: AnalysisSettings(method: .pooled, studyInterval: .wilson), columns: ColumnSelection()),
      BatchAnalysis(name: "arm", settings: AnalysisSettings(method: .DL), columns: ColumnSelection(by: "arm")),
    ]
    let all = files + [dir.path + "/corpus/bad.csv"]
    let one = try BatchRunner(files: all, analyses: analyses, outputDirectory: dir.path + "/j1", jobs: 1).run()
    let four = try BatchRunner(files: all.reversed(), analyses: analyses.reversed(), outputDirectory: dir.path + "/j4", jobs: 4).run()
    #expect(one == four)
    #expect(one.completed == 183 && one.failed == 3)
    for name in [BatchLayout.summaryCSV, BatchLayout.summaryJSONL, BatchLayout.errorsCSV, BatchLayout.manifest, BatchLayout.runInfo] {
      #expect(try dir.read("j1/" + name) == dir.read("j4/" + name), "\(name)")
    }
    let written = filesUnder(dir.path + "/j1")
    #expect(written == filesUnder(dir.path + "/j4"))
    for f in written { #expect(try dir.read("j1/" + f) == dir.read("j4/" + f), "\(f)") }

    // Rows are sorted by file, then analysis (UTF-8 byte order).
    let rows = try summaryRows(dir.path + "/j1").map { (try #require($0["file"] as? String), try #require($0["analysis"] as? String)) }
    #expect(rows.map { "\($0.0)\u{0}\($0.1)" } == rows.map { "\($0.0)\u{0}\($0.1)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
  }

  @Test func summaryRowsRenderAsDocumented() throws {
    var row = BatchRow(file: "a \"quoted\", path.csv", analysis: "x", error: "line 2: bad\nvalue")
    let k = BatchRow.columns.firstIndex(of: "k")!
    #expect(row.csvFields[k] == "")  // k of an error row: empty
    let line = try JSONOutput.encode(row, pretty: false)
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(parsed["file"] as? String == row.file)
    #expect(parsed["error"] as? String == row.error)
    #expect(parsed["k"] is NSNull)
    #expect(line.hasSuffix("}\n"))
    row.status = "ok"
    #expect(row.csvFields[k] == "NA")  // an undefined number of an ok row
    let keys = line.dropFirst().split(separator: ",").compactMap { $0.split(separator: ":").first }.filter { $0.hasPrefix("\"") }
    #expect(keys.first == "\"analysis\"")  // keys in UTF-8 byte order, as in every JSON output
  }
}
