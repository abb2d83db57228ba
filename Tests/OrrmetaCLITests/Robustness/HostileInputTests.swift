// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// Issue 13, items 5 and 9–14: numerical extremes that hung or gave wrong numbers, and input
/// that was handled silently or wrongly. Each test failed before its fix.
@Suite struct HostileInputTests {
  func run(_ args: [String], _ dir: TemporaryDirectory, timeout: TimeInterval = 60) throws -> OrrmetaProcess.Result {
    try OrrmetaProcess.run(args, in: URL(fileURLWithPath: dir.path), timeout: timeout)
  }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  // MARK: item 5

  /// Fisher scoring's step-halving never ended (Δ = −∞) with one cohort 10¹² times larger.
  @Test func extremeCohortSizesEndEveryAnalysis() throws {
    let dir = try TemporaryDirectory("extreme")
    defer { dir.remove() }
    try dir.write("good.csv", "study,events,n\nA,0,1000000000000\nB,0,1\nC,0,2\n")
    let model = ["--measure", "PAS", "--method", "REML"]
    for args in [
      ["sensitivity", "good.csv", "--trimfill"], ["sensitivity", "good.csv", "--bias"],
      ["plot", "funnel", "good.csv", "--trim-and-fill", "--out", "f.svg"], ["report", "good.csv", "--out", "r.html"],
    ] {
      let r = try run(args + model, dir, timeout: 120)
      #expect(!r.timedOut && !r.crashed, "\(args) hung or crashed")
      // Begg's test is undefined here (every outcome equal): a clear analysis error, 70.
      #expect(r.exitCode == (args.contains("--bias") ? 70 : 0), "\(args): \(r.stderr)")
    }
  }

  /// A GOSH subset and `pool` on the same cohorts give the same τ² and I² (GOSH lost every digit
  /// of Q and tr P to cancellation; pool's log-likelihood check used a far-off shift).
  @Test func goshSubsetsEqualPoolAtExtremes() throws {
    let dir = try TemporaryDirectory("gosh-extreme")
    defer { dir.remove() }
    try dir.write("ext.csv", "study,events,n\nA,1,1000000000000\nB,0,1\nC,2,2\nD,5,9\n")
    try dir.write("ac.csv", "study,events,n\nA,1,1000000000000\nC,2,2\n")
    let model = ["--measure", "PR", "--method", "REML"]
    let g = try run(["sensitivity", "ext.csv", "--gosh", "--gosh-out", "g.csv"] + model, dir)
    #expect(g.exitCode == 0, "\(g.stderr)")
    let rows = String(decoding: try dir.read("g.csv"), as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    let subset = try #require(rows.first { $0.last == "5" })  // cohorts A and C
    let pool = try run(["pool", "ac.csv", "--format", "json"] + model, dir)
    let h = try #require(try json(pool.stdout)["heterogeneity"] as? [String: Any])
    let tau2 = try #require(h["tau2"] as? Double), i2 = try #require(h["i2"] as? Double)
    // metafor 3.8-1 (rma, REML, threshold 1e-12): tau^2 = 0.3240741
    #expect(abs(tau2 - 0.3240741) < 1e-6)
    #expect(abs(Double(subset[7])! - tau2) <= 1e-9 * tau2)
    #expect(abs(Double(subset[5])! - i2) <= 1e-6)
    #expect(Double(subset[5])! > 90)

    // DerSimonian-Laird's closed forms (the Gray-code running sums): single-cohort subsets had
    // NA estimates and every subset with cohort A had Q = 0.
    try dir.write("acd.csv", "study,events,n\nA,1,1000000000000\nC,2,2\nD,5,9\n")
    let dl = try run(["sensitivity", "ext.csv", "--gosh", "--gosh-out", "dl.csv", "--measure", "PR", "--method", "DL"], dir)
    #expect(dl.exitCode == 0, "\(dl.stderr)")
    let dlRows = String(decoding: try dir.read("dl.csv"), as: UTF8.self).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    #expect(dlRows.filter { $0[1] == "1" }.map { $0[2] } == ["9.999778782798785e-13", "0.25", "0.8333333333333334", "0.5555555555555556"])
    let acd = try #require(dlRows.first { $0.last == "d" })
    let poolDL = try run(["pool", "acd.csv", "--format", "json", "--measure", "PR", "--method", "DL"], dir)
    let hDL = try #require(try json(poolDL.stdout)["heterogeneity"] as? [String: Any])
    let q = try #require(hDL["q"] as? Double), t2 = try #require(hDL["tau2"] as? Double)
    #expect(abs(Double(acd[4])! - q) <= 1e-9 * q)
    #expect(abs(Double(acd[7])! - t2) <= 1e-9 * t2)
  }

  // MARK: items 9–11

  @Test func aSecondByteOrderMarkIsAnError() throws {
    let dir = try TemporaryDirectory("bom2")
    defer { dir.remove() }
    try dir.write("b.csv", "\u{FEFF}\u{FEFF}study,events,n\nA,1,2\nB,2,3\n")
    let r = try run(["pool", "b.csv"], dir)
    #expect(r.exitCode == 65)
    #expect(r.stderr.contains("b.csv:1: column 1 of the header"))
    #expect(r.stderr.contains("byte-order mark"))
    // The PFS reader (weighted median and inverse-variance pooling) applies the same rule.
    try dir.write("p.csv", "\u{FEFF}\u{FEFF}label,n,median_pfs_months\nA,10,5.1\nB,12,7.3\n")
    for args in [["pfs", "p.csv"], ["pfs", "p.csv", "--pool", "iv"]] {
      let p = try run(args, dir)
      #expect(p.exitCode == 65, "\(args): \(p.stderr)")
      #expect(p.stderr.contains("p.csv:1: column 1 of the header") && p.stderr.contains("byte-order mark"), "\(args): \(p.stderr)")
    }
  }

  @Test func aStrayTextCellInANumericModeratorIsNamed() throws {
    let dir = try TemporaryDirectory("mods")
    defer { dir.remove() }
    for cell in ["-", "Inf", "2 mg", "\"2,5\""] {
      try dir.write("m.csv", "study,events,n,dose\nA,3,10,1\nB,4,12,\(cell)\nC,5,10,3\nD,6,11,1\nE,2,9,3\nF,7,12,1\nG,3,8,3\nH,4,9,1\n")
      let r = try run(["regress", "m.csv", "--mods", "dose"], dir)
      #expect(r.exitCode == 0, "\(cell): \(r.stderr)")
      #expect(r.stdout.contains("moderator 'dose' is treated as categorical although 7 of its 8 values are numbers: line 3 has"), "\(cell): \(r.stdout)")
      let forced = try run(["regress", "m.csv", "--mods", "dose", "--categorical", "dose"], dir)
      #expect(forced.exitCode == 0, "\(cell): \(forced.stderr)")
    }
  }

  @Test func orrAndEventsMustAgreeAndColumnsHaveOneRole() throws {
    let dir = try TemporaryDirectory("orr")
    defer { dir.remove() }
    try dir.write("o.csv", "study,events,n,orr\nA,12,40,52.5\nB,4,12,33.3\nC,,10,50\n")
    let r = try run(["pool", "o.csv", "--orr-column", "orr"], dir)
    #expect(r.exitCode == 65)
    #expect(r.stderr.contains("o.csv:2: column 'events' = 12 and column 'orr' = 52.5% disagree"), "\(r.stderr)")

    try dir.write("ok.csv", "study,events,n,orr\nA,12,40,30\nB,4,12,33.3\nC,,10,50\n")
    let ok = try run(["pool", "ok.csv", "--orr-column", "orr", "--format", "json"], dir)
    #expect(ok.exitCode == 0, "\(ok.stderr)")
    let studies = try #require(try json(ok.stdout)["studies"] as? [[String: Any]])
    #expect(studies.map { $0["events"] as? Int } == [12, 4, 5])
    #expect(ok.stdout.contains("for 1 cohort(s) whose 'events' cell is empty"))

    let both = try run(["pool", "ok.csv", "--events-column", "n"], dir)
    #expect(both.exitCode == 65)
    #expect(both.stderr.contains("column 'n' is chosen both for events and for n"))
  }

  // MARK: items 12–13

  @Test func csvCellsThatLookLikeFormulasAreNeutralised() throws {
    #expect(SafeCSVWriter.neutralised("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")")
    #expect(SafeCSVWriter.neutralised("@SUM(A1)") == "'@SUM(A1)")
    #expect(SafeCSVWriter.neutralised("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0")
    #expect(SafeCSVWriter.neutralised("-") == "'-")
    #expect(SafeCSVWriter.neutralised("\tx") == "'\tx")
    #expect(SafeCSVWriter.neutralised("\rx") == "'\rx")
    for number in ["-0.25", "+3", "-1e-05", "-.5", "0.3", "abc"] { #expect(SafeCSVWriter.neutralised(number) == number) }

    let dir = try TemporaryDirectory("csv-injection")
    defer { dir.remove() }
    try dir.write("=cmd.csv", "study,events,n\n\"=HYPERLINK(\"\"http://x\"\")\",1,2\n@SUM(A1),2,3\n")
    let r = try run(["pool", "=cmd.csv", "--format", "csv"], dir)
    #expect(r.exitCode == 0, "\(r.stderr)")
    #expect(r.stdout.contains("'=HYPERLINK"))
    #expect(r.stdout.contains("'@SUM(A1)"))
    let b = try run(["batch", "=cmd.csv", "--out", "out", "--quiet"], dir)
    #expect(b.exitCode == 0, "\(b.stderr)")
    let summary = String(decoding: try dir.read("out/summary.csv"), as: UTF8.self)
    #expect(summary.contains("\n'=cmd.csv,"), "\(summary)")
  }

  @Test func messagesStayShortAndLabelsCountCharacters() throws {
    let dir = try TemporaryDirectory("labels")
    defer { dir.remove() }
    // One character of 200,000 combining marks: refused, with a short message.
    try dir.write("comb.csv", "study,events,n\nA" + String(repeating: "\u{301}", count: 200_000) + ",1,2\nB,2,3\n")
    let comb = try run(["pool", "comb.csv"], dir)
    #expect(comb.exitCode == 65)
    #expect(comb.stderr.utf8.count < 1000, "\(comb.stderr.utf8.count) bytes")
    // 1,000 family emoji (each one character of five scalars) are 1,000 characters: accepted.
    try dir.write("zwj.csv", "study,events,n\n" + String(repeating: "👨‍👩‍👧", count: 1000) + ",1,2\nB,2,3\n")
    let zwj = try run(["pool", "zwj.csv", "--format", "json"], dir)
    #expect(zwj.exitCode == 0, "\(zwj.stderr)")
    try dir.write("zwj2.csv", "study,events,n\n" + String(repeating: "👨‍👩‍👧", count: 1001) + ",1,2\nB,2,3\n")
    let over = try run(["pool", "zwj2.csv"], dir)
    #expect(over.exitCode == 65)
    #expect(over.stderr.utf8.count < 1000)
    // An analysis error naming a cohort whose label is 999 characters of 16 scalars each.
    try dir.write("undefined.csv", "study,events,n\n" + String(repeating: "a" + String(repeating: "\u{301}", count: 15), count: 999) + ",0,10\nB,2,3\n")
    let undefined = try run(["pool", "undefined.csv", "--measure", "PLO", "--to", "none"], dir)
    #expect(undefined.exitCode == 65)
    #expect(undefined.stderr.utf8.count < 1000 && undefined.stderr.split(separator: "\n").count == 1, "\(undefined.stderr.utf8.count) bytes")
    // A duplicated long label: the warning is shortened too.
    let long = String(repeating: "x", count: 900)
    try dir.write("dup.csv", "study,events,n\n\(long),1,2\n\(long),2,3\n")
    let dup = try run(["pool", "dup.csv"], dir)
    #expect(dup.exitCode == 0)
    #expect(dup.stderr.split(separator: "\n").allSatisfy { $0.utf8.count < 1000 } && dup.stdout.contains("duplicate label 'xxx"))
  }

  // MARK: item 14

  @Test func controlCharactersAndHTMLAreShownNotObeyed() throws {
    let dir = try TemporaryDirectory("escapes")
    defer { dir.remove() }
    try dir.write("e.csv", "study,events,n\n\"\u{1B}[2J<img src=x onerror=alert(1)>\",1,2\nB\u{7},2,3\n")
    let text = try run(["pool", "e.csv"], dir)
    #expect(text.exitCode == 0)
    #expect(!text.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 7 })
    let md = try run(["pool", "e.csv", "--format", "markdown"], dir)
    #expect(!md.stdout.contains("<img"))
    #expect(md.stdout.contains("&lt;img"))
  }

  @Test func lowSeverityInputsAreReported() throws {
    let dir = try TemporaryDirectory("low")
    defer { dir.remove() }
    try dir.write("c.csv", "study,events,n\nA,0,10\nB,2,3\n")
    let add = try run(["pool", "c.csv", "--add", "1e308"], dir)
    #expect(add.exitCode == 64)
    #expect(add.stderr.contains("--add 1e+308 is invalid") || add.stderr.contains("--add 1e308 is invalid"), "\(add.stderr)")

    try dir.write("u32.csv", "")
    try Data([0xFF, 0xFE, 0, 0] + Array("s\0\0\0".utf8)).write(to: URL(fileURLWithPath: dir.path + "/u32.csv"))
    let u32 = try run(["pool", "u32.csv"], dir)
    #expect(u32.exitCode == 65)
    #expect(u32.stderr.contains("UTF-32"))

    try dir.write("g.csv", "study,events,n,g\nA,0,10,x\nB,0,12,x\nC,5,10,y\nD,6,11,y\nE,3,9,y\n")
    let glmm = try run(["pool", "g.csv", "--method", "GLMM", "--by", "g"], dir)
    #expect(glmm.exitCode == 70)
    #expect(glmm.stderr.contains("subgroup 'x'"), "\(glmm.stderr)")

    try FileManager.default.createDirectory(atPath: dir.path + "/in", withIntermediateDirectories: true)
    try dir.write("in/a.csv", "study,events,n\nA,1,2\nB,2,3\n")
    #expect(symlink("missing.csv", dir.path + "/in/gone.csv") == 0)
    let batch = try run(["batch", "in", "--out", "out", "--quiet"], dir)
    #expect(batch.exitCode == 3, "\(batch.stderr)")
    let errors = String(decoding: try dir.read("out/errors.csv"), as: UTF8.self)
    #expect(errors.contains("in/gone.csv") && errors.contains("symbolic link"), "\(errors)")

    try dir.write("spec.toml", "[analyses.REML]\nmethod = \"REML\"\n[analyses.reml]\nmethod = \"DL\"\n")
    let names = try run(["batch", "in/a.csv", "--spec", "spec.toml", "--out", "out2", "--quiet"], dir)
    #expect(names.exitCode == 64)
    #expect(names.stderr.contains("differ only in case"), "\(names.stderr)")
  }
}
