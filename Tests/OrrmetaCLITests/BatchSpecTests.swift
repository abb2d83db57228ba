// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
@testable import OrrmetaCLI
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// The TOML spec: the full example of `Docs/batch.md`, inheritance, and the error messages.
@Suite struct BatchSpecTests {
  static let example = """
    # Settings every analysis inherits unless it sets them itself.
    [defaults]
    measure = "PLO"
    events_column = "responders"
    n_column = "n"
    label_column = "study_id"

    # metafor's defaults: logit, REML, z-test.
    [analyses.reml]
    type = "pool"
    method = "REML"

    # Hartung-Knapp CI, 90 % level, explicit continuity correction.
    [analyses.reml-knha]
    method = "REML"
    test = "knha"
    level = 90
    add = 0.5
    to = "only0"

    # Simple pooling with Wilson intervals.
    [analyses.pooled]
    method = "pooled"
    ci_method = "wilson"

    # Subgroups by treatment line, DerSimonian-Laird.
    [analyses.by-line]
    method = "DL"
    by = "line"

    # The binomial-normal GLMM with 9 quadrature points.
    [analyses.glmm]
    method = "GLMM"
    nagq = 9
    """

  @Test func theDocumentedExampleResolves() throws {
    let specs = try BatchSpecFile.parse(Self.example, file: "example.toml")
    #expect(specs.map(\.name) == ["by-line", "glmm", "pooled", "reml", "reml-knha"])
    let analyses = try specs.map { s throws(BatchSpecError) in try s.resolve(specFile: "example.toml") }
    let byName = Dictionary(uniqueKeysWithValues: analyses.map { ($0.name, $0) })
    let knha = try #require(byName["reml-knha"])
    #expect(knha.settings.test == .knha)
    #expect(knha.settings.level.percent == 90)
    #expect(knha.settings.add == 0.5)
    #expect(knha.columns.events == "responders")  // from [defaults]
    #expect(knha.columns.label == "study_id")
    #expect(byName["by-line"]?.columns.by == "line")
    #expect(byName["by-line"]?.settings.method == .DL)
    #expect(byName["pooled"]?.settings.studyInterval == .wilson)
    #expect(byName["glmm"]?.settings.quadraturePoints == 9)
    #expect(byName["reml"]?.settings == AnalysisSettings())
  }

  @Test func anAnalysisOverridesTheDefaults() throws {
    let specs = try BatchSpecFile.parse("[defaults]\nmethod = \"DL\"\n[analyses.a]\n[analyses.b]\nmethod = \"fe\"\n", file: "s.toml")
    let resolved = try specs.map { s throws(BatchSpecError) in try s.resolve(specFile: "s.toml") }
    #expect(resolved.map(\.settings.method) == [.DL, .EE])  // flag aliases work: fe is EE
  }

  /// (spec text, fragments the message must contain)
  static let invalid: [(String, [String])] = [
    ("[analyses.x]\nmeasure = \"LOGIT\"\n", ["bad.toml", "[analyses.x]", "measure = \"LOGIT\"", "PR, PLN, PLO, PAS, PFT"]),
    ("[analyses.x]\ntype = \"meta\"\n", ["[analyses.x]", "type = \"meta\"", "unknown analysis type", "pool, sensitivity, regress"]),
    ("[analyses.x]\nmethods = \"DL\"\n", ["[analyses.x]", "methods = \"DL\"", "unknown key"]),
    ("[analyses.x]\nlevel = 5\n", ["[analyses.x]", "level = 5", "percentage"]),
    ("[analyses.x]\nadd = -1\n", ["add = -1", ">= 0"]),
    ("[analyses.x]\nnagq = \"many\"\n", ["nagq = \"many\"", "whole number"]),
    ("[analyses.x]\nmethod = \"GLMM\"\nmeasure = \"PR\"\n", ["[analyses.x]", "GLMM", "PLO"]),
    ("[analyses.x]\nby = [\"a\"]\n", ["by = [", "string or a number"]),
    ("[defaults]\ntest = \"w\"\n[analyses.x]\n", ["[defaults]", "test = \"w\"", "z, t, knha, adhoc"]),
    ("[analyses.\"a b\"]\n", ["invalid analysis name 'a b'"]),
    ("[analyses]\n", ["no analyses"]),
    ("method = \"DL\"\n", ["method = \"DL\"", "unknown top-level key"]),
    ("[analyses.x]\nmethod = \"DL\"\nmethod = \"EE\"\n", ["bad.toml:3", "invalid TOML"]),
  ]

  @Test(arguments: 0..<invalid.count)
  func invalidSpecsNameTheFileTableKeyAndValue(_ index: Int) throws {
    let (text, fragments) = Self.invalid[index]
    var message = ""
    do {
      let specs = try BatchSpecFile.parse(text, file: "bad.toml")
      _ = try specs.map { s throws(BatchSpecError) in try s.resolve(specFile: "bad.toml") }
      Issue.record("accepted: \(text)")
    } catch {
      message = error.description
      #expect(ErrorReporting.status(for: error) == .usage)
    }
    for f in fragments { #expect(message.contains(f), "\(message) lacks \(f)") }
  }

  @Test func theCommandExitsWith64ForAnInvalidSpecAnd66ForAMissingOne() throws {
    let dir = try TemporaryDirectory("spec-cli")
    defer { dir.remove() }
    try dir.write("in/a.csv", "events,n\n3,10\n4,12\n")
    try dir.write("bad.toml", "[analyses.x]\nto = \"some\"\n")
    let bad = try runOrrmeta(["batch", "in", "--out", "out", "--spec", "bad.toml"], directory: dir.path)
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("bad.toml: [analyses.x] to = \"some\""))
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    let missing = try runOrrmeta(["batch", "in", "--out", "out", "--spec", "nope.toml"], directory: dir.path)
    #expect(missing.status == 66)
    let mixed = try runOrrmeta(["batch", "in", "--out", "out", "--spec", "bad.toml", "--method", "DL"], directory: dir.path)
    #expect(mixed.status == 64)
    #expect(mixed.stderr.contains("--spec and --method cannot be combined"))
  }
}
