// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// Every JSON output of the binary against its schema under Docs/ (the one validator,
/// ``JSONSchemaSubset``), for several option combinations each. The schemas close every object
/// (`additionalProperties: false`) and list the keys that are always present, so a key added,
/// renamed or dropped without its schema fails here.
@Suite("JSON outputs validate against their schemas")
struct OutputSchemaTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  /// The violations of the command's JSON standard output (after checking it succeeded).
  static func violations(_ arguments: [String], schema: String) throws -> [String] {
    let r = try runOrrmeta(arguments)
    try #require(r.status == 0, "\(arguments.joined(separator: " ")): \(r.stderr)")
    let value = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    return try JSONSchemaSubset(path: fixturePath("../Docs/\(schema)")).violations(of: value)
  }

  static func expectValid(_ arguments: [String], schema: String) throws {
    let errors = try violations(arguments, schema: schema)
    #expect(errors.isEmpty, "\(arguments.joined(separator: " ")) against Docs/\(schema): \(errors.prefix(5))")
  }

  @Test(arguments: [
    [], ["--by", "line"], ["--by", "line", "--tau-common"], ["--method", "GLMM"], ["--method", "pooled", "--ci-method", "wilson"],
    ["--cluster", "trial"], ["--method", "GLMM", "--cluster", "trial"], ["--method", "GLMM", "--cluster", "trial", "--nagq", "1", "--by", "line"],
    ["--measure", "PFT", "--method", "EE", "--where", "line=naive"],
  ])
  func pool(_ extra: [String]) throws {
    try Self.expectValid(["pool", Self.alk, "--format", "json"] + extra, schema: "pool.schema.json")
  }

  @Test(arguments: [
    ["--all"], ["--gosh", "--subsets", "200", "--bootstrap", "50"], ["--method", "GLMM", "--leave-one-out", "--cumulative"],
    ["--trimfill", "--estimator", "R0", "--side", "left", "--method", "DL", "--test", "knha", "--cumulative", "--order-by", "n"],
    ["--measure", "PFT", "--method", "EE", "--all"], ["--where", "line=naive", "--leave-one-out", "--influence", "--bootstrap", "30"],
  ])
  func sensitivity(_ extra: [String]) throws {
    try Self.expectValid(["sensitivity", Self.alk, "--format", "json"] + extra, schema: "sensitivity.schema.json")
  }

  @Test func sensitivityOfTheReferenceTrials() throws {
    let args = ["sensitivity", "Fixtures/reference-trials/cohorts.csv", "--cumulative", "--bias", "--method", "PM", "--test", "t", "--format", "json"]
    try Self.expectValid(args, schema: "sensitivity.schema.json")
  }

  @Test(arguments: [
    ["--leave-one-out"], ["--all", "--bootstrap", "20", "--gosh", "--subsets", "50"],
    ["--bias", "--gosh", "--subsets", "10000", "--method", "ML", "--test", "t"],
    ["--leave-one-out", "--cumulative", "--method", "GLMM", "--nagq", "1"],
  ])
  func sensitivityWithClusters(_ extra: [String]) throws {
    try Self.expectValid(["sensitivity", Self.alk, "--cluster", "trial", "--format", "json"] + extra, schema: "sensitivity-cluster.schema.json")
  }

  @Test(arguments: [
    ["--mods", "line"], ["--mods", "generation", "line", "--test", "knha", "--permutations", "50"],
    ["--mods", "n", "line", "--interaction", "n:line", "--reference", "line=pretreated"],
    ["--mods", "phase", "--permutations", "30", "--method", "DL", "--measure", "PFT", "--where", "line=naive"],
    ["--mods", "line", "--cluster", "trial"],
  ])
  func regress(_ extra: [String]) throws {
    try Self.expectValid(["regress", Self.alk, "--format", "json"] + extra, schema: "regress.schema.json")
  }

  @Test(arguments: [
    [], ["--by", "line", "--ci", "sign-exact"], ["--by", "line", "--median-method", "interpolated", "--bootstrap-replicates", "0"],
    ["--weights", "n", "--level", "90", "--bootstrap-replicates", "100", "--seed", "3"],
    ["--where", "line=naive", "--exclude", "PROFILE1005_crizotinib"],
  ])
  func pfsWeightedMedian(_ extra: [String]) throws {
    try Self.expectValid(["pfs", Self.alk, "--format", "json"] + extra, schema: "pfs.schema.json")
  }

  @Test(arguments: [
    ["Fixtures/pfs/dat_lung.csv", "--pool", "iv", "--estimand", "log-ratio"], ["Fixtures/pfs/dat_lung.csv", "--pool", "iv", "--arm", "ctrl", "--method", "DL"],
    [alk, "--hr", "--by", "line"], ["Fixtures/pfs/dat_lung.csv", "--pool", "iv", "--estimand", "difference", "--mods", "n_treat"],
  ])
  func pfsInverseVariance(_ extra: [String]) throws {
    try Self.expectValid(["pfs", "--format", "json"] + extra, schema: "pfs-iv.schema.json")
  }

  @Test(arguments: ["Fixtures/alk-nsclc/published.toml", "Fixtures/reference-trials/published.toml"])
  func check(_ file: String) throws {
    try Self.expectValid(["check", file, "--format", "json"], schema: "check.schema.json")
  }

  @Test(arguments: [
    [], ["--exclude", "PROFILE1001_crizotinib", "--median-method", "interpolated"], ["--fixtures", "Fixtures/reference-trials"],
  ])
  func reproduce(_ extra: [String]) throws {
    try Self.expectValid(["reproduce", "--format", "json"] + extra, schema: "reproduce.schema.json")
  }

  // compare: CompareCommandTests validates every case it checks against Docs/compare.schema.json.

  /// A batch with every kind of analysis (pool with --by and --cluster, sensitivity of an
  /// inverse-variance model and of the GLMM, regress) over a good file, a second good file and a
  /// bad one (failed rows), whole and as a shard: every summary.jsonl row, every manifest record
  /// and batch.json against their schemas.
  @Test func batchFiles() throws {
    let dir = try TemporaryDirectory("schema")
    defer { dir.remove() }
    try dir.write("in/alk.csv", String(contentsOfFile: fixturePath("alk-nsclc/cohorts.csv"), encoding: .utf8))
    try dir.write("in/ref.csv", String(contentsOfFile: fixturePath("reference-trials/cohorts.csv"), encoding: .utf8))
    try dir.write("in/bad.csv", "label,events,n\na,3,10\nb,12,10\n")
    try dir.write("spec.toml", """
      [defaults]
      test = "knha"
      [analyses.main]
      method = "DL"
      [analyses.bylines]
      by = "line"
      [analyses.clustered]
      cluster = "trial"
      [analyses.sens]
      type = "sensitivity"
      analyses = ["leave-one-out", "bias", "gosh", "bootstrap"]
      subsets = 100
      bootstrap = 20
      [analyses.glmmsens]
      type = "sensitivity"
      method = "GLMM"
      test = "z"
      analyses = ["leave-one-out"]
      [analyses.reg]
      type = "regress"
      mods = ["line"]

      """)
    let runs: [(String, [String])] = [
      ("out", ["batch", "in", "--out", "out", "--spec", "spec.toml", "--quiet"]),
      ("out2", ["batch", "in/alk.csv", "in/ref.csv", "--out", "out2", "--quiet", "--shard", "1/2"]),
      ("out3", ["batch", "in", "--out", "out3", "--quiet", "--method", "EE", "--by", "line"]),
    ]
    let summary = try JSONSchemaSubset(path: fixturePath("../Docs/batch-summary.schema.json"))
    let manifest = try JSONSchemaSubset(path: fixturePath("../Docs/batch-manifest.schema.json"))
    let batch = try JSONSchemaSubset(path: fixturePath("../Docs/batch.schema.json"))
    var statuses = Set<String>()
    for (out, args) in runs {
      let r = try runOrrmeta(args, directory: dir.path)
      #expect([0, 3].contains(r.status), "\(args): \(r.stderr)")
      for (file, schema) in [("summary.jsonl", summary), ("manifest.jsonl", manifest)] {
        let lines = String(decoding: try dir.read("\(out)/\(file)"), as: UTF8.self).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
          let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
          if let status = (value as? [String: Any])?["status"] as? String { statuses.insert(status) }
          let errors = schema.violations(of: value)
          #expect(errors.isEmpty, "\(out)/\(file): \(errors.prefix(5))")
        }
      }
      let errors = batch.violations(of: try JSONSerialization.jsonObject(with: dir.read("\(out)/batch.json")))
      #expect(errors.isEmpty, "\(out)/batch.json: \(errors.prefix(5))")
    }
    // Both kinds of row were validated.
    #expect(statuses == ["ok", "error"], "\(statuses)")
  }

  /// The schemas are closed: a key the output gains without its schema is a violation, at the
  /// top level and inside nested objects.
  @Test func anUndocumentedKeyIsAViolation() throws {
    let r = try runOrrmeta(["sensitivity", Self.alk, "--leave-one-out", "--format", "json"])
    var value = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let schema = try JSONSchemaSubset(path: fixturePath("../Docs/sensitivity.schema.json"))
    #expect(schema.violations(of: value).isEmpty)
    value["new_key"] = 1
    #expect(schema.violations(of: value) == ["$: unexpected property 'new_key'"])
    value["new_key"] = nil
    var settings = try #require(value["sensitivity_settings"] as? [String: Any])
    settings.removeValue(forKey: "seed")
    value["sensitivity_settings"] = settings
    #expect(schema.violations(of: value) == ["$.sensitivity_settings: missing required 'seed'"])
  }

  /// Docs/output-schema.md names every schema, and every schema under Docs/ has a test here.
  @Test func everySchemaIsDocumented() throws {
    let docs = try String(contentsOfFile: fixturePath("../Docs/output-schema.md"), encoding: .utf8)
    let schemas = try FileManager.default.contentsOfDirectory(atPath: fixturePath("../Docs")).filter { $0.hasSuffix(".schema.json") }
    #expect(schemas.count >= 12)
    for s in schemas { #expect(docs.contains("Docs/\(s)"), "Docs/output-schema.md does not mention Docs/\(s)") }
  }
}
