// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// `pool --by COL --tau-common` against R meta 8.2-1 `metaprop(..., subgroup =, tau.common = TRUE)`
/// and metafor 3.8-1 `rma(yi, vi, mods = ~ factor(g))` (Fixtures/subgroups/tau-common.json,
/// written by Fixtures/subgroups/generate_tau_common.R with tight control): the common τ², each
/// subgroup's estimate, SE and CI on the model scale, and the test for subgroup differences.
@Suite("--tau-common: meta tau.common = TRUE")
struct TauCommonReferenceTests {
  static let tolerance = 1e-6

  func close(_ a: Double, _ b: Double) -> Bool { isClose(a, b, rtol: Self.tolerance, atol: 1e-14) }

  @Test("every dataset × measure × estimator matches meta and metafor to 1e-6 relative")
  func reference() throws {
    let root = try loadFixtureJSON("subgroups/tau-common.json") as? [String: Any] ?? [:]
    let cases = root["cases"] as? [[String: Any]] ?? []
    #expect(cases.count == 36)
    for c in cases {
      let file = c["file"] as? String ?? "", by = c["by"] as? String ?? ""
      let measure = c["measure"] as? String ?? "", method = c["method"] as? String ?? ""
      let name = "\(c["dataset"] ?? "") \(measure) \(method)"
      let r = try runOrrmeta(["pool", file, "--by", by, "--tau-common", "--measure", measure, "--method", method, "--format", "json"])
      #expect(r.status == 0, "\(name): \(r.stderr)")
      guard let out = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else { continue }
      let test = out["subgroup_test"] as? [String: Any] ?? [:]
      let tau2 = number(c["tau2_common"])
      #expect(close(number(c["tau2_rma_mods"]), tau2), "\(name): meta and metafor agree")
      #expect(close(number(test["tau2_common"]), tau2), "\(name): tau2 \(number(test["tau2_common"])) vs \(tau2)")
      #expect(close(number(test["q"]), number(c["q_between"])), "\(name): Q \(number(test["q"])) vs \(number(c["q_between"]))")
      #expect(close(number(test["p_value"]), number(c["q_between_p"])), "\(name): p")
      #expect(number(test["df"]) == number(c["q_between_df"]))
      let levels = c["levels"] as? [String] ?? []
      let groups = out["subgroups"] as? [[String: Any]] ?? []
      #expect(groups.count == levels.count, "\(name)")
      let est = numbers(c["estimate"]), se = numbers(c["se"]), lo = numbers(c["ci_lower"]), hi = numbers(c["ci_upper"])
      for (i, level) in levels.enumerated() {
        guard let g = groups.first(where: { $0["name"] as? String == level }), let m = g["model"] as? [String: Any] else {
          Issue.record("\(name): no subgroup \(level)")
          continue
        }
        #expect(close(number(m["estimate"]), est[i]), "\(name) \(level): estimate \(number(m["estimate"])) vs \(est[i])")
        #expect(close(number(m["se"]), se[i]), "\(name) \(level): se")
        #expect(close(number(m["ci_lower"]), lo[i]) && close(number(m["ci_upper"]), hi[i]), "\(name) \(level): CI")
        #expect(close(number((g["heterogeneity"] as? [String: Any])?["tau2"]), tau2), "\(name) \(level): subgroup tau2")
      }
      // The overall result keeps its own tau^2, as meta's.
      #expect(close(number((out["model"] as? [String: Any])?["estimate"]), number(c["overall_estimate"])), "\(name): overall")
      #expect(close(number((out["heterogeneity"] as? [String: Any])?["tau2"]), number(c["overall_tau2"])), "\(name): overall tau2")
      #expect((out["settings"] as? [String: Any])?["tau_common"] as? Bool == true)
    }
  }

  @Test("without --tau-common each subgroup keeps its own tau^2; usage errors exit 64")
  func separateAndErrors() throws {
    let alk = "Fixtures/alk-nsclc/cohorts.csv"
    let r = try runOrrmeta(["pool", alk, "--by", "line", "--format", "json"])
    let out = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    let groups = out["subgroups"] as? [[String: Any]] ?? []
    let tau2s = groups.map { number(($0["heterogeneity"] as? [String: Any])?["tau2"]) }
    #expect(tau2s.count == 2 && tau2s[0] != tau2s[1])
    #expect((out["subgroup_test"] as? [String: Any])?["tau2_common"] is NSNull)
    for (args, message) in [
      (["pool", alk, "--tau-common"], "--tau-common applies to subgroups: give the subgroup column with --by COLUMN"),
      (["pool", alk, "--by", "line", "--tau-common", "--method", "GLMM"], "--tau-common needs an inverse-variance method"),
      (["sensitivity", alk, "--all", "--tau-common"], "--tau-common applies to subgroups (--by), which this command does not fit"),
    ] {
      let e = try runOrrmeta(args)
      #expect(e.status == 64 && e.stderr.contains(message), "\(args): \(e.stderr)")
    }
    let text = try runOrrmeta(["pool", alk, "--by", "line", "--tau-common"])
    #expect(text.stdout.contains("  tau^2 common to the subgroups: 0.6196"), "\(text.stdout)")
    let markdown = try runOrrmeta(["pool", alk, "--by", "line", "--tau-common", "--format", "markdown"])
    #expect(markdown.stdout.contains("Test for subgroup differences: Q = 26.7757, df = 1, p < .0001"), "\(markdown.stdout)")
    #expect(markdown.stdout.contains("; τ² common to the subgroups = 0.6196.\n"), "\(markdown.stdout)")
  }
}
