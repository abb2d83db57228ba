// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `orrmeta sensitivity`: documented exit codes, clear messages, atomic outputs.
@Suite("orrmeta sensitivity: errors and outputs")
struct SensitivityErrorTests {
  typealias S = SensitivityCLI

  @Test("usage errors exit 64 with a message saying what to do")
  func usage() throws {
    let cases: [([String], String)] = [
      ([], "choose at least one analysis"),
      (["--leave-one-out", "--method", "pooled"], "--method pooled cannot be used for sensitivity analyses"),
      (["--influence", "--method", "GLMM"], "--method GLMM supports only --leave-one-out and --cumulative"),
      (["--leave-one-out", "--by", "line"], "--by does not apply to sensitivity analyses"),
      (["--leave-one-out", "--format", "csv"], "orrmeta: error: The value 'csv' is invalid for '--format <format>'. Please provide one of 'text' and 'json'."),
      (["--leave-one-out", "--ci-method", "wilson"], "orrmeta: error: --ci-method sets the cohorts' own CIs, which this command does not report"),
      (["--leave-one-out", "--order-by", "n"], "--order-by applies to --cumulative"),
      (["--bias", "--estimator", "R0"], "--estimator and --side apply to --trimfill"),
      (["--bias", "--gosh-out", "x.csv"], "--gosh-out applies to --gosh"),
      (["--bias", "--subsets", "10"], "--subsets applies to --gosh"),
      (["--bootstrap", "1"], "--bootstrap 1 is invalid"),
      (["--gosh", "--jobs", "0"], "--jobs 0 is invalid"),
      (["--gosh", "--subsets", "1"], "--subsets 1 is invalid"),
      (["--trimfill", "--side", "up"], "--side"),
      (["--trimfill", "--estimator", "L1"], "--estimator"),
    ]
    for (args, message) in cases {
      let r = try runOrrmeta(["sensitivity", S.alk] + args)
      #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
      #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
    }
  }

  @Test("input errors: missing file 66; --order-by column missing or with an empty cell 65 (file, line, column)")
  func input() throws {
    var r = try runOrrmeta(["sensitivity", "no/such.csv", "--all"])
    #expect(r.status == 66)
    r = try runOrrmeta(["sensitivity", S.alk, "--cumulative", "--order-by", "year"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("orrmeta: error: \(S.alk):52: column 'year': value '' is invalid"), "\(r.stderr)")
    #expect(r.stderr.contains("missing values are not allowed"))
    r = try runOrrmeta(["sensitivity", S.alk, "--cumulative", "--order-by", "date"])
    #expect(r.status == 65)
    #expect(r.stderr.contains("no column named 'date' for --order-by"))
  }

  @Test("an analysis that cannot be fitted exits 70 and names the file and the analysis")
  func analysis() throws {
    let (dir, path) = try S.writeCSV("label,events,n\nA,5,20\nB,9,30\n")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try runOrrmeta(["sensitivity", path, "--bias"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("orrmeta: error: \(path): Egger's test: model fit failed"), "\(r.stderr)")
    let one = try S.writeCSV("label,events,n\nA,5,20\n")
    defer { try? FileManager.default.removeItem(atPath: one.directory) }
    let r1 = try runOrrmeta(["sensitivity", one.path, "--leave-one-out"])
    #expect(r1.status == 70)
    #expect(r1.stderr.contains("k ≥ 2"), "\(r1.stderr)")
  }

  @Test("--output and --gosh-out: written atomically, both or neither; an old file survives a failure")
  func atomicOutputs() throws {
    let (dir, path) = try S.writeCSV("label,events,n\nA,5,20\nB,9,30\n")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = dir + "/out.json", csv = dir + "/gosh.csv"
    try "old".write(toFile: out, atomically: true, encoding: .utf8)
    // GOSH works with k = 2, the bias tests do not: nothing is written.
    var r = try runOrrmeta(["sensitivity", path, "--gosh", "--bias", "--gosh-out", csv, "--output", out, "--format", "json"])
    #expect(r.status == 70)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "old")
    #expect(!FileManager.default.fileExists(atPath: csv))
    // Success: both files, nothing on standard output, no temporary files left.
    r = try runOrrmeta(["sensitivity", path, "--gosh", "--gosh-out", csv, "--output", out, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    let d = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
    #expect((try #require(d["gosh"] as? [String: Any]))["subsets"] as? Int == 3)
    #expect(try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").count == 4)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }.isEmpty)
    // An unwritable --gosh-out: exit 73, and the main output is not written either.
    try FileManager.default.removeItem(atPath: out)
    r = try runOrrmeta(["sensitivity", path, "--gosh", "--gosh-out", dir + "/no/dir/g.csv", "--output", out])
    #expect(r.status == 73)
    #expect(r.stderr.contains("no/dir/g.csv"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("help has examples")
  func help() throws {
    let r = try runOrrmeta(["sensitivity", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("orrmeta sensitivity Fixtures/alk-nsclc/cohorts.csv --all"))
    #expect(r.stdout.contains("--leave-one-out"))
    #expect(r.stdout.contains("--gosh-out"))
  }
}
