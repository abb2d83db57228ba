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
/// meta's random-effects block is not reproduced yet (see Docs/compare.md, "R meta"): the
/// fixture records it for that work.
@Suite("metabin's common-effect Mantel-Haenszel estimate (MH.exact = FALSE)")
struct MetaBinComparisonTests {
  nonisolated(unsafe) static let fixture: [String: Any] = (try? loadFixtureJSON("compare/meta.json") as? [String: Any]) ?? [:]
  nonisolated(unsafe) static let datasets: [[String: Any]] = fixture["datasets"] as? [[String: Any]] ?? []
  static let names: [String] = datasets.map { $0["name"] as! String }

  @Test func coversTheDatasetsAndVariants() {
    #expect(Self.fixture["meta_version"] as? String == "8.2.1")
    #expect(Self.names.count >= 54)
    let variants = Set(Self.datasets.flatMap { ($0["cases"] as? [[String: Any]] ?? []).compactMap { $0["variant"] as? String } })
    #expect(variants == ["default", "OR", "RD", "HK", "DL", "Peto", "Inverse"])
  }

  @Test(arguments: names)
  func dataset(_ name: String) throws {
    let d = Self.datasets.first { $0["name"] as? String == name }!
    let ai = CompareReferenceTests.values(d["ai"]), n1 = CompareReferenceTests.values(d["n1i"])
    let ci = CompareReferenceTests.values(d["ci"]), n2 = CompareReferenceTests.values(d["n2i"])
    let studies = try ai.indices.map {
      try TwoArmStudy(label: "t\($0 + 1)", eventsTreat: Int(ai[$0]), totalTreat: Int(n1[$0]), eventsControl: Int(ci[$0]), totalControl: Int(n2[$0]))
    }
    var failures: [String] = []
    var checked = 0
    for c in d["cases"] as? [[String: Any]] ?? [] where ["default", "OR"].contains(c["variant"] as? String) {
      let measure = ComparisonMeasure(rawValue: c["sm"] as! String)!
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
}
