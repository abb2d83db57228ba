// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// Text output a paper can quote (issue 12, items 4, 7 and 8).
@Suite("Readable output")
struct ReadableOutputTests {
  static var reference: [String: Any] { (try? loadFixtureJSON("common-effect/expected.json")) as? [String: Any] ?? [:] }

  static func degenerate(_ name: String) -> [String: Any] {
    (reference["degenerate"] as? [[String: Any]] ?? []).first { $0["dataset"] as? String == name } ?? [:]
  }

  static func csv(_ x: [Double], _ n: [Double], group: [String]? = nil) throws -> String {
    var text = group == nil ? "label,events,n\n" : "label,events,n,grp\n"
    for i in x.indices {
      text += "c\(i + 1),\(Int(x[i])),\(Int(n[i]))" + (group.map { ",\($0[i])" } ?? "") + "\n"
    }
    return try writeTemporaryFile("cohorts.csv", text)
  }

  @Test("all-zero and all-full files warn that the continuity correction alone makes the estimate, with the exact CI",
        arguments: ["all_zero", "all_full"])
  func continuityOnly(name: String) throws {
    let d = Self.degenerate(name)
    let path = try Self.csv(numbers(d["events"]), numbers(d["n"]))
    let r = try runOrrmeta(["pool", path, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let pooled = try #require(j["pooled"] as? [String: Any])
    let fit = try #require(d["default_fit"] as? [String: Any])
    #expect(isClose(try #require(pooled["proportion"] as? Double), number(fit["proportion"]), rtol: 1e-8))
    let warning = try #require((j["warnings"] as? [String])?.first { $0.contains("continuity correction alone") })
    let exact = try #require(d["exact"] as? [String: Any])
    func pct(_ v: Double) -> String { "\((v * 10_000).rounded() / 100)%" }
    let (lo, hi) = (number(exact["ci_lower"]), number(exact["ci_upper"]))
    #expect(warning.contains("the exact (Clopper-Pearson) 95% CI of \(Int(number(exact["events"])))/\(Int(number(exact["total"]))) is [\(pct(lo)), \(pct(hi))]"), "\(warning)")
    #expect(warning.contains("(\(pct(number(fit["proportion"]))))"), "\(warning)")
    #expect(warning.contains("The binomial GLMM has no finite estimate"))
    // And the GLMM itself refuses, as metafor does.
    #expect((d["glmm"] as? String)?.contains("Cannot fit ML model") == true)
    let g = try runOrrmeta(["pool", path, "--method", "GLMM"])
    #expect(g.status != 0)
  }

  @Test("a single-cohort subgroup under knha shows the z test it used, not t(NA)")
  func singleCohortSubgroup() throws {
    let path = try Self.csv([10, 12, 20, 7], [30, 35, 50, 40], group: ["a", "a", "a", "b"])
    let r = try runOrrmeta(["pool", path, "--by", "grp", "--test", "knha"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("t(NA)"), "\(r.stdout)")
    let b = try #require(r.stdout.components(separatedBy: "Subgroup b").last)
    #expect(b.contains(", z = "), "\(b)")
    let a = try #require(r.stdout.components(separatedBy: "Subgroup a").last?.components(separatedBy: "Subgroup b").first)
    #expect(a.contains(", t(2) = "), "\(a)")
  }

  @Test("text: 'p < .0001', tau^2 not shown as 0.0000 when it is not 0, harmonic mean to 2 decimals")
  func textNumbers() throws {
    let r = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--measure", "PFT"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("= <.0001"), "\(r.stdout)")
    #expect(r.stdout.contains("p < .0001"))
    let hm = try #require(r.stdout.components(separatedBy: "harmonic mean of n (").dropFirst().first?.prefix { $0 != ")" })
    #expect(hm.split(separator: ".").last.map(\.count) ?? 0 <= 2, "\(hm)")
    // A small tau^2 (nearly homogeneous cohorts) is printed with its magnitude, not as 0.0000:
    // metafor rma(measure = "PR", xi, ni = 10000, method = "DL")$tau2 = 2.1130802448436e-05.
    let path = try Self.csv([5000, 5060, 4940, 5075, 4925], [10000, 10000, 10000, 10000, 10000])
    let t = try runOrrmeta(["pool", path, "--method", "DL", "--measure", "PR"])
    #expect(t.status == 0, "\(t.stderr)")
    #expect(t.stdout.contains("tau^2 = 2.1e-05 ["), "\(t.stdout)")
    #expect(t.stdout.contains("(SE 3.3e-05)"), "\(t.stdout)")
  }
}
