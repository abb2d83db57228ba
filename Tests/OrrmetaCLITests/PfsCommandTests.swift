// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta pfs`, run as the built binary.
@Suite("orrmeta pfs")
struct PfsCommandTests {
  struct Report: Decodable {
    struct LeftOut: Decodable {
      var count: Int
      var empty: Int
      var not_reached: Int
      var not_reported: Int
      var labels: [String]
    }
    struct Block: Decodable {
      var name: String
      var k: Int
      var total_weight: Double?
      var weighted_median: Double?
      var sign_test_ci_lower: Double?
      var sign_test_ci_upper: Double?
      var sign_test_probabilities: [Double]?
      var bootstrap_ci_lower: Double?
      var bootstrap_ci_upper: Double?
      var left_out: LeftOut
    }
    struct Settings: Decodable {
      var method: String
      var bootstrap_replicates: Int
      var seed: UInt64
    }
    var settings: Settings
    var overall: Block
    var subgroups: [Block]?
  }

  func decode(_ r: CLIResult) throws -> Report {
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
  }

  @Test("weighted median PFS by line equals the R computation (both definitions)")
  func byLine() throws {
    let e = try SourcedExpected.load().sourced
    for method in ["cumulative", "interpolated"] {
      let rep = try decode(try runOrrmeta([
        "pfs", "Fixtures/alk-nsclc/cohorts.csv", "--by", "line", "--format", "json", "--median-method", method,
      ]))
      #expect(rep.settings.method == method)
      let groups = try #require(rep.subgroups)
      #expect(groups.map(\.name) == ["pretreated", "naive"])
      for g in groups {
        let w = try #require(e[g.name]?.weighted_median_pfs)
        let q = method == "cumulative" ? w.cumulative : w.interpolated
        #expect(g.weighted_median == q.median, "\(method) \(g.name)")
        #expect(g.sign_test_ci_lower == q.sign_test[0] && g.sign_test_ci_upper == q.sign_test[1], "\(method) \(g.name)")
        #expect(g.k == w.k && g.total_weight == w.n)
        #expect(g.left_out.count == w.left_out && g.left_out.labels == w.left_out_labels)
        #expect(g.left_out.empty == w.left_out && g.left_out.not_reached == 0)
        let p = try #require(g.sign_test_probabilities)
        #expect(abs(p[0] - w.sign_test_probabilities[0]) < 1e-12 && abs(p[1] - w.sign_test_probabilities[1]) < 1e-12)
      }
      #expect(rep.overall.k == 41 && rep.overall.left_out.count == 20)
    }
  }

  @Test("same seed, same bootstrap; --bootstrap-replicates 0 turns it off")
  func seeds() throws {
    let args = ["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--format", "json", "--seed", "5", "--bootstrap-replicates", "300"]
    let a = try runOrrmeta(args), b = try runOrrmeta(args)
    #expect(a.status == 0 && a.stdout == b.stdout)
    let rep = try decode(a)
    #expect(rep.settings.seed == 5 && rep.settings.bootstrap_replicates == 300)
    let lo = try #require(rep.overall.bootstrap_ci_lower), hi = try #require(rep.overall.bootstrap_ci_upper)
    let m = try #require(rep.overall.weighted_median)
    #expect(lo <= m && m <= hi)
    let off = try decode(try runOrrmeta(["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--format", "json", "--bootstrap-replicates", "0"]))
    #expect(off.overall.bootstrap_ci_lower == nil)
  }

  @Test("NR and NA cells are left out and counted by reason")
  func missingKinds() throws {
    let path = try writeTemporaryFile("pfs.csv", """
      cohort,n,median_pfs_months
      a,100,10.0
      b,50,NR
      c,40,NA
      d,30,
      e,20,not reached
      f,60,8.0
      """)
    let rep = try decode(try runOrrmeta(["pfs", path, "--format", "json", "--bootstrap-replicates", "0"]))
    #expect(rep.overall.k == 2 && rep.overall.weighted_median == 10.0)
    #expect(rep.overall.left_out.count == 4)
    #expect(rep.overall.left_out.not_reached == 2 && rep.overall.left_out.not_reported == 1 && rep.overall.left_out.empty == 1)
    #expect(rep.overall.left_out.labels == ["b", "c", "d", "e"])
  }

  @Test("bad cells name the file, the line and the column, and exit 65", arguments: [
    ("abc", "value 'abc' is invalid; expected a median"),
    (">24", "a bound is not a median: write NR"),
    ("-3", "a negative time is impossible"),
    ("12,5", "use a dot as the decimal separator"),
  ])
  func badCell(cell: String, message: String) throws {
    let path = try writeTemporaryFile("bad.csv", "cohort,n,median_pfs_months\na,100,10.0\nb,50,\"\(cell)\"\n")
    let r = try runOrrmeta(["pfs", path])
    #expect(r.status == 65)
    #expect(r.stderr.hasPrefix("orrmeta: error: \(path):3: column 'median_pfs_months': "), "\(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test("a cohort with a median needs a weight")
  func missingWeight() throws {
    let path = try writeTemporaryFile("w.csv", "cohort,n,median_pfs_months\na,,10.0\n")
    let r = try runOrrmeta(["pfs", path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("\(path):2: column 'n': value '' is invalid; expected a positive weight"))
  }

  @Test("header, file and usage errors", arguments: [
    (["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--value-column", "median_os"], Int32(65), "no column named 'median_os' for the medians (--value-column)"),
    (["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--weights", "size"], Int32(65), "no column named 'size' for the weights (--weights)"),
    (["pfs", "/nonexistent.csv"], Int32(66), "orrmeta: error: /nonexistent.csv: cannot read file: no such file"),
    (["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--bootstrap-replicates=-5"], Int32(64), "--bootstrap-replicates -5 is invalid"),
    (["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--median-method", "mean"], Int32(64), "--median-method"),
    (["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--level", "5"], Int32(64), "level = 5.0 is invalid"),
    (["pfs", "Fixtures/alk-nsclc/cohorts.csv", "--format", "csv"], Int32(64), "--format"),
  ])
  func errors(arguments: [String], status: Int32, message: String) throws {
    let r = try runOrrmeta(arguments)
    #expect(r.status == status, "\(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }

  @Test("no cohort with a median is a data error")
  func noMedians() throws {
    let path = try writeTemporaryFile("none.csv", "cohort,n,median_pfs_months\na,10,NR\nb,20,\n")
    let r = try runOrrmeta(["pfs", path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("\(path): no cohort has a median in column 'median_pfs_months'"))
  }
}
