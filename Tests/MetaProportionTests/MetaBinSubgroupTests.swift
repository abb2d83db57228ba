// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// `orrmeta compare --profile meta --by COLUMN` fits ``MetaBinAnalysis`` within each level, as
/// R meta's `subgroup()` refits `metabin` on each level's trials with the same settings
/// (meta 8.2-1 R/subgroup.R, "(1) Subgroup analysis without common tau2"). Checked against
/// `metabin(..., subgroup = g)` (Fixtures/compare/metabin-subgroups.json, from
/// generate_metabin_subgroups.R; meta's default control): each level's k, common and
/// random-effects estimate and SE, CI, PI, τ², Q, I² with its CI and H at 1e-6 relative.
@Suite("R meta metabin subgroups under --profile meta")
struct MetaBinSubgroupTests {
  nonisolated(unsafe) static let fixture: [String: Any] = (try? loadFixtureJSON("compare/metabin-subgroups.json") as? [String: Any]) ?? [:]
  nonisolated(unsafe) static let datasets: [[String: Any]] = fixture["datasets"] as? [[String: Any]] ?? []
  static let names: [String] = datasets.map(fixtureName)

  @Test func coversTheDatasets() {
    #expect(Self.fixture["meta_version"] as? String == "8.2.1")
    #expect(Self.names.count >= 40)
  }

  @Test(arguments: names)
  func dataset(_ name: String) throws {
    let d = try #require(Self.datasets.first { $0["name"] as? String == name })
    let ai = numbers(d["ai"]), n1 = numbers(d["n1i"]), ci = numbers(d["ci"]), n2 = numbers(d["n2i"])
    let group = try #require(d["subgroup"] as? [String])
    let studies = try ai.indices.map {
      try TwoArmStudy(label: "t\($0 + 1)", eventsTreat: Int(ai[$0]), totalTreat: Int(n1[$0]), eventsControl: Int(ci[$0]), totalControl: Int(n2[$0]))
    }
    var failures: [String] = []
    var checked = 0
    for run in d["runs"] as? [[String: Any]] ?? [] where run["error"] == nil {
      let call = "\(name) \(try #require(run["call"] as? String))"
      let s = try MetaBinProfileTests.settings(try #require(run["args"] as? [String: Any]), control: "default")
      let levels = try #require(run["levels"] as? [String])
      for (j, level) in levels.enumerated() {
        let subset = studies.indices.filter { group[$0] == level }.map { studies[$0] }
        let a: MetaBinAnalysis
        do { a = try MetaBinAnalysis(studies: subset, settings: s) } catch {
          failures.append("\(call) [\(level)]: \(error)")
          continue
        }
        func check(_ field: String, _ actual: Double, scale: Double = 1) {
          let expected = numbers(run[field])[j] * scale
          let value = actual.isFinite ? actual : .nan
          if let f = closenessFailure("\(call) [\(level)] \(field)", value, expected, rtol: 1e-6, atol: 1e-10) { failures.append(f) }
          checked += 1
        }
        let c = a.common.summary, r = a.random, h = a.heterogeneity
        check("k_w", Double(a.k))
        check("TE_common_w", c.estimate); check("seTE_common_w", c.standardError)
        check("TE_random_w", r.estimate); check("seTE_random_w", r.standardError)
        check("lower_random_w", r.ciLower); check("upper_random_w", r.ciUpper)
        check("lower_predict_w", r.piLower); check("upper_predict_w", r.piUpper)
        check("tau2_w", h.tau2); check("Q_w", h.q)
        check("I2_w", h.i2, scale: 100); check("lower_I2_w", h.i2CILower, scale: 100); check("upper_I2_w", h.i2CIUpper, scale: 100)
        check("H_w", a.h.h)
      }
    }
    #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(12).joined(separator: "\n"))")
    #expect(checked > 0)
  }
}
