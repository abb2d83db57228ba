// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Mantel–Haenszel pooling on corrected tables (``ComparisonSettings/correctPooledTables``:
/// metafor's `rma.mh(add = c(.5, .5), to = c("only0", "only0"), drop00 = c(TRUE, TRUE))`) is
/// R meta's common-effect `metabin` estimate with its defaults (`MH.exact = FALSE`,
/// `incr = 0.5`, `method.incr = "only0"`): checked against meta 8.2-1
/// (Fixtures/compare/meta.json, from generate_meta.R) for RR (meta's default `sm`) and OR on the
/// 56 datasets of the comparison fixture, at 1e-6 relative (absolute floor 1e-10).
///
/// meta's random-effects block (method.tau = "REML") is checked here on the datasets without
/// zero cells (`randomEffectsREML`, through metafor's building blocks); the whole of metabin,
/// zero cells included, is `MetaBinAnalysis` (`--profile meta`), checked by MetaBinProfileTests.
@Suite("metabin's common-effect Mantel-Haenszel estimate (MH.exact = FALSE)")
struct MetaBinComparisonTests {
  nonisolated(unsafe) static let fixture: [String: Any] = (try? loadFixtureJSON("compare/meta.json") as? [String: Any]) ?? [:]
  nonisolated(unsafe) static let datasets: [[String: Any]] = fixture["datasets"] as? [[String: Any]] ?? []
  static let names: [String] = datasets.map(fixtureName)
  /// The datasets with no zero cell (aᵢ, n₁ᵢ − aᵢ, cᵢ, n₂ᵢ − cᵢ all positive): metabin's outcomes
  /// equal escalc's there (the zero-cell ones are checked in `MetaBinProfileTests`).
  static let namesWithoutZeroCells: [String] = datasets.filter { d in
    let ai = CompareReferenceTests.values(d["ai"]), n1 = CompareReferenceTests.values(d["n1i"])
    let ci = CompareReferenceTests.values(d["ci"]), n2 = CompareReferenceTests.values(d["n2i"])
    return !ai.indices.contains { ai[$0] == 0 || ai[$0] == n1[$0] || ci[$0] == 0 || ci[$0] == n2[$0] }
  }.map(fixtureName)

  @Test func coversTheDatasetsAndVariants() {
    #expect(Self.fixture["meta_version"] as? String == "8.2.1")
    #expect(Self.names.count >= 54)
    let variants = Set(Self.datasets.flatMap { ($0["cases"] as? [[String: Any]] ?? []).compactMap { $0["variant"] as? String } })
    #expect(variants == ["default", "OR", "RD", "HK", "DL", "Peto", "Inverse"])
  }

  @Test(arguments: names)
  func dataset(_ name: String) throws {
    let d = try #require(Self.datasets.first { $0["name"] as? String == name })
    let ai = CompareReferenceTests.values(d["ai"]), n1 = CompareReferenceTests.values(d["n1i"])
    let ci = CompareReferenceTests.values(d["ci"]), n2 = CompareReferenceTests.values(d["n2i"])
    let studies = try ai.indices.map {
      try TwoArmStudy(label: "t\($0 + 1)", eventsTreat: Int(ai[$0]), totalTreat: Int(n1[$0]), eventsControl: Int(ci[$0]), totalControl: Int(n2[$0]))
    }
    var failures: [String] = []
    var checked = 0
    for c in d["cases"] as? [[String: Any]] ?? [] where ["default", "OR"].contains(c["variant"] as? String) {
      let sm = try #require(c["sm"] as? String)
      let measure = try #require(ComparisonMeasure(rawValue: sm))
      var s = ComparisonSettings(measure: measure, method: .MH, add: 0.5, to: .only0, drop00: true)
      s.correctPooledTables = true
      let p: PooledComparison
      do { p = try ComparisonAnalysis(studies: studies, settings: s).pooled } catch {
        failures.append("\(name) \(measure): \(error)")
        continue
      }
      for (field, actual) in [("TE_common", p.estimate), ("seTE_common", p.standardError), ("lower_common", p.ciLower), ("upper_common", p.ciUpper)] {
        if let f = closenessFailure("\(name) \(measure) \(field)", actual, CompareReferenceTests.value(c[field]), rtol: 1e-6, atol: 1e-10) { failures.append(f) }
        checked += 1
      }
    }
    #expect(failures.isEmpty, "\(failures.prefix(8).joined(separator: "\n"))")
    #expect(checked == 8)
  }

  /// meta's random-effects block with method.tau = "REML" (its default) for the MH and inverse-
  /// variance common-effect methods is metafor's `rma(method = "REML")` on the continuity-corrected
  /// outcomes without the double-zero trials (`allstudies = FALSE`): estimate, SE, CI (classic z
  /// or HK), τ̂² and Q (around the inverse-variance estimate). Not checked here: meta's I² (from Q)
  /// and its prediction interval (t with k − 1 df), and k (meta counts every trial).
  ///
  /// meta fits τ² with `rma.uni`'s default control, so the fit uses ``FitControl/metafor``
  /// (with orrmeta's tight control 44 of the 56 datasets differ beyond 1e-6, e.g. random05 τ̂²
  /// 0.0204801 vs meta's 0.0204904, metafor's 1e-5 stopping rule). Checked on the 23 datasets with no zero cell (aᵢ, n₁ᵢ − aᵢ,
  /// cᵢ, n₂ᵢ − cᵢ all positive), which all agree at 1e-6. Of the 33 with a zero cell, 27 differ
  /// (e.g. random49, one trial with 92/92 responders: Q 21.81 in meta vs 20.999 from escalc's
  /// outcomes): metabin's per-trial outcomes differ from escalc's for corrected trials
  /// (``MetaBinEffectSizes``; RR uses n + incr, RD an uncorrected difference).
  @Test("The 23 datasets without zero cells", arguments: namesWithoutZeroCells)
  func randomEffectsREML(_ name: String) throws {
    let d = try #require(Self.datasets.first { $0["name"] as? String == name })
    let ai = CompareReferenceTests.values(d["ai"]), n1 = CompareReferenceTests.values(d["n1i"])
    let ci = CompareReferenceTests.values(d["ci"]), n2 = CompareReferenceTests.values(d["n2i"])
    let studies = try ai.indices.map {
      try TwoArmStudy(label: "t\($0 + 1)", eventsTreat: Int(ai[$0]), totalTreat: Int(n1[$0]), eventsControl: Int(ci[$0]), totalControl: Int(n2[$0]))
    }
    var failures: [String] = []
    var checked = 0
    for c in d["cases"] as? [[String: Any]] ?? [] where ["default", "OR", "HK", "Inverse"].contains(c["variant"] as? String) {
      let variant = try #require(c["variant"] as? String)
      let sm = try #require(c["sm"] as? String)
      let measure = try #require(ComparisonMeasure(rawValue: sm))
      let s = ComparisonSettings(measure: measure, method: .REML, test: variant == "HK" ? .knha : .z, add: 0.5, to: .only0, drop00: true, control: .metafor)
      let p: PooledComparison
      do { p = try ComparisonAnalysis(studies: studies, settings: s).pooled } catch {
        failures.append("\(name) \(variant): \(error)")
        continue
      }
      let expected: [(String, Double)] = [
        ("TE_random", p.estimate), ("seTE_random", p.standardError), ("lower_random", p.ciLower),
        ("upper_random", p.ciUpper), ("tau2", p.tau2), ("Q", p.q),
      ]
      for (field, actual) in expected {
        if let f = closenessFailure("\(name) \(variant) \(field)", actual, CompareReferenceTests.value(c[field]), rtol: 1e-6, atol: 1e-10) { failures.append(f) }
        checked += 1
      }
    }
    #expect(failures.isEmpty, "\(failures.prefix(8).joined(separator: "\n"))")
    #expect(checked == 24)
  }
}
