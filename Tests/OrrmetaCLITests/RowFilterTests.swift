// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `--exclude LABEL…` and `--where COL=VALUE`: the analysis of the filtered file is the analysis
/// of a file without those rows, the filters are echoed in every output, and a label, column or
/// value that matches nothing is an error naming it.
@Suite("Row filters: --exclude and --where")
struct RowFilterTests {
  static let full = """
    study,events,n,line,median_pfs_months
    A,12,40,naive,10.1
    B,30,50,naive,12.4
    C,8,45,pretreated,7.2
    D,25,60,pretreated,9.8
    E,18,30,naive,15.0

    """
  /// The same file without B and without the pretreated rows.
  static let naiveWithoutB = """
    study,events,n,line,median_pfs_months
    A,12,40,naive,10.1
    E,18,30,naive,15.0

    """

  func write(_ text: String, _ name: String, in dir: String) throws -> String {
    let path = "\(dir)/\(name)"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func json(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(args + ["--format", "json"])
    #expect(r.status == 0, "\(args): \(r.stderr)")
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
  }

  /// The value at a path of keys.
  func at(_ object: [String: Any], _ path: String...) -> Any? {
    var current: Any? = object
    for key in path { current = (current as? [String: Any])?[key] }
    return current
  }

  @Test("pool, pfs: filtered = the file without those rows; the filters are echoed in JSON and text")
  func sameAsSubset() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let full = try write(Self.full, "full.csv", in: dir)
    let subset = try write(Self.naiveWithoutB, "subset.csv", in: dir)
    let filters = ["--exclude", "B", "--where", "line=naive"]
    let filtered = try json(["pool", full] + filters)
    let reference = try json(["pool", subset])
    #expect(number(filtered["k"]) == 2)
    #expect(number(at(filtered, "pooled", "proportion")) == number(at(reference, "pooled", "proportion")))
    #expect(number(at(filtered, "heterogeneity", "tau2")) == number(at(reference, "heterogeneity", "tau2")))
    #expect(at(filtered, "input", "filters") as? [String] == ["--exclude B", "--where line=naive"])
    #expect(at(reference, "input", "filters") as? [String] == [])
    // 30/70 pooled by counts
    let pooled = try json(["pool", full, "--method", "pooled", "--where", "line=naive", "--exclude", "B"])
    #expect(abs(number(at(pooled, "pooled", "proportion")) - 30.0 / 70.0) < 1e-12)
    let notEqual = try json(["pool", full, "--method", "pooled", "--where", "line!=naive"])
    #expect(abs(number(at(notEqual, "pooled", "proportion")) - 33.0 / 105.0) < 1e-12)

    let text = try runOrrmeta(["pool", full] + filters)
    #expect(text.stdout.contains("Row filters: --exclude B, --where line=naive\n"))
    let markdown = try runOrrmeta(["pool", full, "--format", "markdown"] + filters)
    #expect(markdown.stdout.contains("| row filters | --exclude B, --where line=naive |"))
    let pfs = try runOrrmeta(["pfs", full, "--exclude", "B", "E", "--bootstrap-replicates", "0", "--format", "json"])
    #expect(pfs.status == 0, "\(pfs.stderr)")
    let p = try JSONSerialization.jsonObject(with: Data(pfs.stdout.utf8)) as? [String: Any] ?? [:]
    #expect(at(p, "input", "filters") as? [String] == ["--exclude B", "--exclude E"])
    let regress = try runOrrmeta(["regress", full, "--mods", "line", "--exclude", "A"])
    #expect(regress.status == 0 && regress.stdout.contains("Row filters: --exclude A\n"), "\(regress.stderr)")
    let report = try runOrrmeta(["report", full, "--where", "line!=pretreated", "-o", "-"])
    #expect(report.status == 0 && report.stdout.contains("<th>Row filters</th><td>--where line!=pretreated</td>"), "\(report.stderr)")
    let forest = try runOrrmeta(["plot", "forest", full, "--exclude", "C", "-o", "-"])
    #expect(forest.status == 0 && forest.stdout.contains(">Row filters: --exclude C</text>"), "\(forest.stderr)")
    let sensitivity = try runOrrmeta(["sensitivity", full, "--leave-one-out", "--where", "line=naive"])
    #expect(sensitivity.status == 0 && sensitivity.stdout.contains("Row filters: --where line=naive\n"), "\(sensitivity.stderr)")
  }

  @Test("a label, column or value that matches nothing is an error naming it; a filter that leaves nothing too")
  func errors() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let full = try write(Self.full, "full.csv", in: dir)
    let cases: [([String], Int32, String)] = [
      (["--exclude", "Z"], 65, "--exclude Z: no cohort has this label; the labels are: 'A', 'B', 'C', 'D', 'E'"),
      (["--where", "arm=x"], 65, "no column named 'arm' for --where arm=x; the columns are: study, events, n, line, median_pfs_months"),
      (["--where", "line=second"], 65, "--where line=second: no row has 'second' in column 'line'; its values are: 'naive', 'pretreated'"),
      (["--where", "line"], 64, "--where 'line' is invalid; expected COL=VALUE or COL!=VALUE"),
      (["--where", "line=naive", "--exclude", "A", "B", "E"], 65, "leave(s) no cohort of the 5 in the file"),
    ]
    for (args, status, message) in cases {
      let r = try runOrrmeta(["pool", full] + args)
      #expect(r.status == status, "\(args): \(r.stderr)")
      #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
    }
    let plot = try runOrrmeta(["plot", "forest", full, "--exclude", "Q", "--output", "\(dir)/f.svg"])
    #expect(plot.status == 65 && plot.stderr.contains("--exclude Q: no cohort has this label"))
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/f.svg"))
  }

  @Test("reproduce: the filtered cohort table, echoed in text and JSON")
  func reproduce() throws {
    let r = try runOrrmeta(["reproduce", "--exclude", "PROFILE1001_crizotinib", "--bootstrap-replicates", "0"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Row filters: --exclude PROFILE1001_crizotinib\n"))
    #expect(r.stdout.contains("60 / 5566"), "\(r.stdout.prefix(2000))")
    let json = try runOrrmeta(["reproduce", "--where", "generation!=chemo", "--bootstrap-replicates", "0", "--format", "json"])
    let out = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
    #expect(out["row_filters"] as? [String] == ["--where generation!=chemo"])
  }
}
