// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// `orrmeta compare --method GLMM` and the diagnostics (`--influence`, `--trimfill`, `--gosh`,
/// Harbord's test under `--bias`) through the real binary: schema-valid JSON whose numbers are
/// metafor's (Fixtures/compare/glmm.json, sensitivity.json), and usage errors.
@Suite(.serialized)
struct CompareDiagnosticsCommandTests {
  func run(_ args: [String]) throws -> [String: Any] {
    let r = try runOrrmeta(["compare"] + args + ["--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let d = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    #expect(try JSONSchemaSubset(path: fixturePath("../Docs/compare.schema.json")).violations(of: d) == [])
    return d
  }

  @Test func glmmModelsOnTheCommandLine() throws {
    let file = try CompareCommandTests.bcgCSV(in: try temporaryDirectory())
    let um = try run([file, "--method", "GLMM"])
    let fixture = try #require((try loadFixtureJSON("compare/glmm.json") as? [String: Any])?["um_fs"] as? [[String: Any]])
    let e = try #require(fixture.first { $0["name"] as? String == "bcg" && $0["test"] as? String == "z" })
    let m = try #require(um["model"] as? [String: Any])
    #expect(isClose(number(m["estimate"]), number(e["beta"]), rtol: 1e-4))
    #expect(isClose(number(m["se"]), number(e["se"]), rtol: 1e-4))
    #expect(isClose(number(try #require(um["heterogeneity"] as? [String: Any])["tau2"]), number(e["tau2"]), rtol: 1e-4))
    let s = try #require(um["settings"] as? [String: Any])
    #expect(s["glmm_model"] as? String == "UM.FS" && s["nagq"] as? Int == 7)
    let cm = try run([file, "--method", "GLMM", "--model", "CM.EL", "--test", "t"])
    #expect(try #require(cm["settings"] as? [String: Any])["glmm_model"] as? String == "CM.EL")
    #expect(try #require(cm["heterogeneity"] as? [String: Any])["q"] is NSNull)
    for bad in [["--method", "GLMM", "--measure", "RR"], ["--method", "GLMM", "--test", "knha"], ["--method", "DL", "--model", "UM.FS"],
                ["--method", "GLMM", "--model", "CM.EL", "--nagq", "3"], ["--method", "GLMM", "--model", "XX"]] {
      let r = try runOrrmeta(["compare", file] + bad)
      #expect(r.status == 64, "\(bad): \(r.stderr)")
    }
    // metafor defines influence() and trimfill() for rma fits only: the refusal says so and
    // names the alternatives.
    for (bad, says) in [
      (["--method", "MH", "--influence"], "influence() is not defined for rma.mh fits"),
      (["--method", "Peto", "--trimfill"], "trimfill() is not defined for rma.peto fits"),
      (["--method", "MH", "--bias"], "regtest() is not defined for rma.mh fits"),
    ] {
      let r = try runOrrmeta(["compare", file] + bad)
      #expect(r.stderr.contains(says) && r.stderr.contains("--method EE") && r.stderr.contains("--leave-one-out"), "\(r.stderr)")
    }
  }

  @Test func influenceTrimFillGoshAndHarbord() throws {
    let file = try CompareCommandTests.bcgCSV(in: try temporaryDirectory())
    let d = try run([file, "--measure", "OR", "--method", "REML", "--influence", "--trimfill", "--gosh", "--bias"])
    let s = try #require((try loadFixtureJSON("compare/sensitivity.json") as? [String: Any])?["datasets"] as? [[String: Any]])
    let cases = try #require(s.first { $0["name"] as? String == "bcg" }?["cases"] as? [[String: Any]])
    let c = try #require(cases.first { $0["measure"] as? String == "OR" && $0["method"] as? String == "REML" && $0["test"] as? String == "z" })
    let infl = try #require(d["influence"] as? [[String: Any]])
    let cook = numbers(try #require(c["influence"] as? [String: Any])["cook_d"])
    #expect(infl.count == 13 && cook.count == 13)
    for (row, x) in zip(infl, cook) { #expect(isClose(number(row["cook_d"]), x, rtol: 1e-6)) }
    let tf = try #require(d["trimfill"] as? [String: Any])
    #expect(isClose(number(tf["estimate"]), number(try #require(c["trimfill"] as? [String: Any])["estimate"]), rtol: 1e-6))
    let harbord = try #require((d["bias"] as? [String: Any])?["harbord"] as? [String: Any])
    #expect(isClose(number(harbord["statistic"]), number(try #require(c["harbord"] as? [String: Any])["zval"]), rtol: 1e-6))
    let g = try #require(d["gosh"] as? [String: Any])
    #expect(g["subsets"] as? Int == 8191 && g["exhaustive"] as? Bool == true)
    for bad in [["--method", "MH", "--influence"], ["--method", "Peto", "--trimfill"], ["--method", "GLMM", "--gosh"], ["--side", "left"]] {
      let r = try runOrrmeta(["compare", file] + bad)
      #expect(r.status == 64, "\(bad): \(r.stderr)")
    }
    // metafor defines influence() and trimfill() for rma fits only: the refusal says so and
    // names the alternatives.
    for (bad, says) in [
      (["--method", "MH", "--influence"], "influence() is not defined for rma.mh fits"),
      (["--method", "Peto", "--trimfill"], "trimfill() is not defined for rma.peto fits"),
      (["--method", "MH", "--bias"], "regtest() is not defined for rma.mh fits"),
    ] {
      let r = try runOrrmeta(["compare", file] + bad)
      #expect(r.stderr.contains(says) && r.stderr.contains("--method EE") && r.stderr.contains("--leave-one-out"), "\(r.stderr)")
    }
  }
}
