// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
@testable import OrrmetaCLI
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `type = "sensitivity"` with `cluster = "trial"`: the result is the bytes of
/// `orrmeta sensitivity FILE --cluster trial … --format json`, the summary row holds the
/// three-level pool blocks, the spec and the command accept and refuse the same analyses, and
/// the cluster enters the settings hash.
@Suite struct BatchClusterSensitivityTests {
  static let spec = """
    [analyses.main]
    type = "pool"
    cluster = "trial"

    [analyses.sens]
    type = "sensitivity"
    cluster = "trial"
    analyses = ["leave-one-out", "influence", "cumulative", "bias"]
    """

  static func analyses(_ text: String) throws(BatchSpecError) -> [BatchAnalysis] {
    try BatchSpecFile.parse(text, file: "spec.toml").map { s throws(BatchSpecError) in try s.resolve(specFile: "spec.toml") }
  }

  @Test func theResultIsTheBytesOfTheCommandAndTheRowTheThreeLevelPoolBlocks() throws {
    let dir = try TemporaryDirectory("batch-cluster-sens")
    defer { dir.remove() }
    let csv = try String(contentsOfFile: fixturesDirectory + "/alk-nsclc/cohorts.csv", encoding: .utf8)
    try dir.write("corpus/alk.csv", csv)
    try dir.write("spec.toml", Self.spec)
    let batch = try runOrrmeta(["batch", "corpus", "--out", "out", "--spec", "spec.toml", "--quiet"], directory: dir.path)
    #expect(batch.status == 0, "\(batch.stderr)")

    let file = "corpus/alk.csv"
    let command = try runOrrmeta(
      ["sensitivity", file, "--cluster", "trial", "--leave-one-out", "--influence", "--cumulative", "--bias", "--format", "json"],
      directory: dir.path)
    #expect(command.status == 0, "\(command.stderr)")
    let result = try String(contentsOfFile: dir.path + "/out/" + BatchLayout.resultPath(file: file, analysis: "sens", root: .init(files: [file])), encoding: .utf8)
    #expect(result == command.stdout, "the result differs from orrmeta sensitivity --cluster --format json")

    let rows = try summaryRows(dir.path + "/out")
    let row = try #require(rows.first { $0["analysis"] as? String == "sens" })
    let main = try #require(rows.first { $0["analysis"] as? String == "main" })
    #expect(row["status"] as? String == "ok")
    for column in BatchRow.columns where !["file", "analysis", "warnings"].contains(column) && !BatchRow.sensitivityColumns.contains(column) {
      #expect("\(row[column] ?? "absent")" == "\(main[column] ?? "absent")", "\(column)")
    }
    let pool = try runOrrmeta(["pool", file, "--cluster", "trial", "--format", "json"], directory: dir.path)
    let pooled = try #require((try JSONSerialization.jsonObject(with: Data(pool.stdout.utf8)) as? [String: Any])?["pooled"] as? [String: Any])
    #expect(row["proportion"] as? Double == pooled["proportion"] as? Double)
    #expect(row["ci_lower"] as? Double == pooled["ci_lower"] as? Double)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any])
    let bias = try #require(json["bias"] as? [String: Any])
    #expect(row["egger_p_value"] as? Double == bias["p_value"] as? Double)
    #expect(row["warnings"] as? [String] == json["warnings"] as? [String])
  }

  /// Every analysis of the list, alone and with `order_by`: the spec resolves exactly when the
  /// command's flags parse (one rule: `SensitivityAnalysisOptions.requireClusterSupport`).
  static let pairs: [(spec: String, flags: [String])] =
    SensitivityAnalysisOptions.analysisNames.map { name in
      name == "bootstrap"
        ? ("analyses = [\"bootstrap\"]\nbootstrap = 100", ["--bootstrap", "100"])
        : ("analyses = [\"\(name)\"]", ["--\(name)"])
    } + [
      ("analyses = [\"cumulative\"]\norder_by = \"n\"", ["--cumulative", "--order-by", "n"]),
      ("analyses = [\"gosh\"]\nsubsets = 50", ["--gosh", "--subsets", "50"]),
    ]

  @Test(arguments: 0..<pairs.count)
  func theSpecAndTheCommandAcceptAndRefuseTheSameAnalyses(_ index: Int) throws {
    let (spec, flags) = Self.pairs[index]
    let command = Result { try Orrmeta.Sensitivity.parse(["f.csv", "--cluster", "trial"] + flags) }
    let batch = Result { try Self.analyses("[analyses.a]\ntype = \"sensitivity\"\ncluster = \"trial\"\n" + spec) }
    switch (command, batch) {
    case (.success, .success(let a)):
      #expect(a[0].columns.cluster == "trial")
    case (.failure(let c), .failure(let b)):
      let reason = (b as? BatchSpecError)?.description ?? "\(b)"
      #expect(reason.contains("cluster = \"trial\"") || reason.contains("order_by"), "\(reason)")
      #expect(!Orrmeta.Sensitivity.message(for: c).isEmpty)
    default:
      Issue.record("\(flags): command \(command), spec \(batch)")
    }
    // Without the cluster, both accept.
    #expect((try? Orrmeta.Sensitivity.parse(["f.csv"] + flags)) != nil)
    #expect((try? Self.analyses("[analyses.a]\ntype = \"sensitivity\"\n" + spec)) != nil)
  }

  @Test func theRefusedAnalysesAreTrimfillGoshWithoutSubsetsAndTheOrder() throws {
    let refused = Self.pairs.filter { (try? Orrmeta.Sensitivity.parse(["f.csv", "--cluster", "trial"] + $0.flags)) == nil }.map(\.flags[0])
    #expect(refused == ["--trimfill", "--gosh", "--cumulative"])
  }

  @Test func theClusterEntersTheSettingsHash() throws {
    func hash(_ extra: String) throws -> String {
      try Self.analyses("[analyses.a]\ntype = \"sensitivity\"\nanalyses = [\"leave-one-out\"]\n" + extra)[0].settingsHash
    }
    let none = try hash(""), trial = try hash("cluster = \"trial\""), other = try hash("cluster = \"study_id\"")
    #expect(Set([none, trial, other]).count == 3)
    #expect(try Self.analyses("[analyses.a]\ntype = \"sensitivity\"\ncluster = \"trial\"\nanalyses = [\"bias\"]\n")[0].fingerprint.contains(#""cluster":"trial""#))
  }
}
