// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `--profile` and `--convergence` through the real binary: a profile changes defaults only, an
/// explicit flag wins, the JSON and text name the profile and each default it changed, every
/// output carries the `common` block and H with its CI (valid against Docs/pool.schema.json),
/// and `orrmeta profiles` prints the table.
@Suite(.serialized)
struct ProfileCommandTests {
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  func json(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(["pool", Self.alk] + args + ["--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let d = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let errors = try JSONSchemaSubset(path: fixturesDirectory + "/../Docs/pool.schema.json").violations(of: d)
    #expect(errors == [], "\(args)")
    return d
  }

  @Test func defaultProfileIsOrrmetaAndChangesNothing() throws {
    let s = try #require(json([])["settings"] as? [String: Any])
    #expect(s["profile"] as? String == "orrmeta")
    #expect((s["profile_changes"] as? [String]) == [])
    #expect(s["convergence"] as? String == "exact")
    #expect(s["method"] as? String == "REML")
    let text = try runOrrmeta(["pool", Self.alk]).stdout
    #expect(!text.contains("profile:") && !text.contains("convergence:"))
  }

  @Test func metaProfileChangesMethodAndConvergenceAndSaysSo() throws {
    let s = try #require(json(["--profile", "meta"])["settings"] as? [String: Any])
    #expect(s["profile"] as? String == "meta")
    #expect(s["method"] as? String == "GLMM")
    #expect(s["convergence"] as? String == "metafor")
    #expect((s["profile_changes"] as? [String]) == ["method GLMM (orrmeta: REML)", "convergence metafor (orrmeta: exact)"])
    let text = try runOrrmeta(["pool", Self.alk, "--profile", "meta"]).stdout
    #expect(text.contains("profile: meta; defaults changed: method GLMM (orrmeta: REML), convergence metafor (orrmeta: exact)"))
    // Not the logit: meta's inverse-variance REML.
    let pas = try #require(json(["--profile", "meta", "--measure", "PAS"])["settings"] as? [String: Any])
    #expect(pas["method"] as? String == "REML")
  }

  @Test func anExplicitFlagWins() throws {
    let s = try #require(json(["--profile", "meta", "--method", "DL", "--convergence", "exact"])["settings"] as? [String: Any])
    #expect(s["method"] as? String == "DL")
    #expect(s["convergence"] as? String == "exact")
    #expect((s["profile_changes"] as? [String]) == [])
    let stata = try #require(json(["--profile", "stata", "--ci-method", "clopper-pearson"])["settings"] as? [String: Any])
    #expect(stata["measure"] as? String == "PFT")
    #expect(stata["method"] as? String == "DL")
    #expect(stata["ci_method"] as? String == "clopper-pearson")
    #expect((stata["profile_changes"] as? [String]) == ["measure PFT (orrmeta: PLO)", "method DL (orrmeta: REML)"])
  }

  /// metafor's PM stops `uniroot` at tol 2⁻¹³: `--convergence metafor` reproduces that root, so
  /// τ² moves from the exact root by less than the tolerance but is not the same number.
  @Test func convergenceMetaforStopsWhereMetaforStops() throws {
    let exact = try #require(json(["--method", "PM"])["heterogeneity"] as? [String: Any])
    let metafor = try #require(json(["--method", "PM", "--convergence", "metafor"])["heterogeneity"] as? [String: Any])
    let a = try #require(exact["tau2"] as? Double), b = try #require(metafor["tau2"] as? Double)
    #expect(a != b)
    #expect(abs(a - b) < 0x1p-13)
  }

  @Test func commonBlockAndHAreReported() throws {
    let d = try json(["--method", "DL"])
    let c = try #require(d["common"] as? [String: Any])
    let ee = try json(["--method", "EE"])
    let model = try #require(ee["model"] as? [String: Any]), pooled = try #require(ee["pooled"] as? [String: Any])
    #expect(c["estimate"] as? Double == model["estimate"] as? Double)
    #expect(c["se"] as? Double == model["se"] as? Double)
    #expect(c["proportion"] as? Double == pooled["proportion"] as? Double)
    #expect(c["proportion_ci_upper"] as? Double == pooled["ci_upper"] as? Double)
    #expect(try #require(ee["common"] as? [String: Any])["estimate"] as? Double == model["estimate"] as? Double)
    let h = try #require(d["heterogeneity"] as? [String: Any])
    let q = try #require(h["q"] as? Double), k = Double(try #require(d["k"] as? Int))
    let hValue = try #require(h["h"] as? Double)
    #expect(abs(hValue - (q / (k - 1)).squareRoot()) < 1e-12)
    #expect(try #require(h["h_ci_lower"] as? Double) < hValue && hValue < (try #require(h["h_ci_upper"] as? Double)))
    #expect(try json(["--method", "pooled"])["common"] is NSNull)
  }

  @Test func profilesCommandPrintsTheTable() throws {
    let r = try runOrrmeta(["profiles"])
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["setting", "orrmeta", "metafor", "meta", "stata"])
    #expect(lines.contains { $0.hasPrefix("method (PLO)") && $0.split(separator: " ", omittingEmptySubsequences: true).suffix(4) == ["REML", "REML", "GLMM", "DL"] })
    #expect(lines.contains { $0.hasPrefix("convergence") && $0.hasSuffix("exact") && $0.contains("metafor") })
  }

  /// meta's three-level default (ML for the logit, REML otherwise; `AnalysisProfile.method(for:
  /// glmmAvailable:clustered:)`) is the same in every command that takes `--cluster`, and in a
  /// batch spec with `cluster`: not only in `pool`.
  @Test func metaProfileWithClustersUsesMLForTheLogitInEveryCommand() throws {
    let poolSettings = try #require(json(["--profile", "meta", "--cluster", "trial"])["settings"] as? [String: Any])
    #expect(poolSettings["method"] as? String == "ML")
    for command in [["sensitivity", Self.alk, "--leave-one-out"], ["regress", Self.alk, "--mods", "line"]] {
      let r = try runOrrmeta(command + ["--profile", "meta", "--cluster", "trial", "--format", "json"])
      #expect(r.status == 0, "\(command[0]): \(r.stderr)")
      let d = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
      let settings = (d["settings"] ?? d["sensitivity_settings"]) as? [String: Any]
      #expect(settings?["method"] as? String == "ML", "\(command[0]): \(r.stdout.prefix(400))")
      #expect((settings?["profile_changes"] as? [String])?.contains("method ML (orrmeta: REML)") == true, "\(command[0])")
    }
    let pas = try runOrrmeta(["sensitivity", Self.alk, "--leave-one-out", "--profile", "meta", "--measure", "PAS", "--cluster", "trial", "--format", "json"])
    #expect(pas.status == 0, "\(pas.stderr)")
    let pasJSON = try #require(JSONSerialization.jsonObject(with: Data(pas.stdout.utf8)) as? [String: Any])
    #expect((pasJSON["settings"] as? [String: Any])?["method"] as? String == "REML", "\(pas.stdout.prefix(400))")
    let dir = try temporaryDirectory()
    try FileManager.default.copyItem(atPath: fixturesDirectory + "/alk-nsclc/cohorts.csv", toPath: dir + "/alk.csv")
    try "[analyses.loco]\ntype = \"sensitivity\"\nprofile = \"meta\"\ncluster = \"trial\"\nanalyses = [\"leave-one-out\"]\n"
      .write(toFile: dir + "/spec.toml", atomically: true, encoding: .utf8)
    let batch = try runOrrmeta(["batch", "alk.csv", "--output", "out", "--spec", "spec.toml", "--quiet"], directory: dir)
    #expect(batch.status == 0, "\(batch.stderr)")
    let summary = try String(contentsOfFile: dir + "/out/summary.csv", encoding: .utf8)
    #expect(summary.contains("alk.csv,loco,ok,PLO,ML,"), "\(summary)")
  }
}
