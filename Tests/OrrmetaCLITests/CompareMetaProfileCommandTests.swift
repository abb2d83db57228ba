// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// `orrmeta compare --profile meta` through the binary: R meta 8.2-1's `metabin` numbers
/// (Fixtures/compare/metabin.json) in `common`, `model` and `heterogeneity`, the schema, the
/// echo of the profile's changes, the refusals, and batch specs with `profile = "meta"`.
@Suite(.serialized)
struct CompareMetaProfileCommandTests {
  /// The bcg run of metabin.json with these arguments (meta's default control).
  static func metabinRun(sm: String, method: String, tau: String, ci: String) throws -> [String: Any] {
    let d = try #require((try loadFixtureJSON("compare/metabin.json") as? [String: Any])?["datasets"] as? [[String: Any]])
    let runs = try #require(d.first { $0["name"] as? String == "bcg" }?["runs"] as? [[String: Any]])
    return try #require(runs.first {
      let a = $0["args"] as? [String: Any] ?? [:]
      return $0["control"] as? String == "default" && a.count == 4 && a["sm"] as? String == sm && a["method"] as? String == method
        && a["method.tau"] as? String == tau && a["method.random.ci"] as? String == ci
    })
  }

  func run(_ args: [String], directory: String? = nil) throws -> [String: Any] {
    let r = try runOrrmeta(["compare"] + args + ["--format", "json"], directory: directory)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
  }

  @Test(arguments: [
    ([String](), "RR", "MH", "REML", "classic"),
    (["--measure", "OR", "--method", "Peto", "--tau2-method", "DL", "--test", "knha"], "OR", "Peto", "DL", "HK"),
    (["--measure", "RD", "--tau2-method", "DL"], "RD", "MH", "DL", "classic"),
    (["--measure", "OR", "--method", "REML", "--test", "knha"], "OR", "Inverse", "REML", "HK"),
  ])
  func bcgIsMetabin(_ c: ([String], String, String, String, String)) throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = try CompareCommandTests.bcgCSV(in: dir)
    let d = try run([file, "--profile", "meta"] + c.0 + ["--by", "alloc"])
    #expect(try JSONSchemaSubset(path: fixturePath("../Docs/compare.schema.json")).violations(of: d) == [])
    let e = try Self.metabinRun(sm: c.1, method: c.2, tau: c.3, ci: c.4)
    let common = try #require(d["common"] as? [String: Any]), model = try #require(d["model"] as? [String: Any])
    let het = try #require(d["heterogeneity"] as? [String: Any])
    let pairs: [(Any?, String)] = [
      (common["estimate"], "TE_common"), (common["se"], "seTE_common"), (common["ci_lower"], "lower_common"),
      (common["ci_upper"], "upper_common"), (model["estimate"], "TE_random"), (model["se"], "seTE_random"),
      (model["ci_lower"], "lower_random"), (model["ci_upper"], "upper_random"), (model["pi_lower"], "lower_predict"),
      (model["pi_upper"], "upper_predict"), (het["tau2"], "tau2"), (het["q"], "Q"), (het["h"], "H"),
      (het["h_ci_upper"], "upper_H"), (het["tau2_ci_lower"], "lower_tau2"), (het["tau2_ci_upper"], "upper_tau2"),
    ]
    for (actual, field) in pairs {
      #expect(isClose(number(actual), number(e[field]), rtol: 1e-6, atol: 1e-12), "\(c.0) \(field): \(number(actual)) vs \(number(e[field]))")
    }
    #expect(isClose(number(het["i2"]), 100 * number(e["I2"]), rtol: 1e-6, atol: 1e-10))
    #expect(d["k"] as? Int == e["k"] as? Int)
    let settings = try #require(d["settings"] as? [String: Any])
    #expect(settings["profile"] as? String == "meta")
    #expect(settings["common_method"] as? String == c.2)
    #expect(settings["tau2_method"] as? String == c.3)
    #expect(settings["convergence"] as? String == "metafor")
    let changes = settings["profile_changes"] as? [String] ?? []
    #expect(changes.contains("measure RR (orrmeta: OR)") == c.0.isEmpty)
    let groups = try #require(d["subgroups"] as? [[String: Any]])
    #expect(groups.count == 2 && groups.allSatisfy { $0["common"] is [String: Any] })
  }

  /// `--profile metafor` changes only the stopping rules (metafor's default control), and says so.
  @Test func metaforProfileSetsMetaforsControl() throws {
    let d = try run(["Fixtures/compare/bcg.csv", "--profile", "metafor", "--method", "REML"])
    let settings = try #require(d["settings"] as? [String: Any])
    #expect(settings["profile"] as? String == "metafor")
    #expect(settings["convergence"] as? String == "metafor")
    #expect(settings["profile_changes"] as? [String] == ["convergence metafor (orrmeta: exact)"])
    #expect(d["common"] is NSNull)
    let exact = try run(["Fixtures/compare/bcg.csv", "--method", "REML"])
    #expect((exact["settings"] as? [String: Any])?["convergence"] as? String == "exact")
    // metafor 3.8-1 with its default control: rma(measure = "OR", ai = tpos, n1i = tpos + tneg,
    // ci = cpos, n2i = cpos + cneg, data = dat.bcg, method = "REML") prints (digits = 15)
    // tau2 0.337772045077251, estimate -0.745177771837063, se 0.186027915414979.
    let model = try #require(d["model"] as? [String: Any])
    #expect(isClose(number((d["heterogeneity"] as? [String: Any])?["tau2"]), 0.337772045077251, rtol: 1e-8))
    #expect(isClose(number(model["estimate"]), -0.745177771837063, rtol: 1e-8))
    #expect(isClose(number(model["se"]), 0.186027915414979, rtol: 1e-8))
  }

  @Test func textNamesBothModelsAndTheProfile() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = try CompareCommandTests.bcgCSV(in: dir)
    let r = try runOrrmeta(["compare", file, "--profile", "meta"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("profile: meta; defaults changed: measure RR (orrmeta: OR)"))
    #expect(r.stdout.contains("Common effect (MH) risk ratio: "))
    #expect(r.stdout.contains("Random effects risk ratio: "))
  }

  @Test(arguments: [
    (["--tau2-method", "DL"], "--tau2-method applies to --profile meta only"),
    (["--profile", "meta", "--method", "GLMM"], "--profile meta: method = GLMM is invalid"),
    (["--profile", "meta", "--method", "MH", "--tau2-method", "EE"], "--tau2-method must be a random-effects"),
    (["--profile", "meta", "--method", "DL", "--tau2-method", "REML"], "no --tau2-method with --method DL"),
    (["--profile", "meta", "--leave-one-out"], "not available with --profile meta yet"),
    (["--profile", "stata"], "--profile stata is not available for compare"),
    (["--profile", "meta", "--to", "none"], "only0, all or if0all under profile meta"),
  ])
  func refusals(_ c: ([String], String)) throws {
    let r = try runOrrmeta(["compare", "Fixtures/compare/bcg.csv"] + c.0)
    #expect(r.status == 64, "\(c.0): \(r.stderr)")
    #expect(r.stderr.contains(c.1), "\(c.0): \(r.stderr)")
  }

  @Test func batchSpecWithProfileMetaIsTheCommand() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = try CompareCommandTests.bcgCSV(in: dir)
    try """
      [analyses.metabin]
      type = "compare"
      profile = "meta"
      tau2_method = "DL"

      """.write(toFile: "\(dir)/spec.toml", atomically: true, encoding: .utf8)
    let batch = try runOrrmeta(["batch", "bcg.csv", "--output", "out", "--spec", "spec.toml", "--quiet"], directory: dir)
    #expect(batch.status == 0, "\(batch.stderr)")
    let standalone = try runOrrmeta(["compare", "bcg.csv", "--profile", "meta", "--tau2-method", "DL", "--format", "json"], directory: dir)
    let result = try String(contentsOfFile: "\(dir)/out/results/bcg.csv/metabin.json", encoding: .utf8)
    #expect(result == standalone.stdout)
  }
}
