// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `pool --profile stata` through the binary: Freeman–Tukey keeps the 0 % cohort and
/// `stata_scale` carries the model on Stata's Freeman–Tukey sum scale; with untransformed
/// proportions (`--measure PR`) the 0 % cohort leaves the pooling with a warning naming it
/// (values by hand in Tests/MetaProportionTests/StataProfileTests.swift); every output valid
/// against Docs/pool.schema.json; under the orrmeta profile `stata_scale` is null.
struct StataProfileCommandTests {
  func pool(_ args: [String]) throws -> [String: Any] {
    let dir = try temporaryDirectory("orrmeta-stata")
    let csv = dir + "/c.csv"
    try "study,events,n\nA,0,10\nB,3,10\nC,5,20\nD,12,16\n".write(toFile: csv, atomically: true, encoding: .utf8)
    let r = try runOrrmeta(["pool", csv, "--format", "json"] + args)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let d = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let errors = try JSONSchemaSubset(path: fixturesDirectory + "/../Docs/pool.schema.json").violations(of: d)
    #expect(errors == [], "\(args)")
    return d
  }

  @Test func stataProfileKeepsEveryCohortUnderFreemanTukeyAndReportsTheSumScale() throws {
    let d = try pool(["--profile", "stata"])
    #expect(d["k"] as? Int == 4)
    let warnings = try #require(d["warnings"] as? [String])
    #expect(!warnings.contains { $0.contains("without cc()") })
    let t = try #require(d["stata_scale"] as? [String: Any])
    #expect(abs(try #require(t["estimate"] as? Double) - 1.173120445658608) < 1e-12)
    #expect(abs(try #require(t["se"] as? Double) - 0.352633566474304) < 1e-12)
    #expect(abs(try #require(t["tau2"] as? Double) - 0.4233004554016447) < 1e-12)
    let p = try #require(d["pooled"] as? [String: Any])
    #expect(abs(try #require(p["proportion"] as? Double) - 0.2918795159310489) < 1e-12)
    #expect(try pool([])["stata_scale"] is NSNull)
  }

  @Test func untransformedProportionsDropTheZeroCohort() throws {
    let d = try pool(["--profile", "stata", "--measure", "PR"])
    #expect(d["k"] as? Int == 3)
    let warnings = try #require(d["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("A (0/10)") && $0.contains("without cc()") })
    let proportion = try #require((d["pooled"] as? [String: Any])?["proportion"] as? Double)
    #expect(abs(proportion - 0.4360701211920388) < 1e-12)
    #expect(d["stata_scale"] is NSNull)
    #expect(try pool(["--profile", "stata", "--measure", "PR", "--add", "0.5"])["k"] as? Int == 4)
  }
}
