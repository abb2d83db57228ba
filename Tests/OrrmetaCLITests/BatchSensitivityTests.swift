// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
@testable import OrrmetaCLI
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `type = "sensitivity"` analyses of a batch spec: each result is the bytes of
/// `orrmeta sensitivity --format json`, the summary row repeats its pool blocks, shards merge
/// to the bytes of one run, `--resume` follows the sensitivity settings, and invalid keys are
/// refused as the command refuses its flags.
@Suite struct BatchSensitivityTests {
  /// The full example of `Docs/batch.md` ("The sensitivity analysis type").
  static let documentedExample = """
    # robustness.toml: the pooled ORR and its sensitivity analyses for every cohort file.

    [defaults]
    events_column = "responders"
    n_column = "n"
    label_column = "study_id"
    method = "REML"
    test = "knha"

    # The pooled ORR, with subgroups by treatment line.
    [analyses.orr]
    type = "pool"
    by = "line"

    # Case deletion, cumulative (smallest cohorts first), small-study tests, trim-and-fill.
    [analyses.robustness]
    type = "sensitivity"
    analyses = ["leave-one-out", "influence", "cumulative", "bias", "trimfill"]
    order_by = "n"
    estimator = "R0"

    # GOSH on 2000 random subsets and 500 bootstrap resamples, DerSimonian-Laird, seeded.
    [analyses.resampling]
    type = "sensitivity"
    method = "DL"
    analyses = ["gosh", "bootstrap"]
    subsets = 2000
    bootstrap = 500
    seed = 7
    """

  /// A pool analysis and a sensitivity analysis with the same model, over every analysis of
  /// the command (GOSH on random subsets for k ≥ 6, exhaustive below).
  static let spec = """
    [defaults]
    method = "DL"
    test = "knha"

    [analyses.main]
    type = "pool"

    [analyses.sens]
    type = "sensitivity"
    analyses = ["leave-one-out", "influence", "cumulative", "bias", "trimfill", "gosh", "bootstrap"]
    order_by = "n"
    side = "left"
    subsets = 40
    bootstrap = 60
    seed = 11
    """

  /// The same settings as `orrmeta sensitivity` flags.
  static let flags = [
    "--method", "DL", "--test", "knha", "--leave-one-out", "--influence", "--cumulative", "--bias", "--trimfill",
    "--gosh", "--bootstrap", "60", "--order-by", "n", "--side", "left", "--subsets", "40", "--seed", "11",
  ]

  /// Resolves a spec as `orrmeta batch --spec` does.
  static func analyses(_ text: String, file: String = "spec.toml") throws(BatchSpecError) -> [BatchAnalysis] {
    try BatchSpecFile.parse(text, file: file).map { s throws(BatchSpecError) in try s.resolve(specFile: file) }
  }

  @Test func theDocumentedExampleResolves() throws {
    let docs = try String(contentsOfFile: fixturesDirectory + "/../Docs/batch.md", encoding: .utf8)
    #expect(docs.contains(Self.documentedExample), "Docs/batch.md no longer holds the example")
    let byName = Dictionary(uniqueKeysWithValues: try Self.analyses(Self.documentedExample).map { ($0.name, $0) })
    let orr = try #require(byName["orr"])
    #expect(orr.kind == .pool && orr.columns.by == "line" && orr.settings.test == .knha)

    let robustness = try #require(byName["robustness"])
    #expect(robustness.kind == .sensitivity)
    #expect(robustness.columns.by == nil)  // `by` is a pool setting; the default is not inherited
    #expect(robustness.columns.events == "responders")
    #expect(robustness.settings.method == .REML && robustness.settings.test == .knha)
    let r = try #require(robustness.sensitivity)
    #expect(r.request.analysisKeys == ["leave_one_out", "influence", "baujat", "cumulative", "bias", "trimfill"])
    #expect(r.orderBy == "n")
    #expect(r.request.trimFillEstimator == .R0)
    #expect(r.request.trimFillSide == nil)

    let resampling = try #require(byName["resampling"]?.sensitivity)
    #expect(byName["resampling"]?.settings.method == .DL)
    #expect(resampling.request.analysisKeys == ["gosh", "bootstrap"])
    #expect(resampling.request.goshSubsets == 2000)
    #expect(resampling.request.bootstrapResamples == 500)
    #expect(resampling.request.seed == 7)
    #expect(resampling.request.threads == 1)  // files run in parallel; each file on one thread

    // "all" is --all: every analysis but GOSH and the bootstrap.
    let all = try Self.analyses("[analyses.a]\ntype = \"sensitivity\"\nanalyses = [\"all\", \"gosh\"]\n")
    #expect(all[0].sensitivity?.request.analysisKeys == ["leave_one_out", "influence", "baujat", "cumulative", "bias", "trimfill", "gosh"])
  }

  @Test func everyAnalysisNameIsAFlagOfTheCommand() throws {
    for name in SensitivityAnalysisOptions.analysisNames {
      let arguments = name == "bootstrap" ? ["--bootstrap", "10"] : ["--" + name]
      #expect(throws: Never.self, "\(name)") { _ = try SensitivityAnalysisOptions.parse(arguments) }
    }
  }

  @Test func resultsAreTheBytesOfTheSensitivityCommandAndRowsRepeatThePoolBlocks() throws {
    let dir = try TemporaryDirectory("batch-sens")
    defer { dir.remove() }
    let files = try writeCorpus(in: dir, count: 14, seed: 7)
    try dir.write("spec.toml", Self.spec)

    let batch = try runOrrmeta(["batch", "corpus", "--out", "out", "--spec", "spec.toml", "--jobs", "2", "--quiet"], directory: dir.path)
    #expect(batch.status == 0 || batch.status == 3, "\(batch.stderr)")
    let info = try BatchRunInfo.read(path: dir.path + "/out/batch.json")
    #expect(info.analyses.map(\.type) == ["pool", "sensitivity"])

    let rows = try summaryRows(dir.path + "/out")
    #expect(rows.count == 2 * files.count)
    var compared = 0
    for file in files {
      let row = try #require(rows.first { $0["file"] as? String == file && $0["analysis"] as? String == "sens" })
      let main = try #require(rows.first { $0["file"] as? String == file && $0["analysis"] as? String == "main" })
      let command = try runOrrmeta(["sensitivity", file] + Self.flags + ["--format", "json"], directory: dir.path)
      let resultPath = dir.path + "/out/" + BatchLayout.resultPath(file: file, analysis: "sens", root: .init(files: files))
      if row["status"] as? String == "ok" {
        #expect(command.status == 0, "\(file): \(command.stderr)")
        let result = try String(contentsOfFile: resultPath, encoding: .utf8)
        #expect(result == command.stdout, "\(file): the result differs from orrmeta sensitivity --format json")
        // The summary row is the pool blocks: the same numbers as the pool analysis' row.
        for column in BatchRow.columns where !["file", "analysis", "warnings"].contains(column) && !BatchRow.sensitivityColumns.contains(column) {
          #expect("\(row[column] ?? "absent")" == "\(main[column] ?? "absent")", "\(file) \(column)")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any])
        #expect(row["warnings"] as? [String] == json["warnings"] as? [String])
        #expect(row["proportion"] as? Double == (json["pooled"] as? [String: Any])?["proportion"] as? Double)
        compared += 1
      } else {
        // A file the command cannot analyse either (e.g. Egger's test with k = 2): exit 70.
        #expect(command.status == 70, "\(file)")
        let message = try #require(row["error"] as? String)
        #expect(command.stderr.contains(message), "\(command.stderr) lacks \(message)")
        #expect(!FileManager.default.fileExists(atPath: resultPath))
      }
    }
    #expect(compared >= files.count / 2, "too few files could be compared")
  }

  @Test func theDocumentedExampleOnTheALKFixtureGivesTheCommandsBytes() throws {
    let dir = try TemporaryDirectory("batch-sens-doc")
    defer { dir.remove() }
    try FileManager.default.createDirectory(atPath: dir.path + "/in", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixturePath("alk-nsclc/cohorts.csv"), toPath: dir.path + "/in/alk.csv")
    try dir.write("robustness.toml", Self.documentedExample)
    let batch = try runOrrmeta(["batch", "in", "--out", "out", "--spec", "robustness.toml", "--quiet"], directory: dir.path)
    #expect(batch.status == 0, "\(batch.stderr)")

    let columns = ["--events-column", "responders", "--n-column", "n", "--label-column", "study_id"]
    let commands: [String: [String]] = [
      "robustness": ["--test", "knha", "--leave-one-out", "--influence", "--cumulative", "--order-by", "n", "--bias", "--trimfill", "--estimator", "R0"],
      "resampling": ["--method", "DL", "--test", "knha", "--gosh", "--subsets", "2000", "--bootstrap", "500", "--seed", "7"],
    ]
    for (name, flags) in commands {
      let command = try runOrrmeta(["sensitivity", "in/alk.csv"] + columns + flags + ["--format", "json"], directory: dir.path)
      #expect(command.status == 0, "\(command.stderr)")
      let result = try dir.read("out/" + BatchLayout.resultPath(file: "in/alk.csv", analysis: name, root: .init(files: ["in/alk.csv"])))
      #expect(String(decoding: result, as: UTF8.self) == command.stdout, "\(name)")
    }
    let pool = try runOrrmeta(["pool", "in/alk.csv"] + columns + ["--test", "knha", "--by", "line", "--format", "json"], directory: dir.path)
    #expect(try dir.read("out/" + BatchLayout.resultPath(file: "in/alk.csv", analysis: "orr", root: .init(files: ["in/alk.csv"]))) == Data(pool.stdout.utf8))
  }

  @Test func shardsAndMergeGiveTheBytesOfOneRun() throws {
    let dir = try TemporaryDirectory("batch-sens-shards")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 11, seed: 3)
    try dir.write("spec.toml", Self.spec)

    let one = try runOrrmeta(["batch", "corpus", "--out", "one", "--spec", "spec.toml", "--quiet"], directory: dir.path)
    #expect(one.status == 0 || one.status == 3, "\(one.stderr)")
    for i in 1...3 {
      let r = try runOrrmeta(["batch", "corpus", "--out", "s\(i)", "--spec", "spec.toml", "--shard", "\(i)/3", "--jobs", "2", "--quiet"], directory: dir.path)
      #expect(r.status == 0 || r.status == 3, "\(r.stderr)")
    }
    let merged = try runOrrmeta(["merge", "s1", "s2", "s3", "--out", "merged", "--quiet"], directory: dir.path)
    #expect(merged.status == one.status, "\(merged.stderr)")
    let files = filesUnder(dir.path + "/one")
    #expect(files == filesUnder(dir.path + "/merged"))
    #expect(files.contains { $0.hasSuffix("/sens.json") })
    for f in files {
      #expect(try dir.read("one/" + f) == dir.read("merged/" + f), "\(f) differs")
    }
  }

  @Test func resumeRecomputesWhenTheSensitivitySettingsChange() throws {
    let dir = try TemporaryDirectory("batch-sens-resume")
    defer { dir.remove() }
    // Files with k ≥ 3 (every analysis below can be fitted).
    var files: [String] = []
    for i in 0..<6 {
      files.append(try dir.write("in/f\(i).csv", "events,n\n\(3 + i),20\n\(8 + i),30\n\(12 - i),25\n\(5 + 2 * i),40\n"))
    }
    let out = dir.path + "/out"
    func run(_ sensitivity: String) throws -> BatchOutcome {
      let spec = "[analyses.main]\nmethod = \"DL\"\n\n[analyses.sens]\ntype = \"sensitivity\"\n" + sensitivity
      return try BatchRunner(files: files, analyses: Self.analyses(spec), outputDirectory: out, jobs: 2, resume: true).run()
    }
    let sens = out + "/" + BatchLayout.resultPath(file: files[0], analysis: "sens", root: .init(files: files))

    let first = try run("analyses = [\"leave-one-out\", \"bias\"]\n")
    #expect(first.computed == 12 && first.failed == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: sens))
    #expect(try run("analyses = [\"leave-one-out\", \"bias\"]\n").computed == 0)
    // The same analyses in another order, or a seed that nothing uses: the same result.
    #expect(try run("analyses = [\"bias\", \"leave-one-out\"]\nseed = 9\n").computed == 0)

    // Another list of analyses: every sensitivity pair, no pool pair.
    let added = try run("analyses = [\"leave-one-out\", \"bias\", \"influence\"]\n")
    #expect(added.computed == 6 && added.reused == 6)
    let after = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sens))) as? [String: Any])
    #expect(after["influence"] is [Any])
    #expect(try Data(contentsOf: URL(fileURLWithPath: sens)) != before)

    // An option of an analysis that runs, and the seed of a random one.
    #expect(try run("analyses = [\"cumulative\"]\n").computed == 6)
    #expect(try run("analyses = [\"cumulative\"]\norder_by = \"n\"\n").computed == 6)
    #expect(try run("analyses = [\"gosh\"]\nsubsets = 5\n").computed == 6)
    #expect(try run("analyses = [\"gosh\"]\nsubsets = 5\n").computed == 0)
    #expect(try run("analyses = [\"gosh\"]\nsubsets = 5\nseed = 2\n").computed == 6)
    #expect(try run("analyses = [\"gosh\"]\nsubsets = 6\nseed = 2\n").computed == 6)
  }

  @Test func theSettingsHashCoversTheSensitivitySettings() throws {
    func hash(_ table: String) throws -> String { try Self.analyses("[analyses.a]\n" + table)[0].settingsHash }
    let pool = try hash("method = \"DL\"\n")
    let loo = try hash("type = \"sensitivity\"\nmethod = \"DL\"\nanalyses = [\"leave-one-out\"]\n")
    #expect(pool != loo)
    #expect(loo != (try hash("type = \"sensitivity\"\nmethod = \"DL\"\nanalyses = [\"influence\"]\n")))
    #expect(loo != (try hash("type = \"sensitivity\"\nanalyses = [\"leave-one-out\"]\n")))  // REML
    let trimfill = try hash("type = \"sensitivity\"\nanalyses = [\"trimfill\"]\n")
    #expect(trimfill == (try hash("type = \"sensitivity\"\nanalyses = [\"trimfill\"]\nestimator = \"l0\"\n")))  // the default, spelt otherwise
    #expect(trimfill != (try hash("type = \"sensitivity\"\nanalyses = [\"trimfill\"]\nestimator = \"R0\"\n")))
    #expect(trimfill != (try hash("type = \"sensitivity\"\nanalyses = [\"trimfill\"]\nside = \"right\"\n")))
    let boot = try hash("type = \"sensitivity\"\nanalyses = [\"bootstrap\"]\nbootstrap = 100\n")
    #expect(boot != (try hash("type = \"sensitivity\"\nanalyses = [\"bootstrap\"]\nbootstrap = 101\n")))
    #expect(boot != (try hash("type = \"sensitivity\"\nanalyses = [\"bootstrap\"]\nbootstrap = 100\nseed = 2\n")))
    #expect(boot == (try hash("type = \"sensitivity\"\nanalyses = [\"bootstrap\"]\nbootstrap = 100\nseed = 1\n")))  // the default seed
  }

  /// (spec text, fragments the message must contain)
  static let invalid: [(String, [String])] = [
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"loo\"]\n", ["bad.toml: [analyses.s] analyses = [\"loo\"]", "unknown analysis \"loo\"", "leave-one-out"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = \"bias\"\n", ["[analyses.s] analyses = \"bias\"", "array of strings"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\", 3]\n", ["[analyses.s] analyses = [\"bias\", 3]", "array of strings"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = []\n", ["[analyses.s] analyses = []", "choose at least one analysis"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\", \"bias\"]\n", ["analyses = [\"bias\", \"bias\"]", "listed twice"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nmethod = \"DL\"\n", ["bad.toml: [analyses.s]", "needs analyses = [...]"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\"]\norder_by = \"n\"\n", ["[analyses.s] order_by = \"n\"", "applies to the \"cumulative\" analysis"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\"]\nestimator = \"R0\"\n", ["[analyses.s] estimator = \"R0\"", "\"trimfill\""]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"trimfill\"]\nestimator = \"L1\"\n", ["[analyses.s] estimator = \"L1\"", "L0, R0, Q0"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"all\"]\nside = \"up\"\n", ["[analyses.s] side = \"up\"", "left, right"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"gosh\"]\nsubsets = 1\n", ["[analyses.s] subsets = 1", ">= 2"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"all\"]\nsubsets = 10\n", ["[analyses.s] subsets = 10", "\"gosh\""]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bootstrap\"]\n", ["[analyses.s] analyses = [\"bootstrap\"]", "bootstrap = B"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\"]\nbootstrap = 100\n", ["[analyses.s] bootstrap = 100", "add \"bootstrap\" to analyses"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bootstrap\"]\nbootstrap = 1\n", ["[analyses.s] bootstrap = 1", ">= 2"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"gosh\"]\nseed = -3\n", ["[analyses.s] seed = -3", "whole number"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\"]\nmethod = \"pooled\"\n", ["[analyses.s] method = \"pooled\"", "cannot be used for sensitivity analyses"]),
    ("[defaults]\nmethod = \"GLMM\"\n[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\"]\n", ["[defaults] method = \"GLMM\"", "inverse-variance"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\"]\nby = \"line\"\n", ["[analyses.s] by = \"line\"", "does not apply to sensitivity analyses"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"gosh\"]\njobs = 4\n", ["[analyses.s] jobs = 4", "one thread per file"]),
    ("[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"gosh\"]\nsubset = 10\n", ["[analyses.s] subset = 10", "unknown key for a sensitivity analysis"]),
    ("[analyses.p]\nanalyses = [\"bias\"]\n", ["[analyses.p] analyses = [\"bias\"]", "unknown key for a pool analysis"]),
    ("[defaults]\nseed = 3\n[analyses.p]\n", ["[defaults] seed = 3", "no analysis of this spec has this setting", "sensitivity"]),
    ("[defaults]\nby = \"arm\"\n[analyses.s]\ntype = \"sensitivity\"\nanalyses = [\"bias\"]\n", ["[defaults] by = \"arm\"", "no analysis of this spec has this setting", "pool"]),
  ]

  @Test(arguments: 0..<invalid.count)
  func invalidSensitivityKeysNameTheFileTableKeyAndValue(_ index: Int) throws {
    let (text, fragments) = Self.invalid[index]
    var message = ""
    do {
      _ = try Self.analyses(text, file: "bad.toml")
      Issue.record("accepted: \(text)")
    } catch {
      message = error.description
      #expect(ErrorReporting.status(for: error) == .usage)
    }
    for f in fragments { #expect(message.contains(f), "\(message) lacks \(f)") }
  }

  @Test func theCommandExitsWith64BeforeAnyWorkForAnInvalidSensitivityKey() throws {
    let dir = try TemporaryDirectory("batch-sens-cli")
    defer { dir.remove() }
    try dir.write("in/a.csv", "events,n\n3,10\n4,12\n6,15\n")
    try dir.write("bad.toml", "[analyses.ok]\n\n[analyses.sens]\ntype = \"sensitivity\"\nanalyses = [\"trimfill\"]\nestimator = \"L9\"\n")
    let bad = try runOrrmeta(["batch", "in", "--out", "out", "--spec", "bad.toml"], directory: dir.path)
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("orrmeta: error: bad.toml: [analyses.sens] estimator = \"L9\": invalid value; expected one of L0, R0, Q0"), "\(bad.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
  }

  @Test func aMissingOrderColumnFailsOnlyThatPair() throws {
    let dir = try TemporaryDirectory("batch-sens-faults")
    defer { dir.remove() }
    try dir.write("in/a.csv", "events,n,year\n3,10,2001\n4,12,2003\n6,15,2002\n")
    try dir.write("in/b.csv", "events,n,year\n3,10,2001\n4,12,\n6,15,2002\n")
    try dir.write("spec.toml", "[analyses.pool]\n\n[analyses.cum]\ntype = \"sensitivity\"\nanalyses = [\"cumulative\"]\norder_by = \"year\"\n")
    let batch = try runOrrmeta(["batch", "in", "--out", "out", "--spec", "spec.toml", "--quiet"], directory: dir.path)
    #expect(batch.status == 3)
    let rows = try summaryRows(dir.path + "/out").map { "\($0["file"]!) \($0["analysis"]!) \($0["status"]!)" }
    #expect(rows == ["in/a.csv cum ok", "in/a.csv pool ok", "in/b.csv cum error", "in/b.csv pool ok"])
    let errors = try String(contentsOfFile: dir.path + "/out/errors.csv", encoding: .utf8)
    #expect(errors.contains("in/b.csv,cum,3,year,"), "\(errors)")
    let command = try runOrrmeta(["sensitivity", "in/b.csv", "--cumulative", "--order-by", "year"], directory: dir.path)
    #expect(command.status == 65)
  }
}
