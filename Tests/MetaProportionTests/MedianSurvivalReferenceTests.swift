// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// Reference values from Fixtures/pfs/generate_expected.R (metamedian `metamedian_survival` and
/// `pool.med`, metafor `rma` on conv.wald's conversion), compared to 1e-6 relative.
enum PFSExpected {
  static let rtol = 1e-6

  static func load() throws -> [String: Any] {
    try #require(try loadFixtureJSON("pfs/expected.json") as? [String: Any])
  }

  /// dat.lung's rows in metamedian's column names, read from Fixtures/pfs/dat_lung.csv.
  static func datLung() throws -> [[String: Any]] {
    let text = try String(contentsOfFile: fixturePath("pfs/dat_lung.csv"), encoding: .utf8)
    let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let header = lines[0]
    let rename = [
      "median_treat": "med.g1", "median_treat_ci_lower": "med.ci.lb.g1", "median_treat_ci_upper": "med.ci.ub.g1",
      "median_treat_ci_level": "med.ci.level.g1", "median_ctrl": "med.g2", "median_ctrl_ci_lower": "med.ci.lb.g2",
      "median_ctrl_ci_upper": "med.ci.ub.g2", "median_ctrl_ci_level": "med.ci.level.g2",
    ]
    return lines.dropFirst().map { fields in
      var row: [String: Any] = [:]
      for (name, value) in zip(header, fields) { if let key = rename[name] { row[key] = NSNumber(value: Double(value)!) } }
      return row
    }
  }

  /// A metamedian row's arm as a ``ReportedMedian`` (a null upper bound is NR).
  static func arm(_ row: [String: Any], _ g: String) throws -> ReportedMedian {
    let ub = number(row["med.ci.ub.\(g)"])
    return ReportedMedian(
      median: number(row["med.\(g)"]), lower: number(row["med.ci.lb.\(g)"]), upper: ub.isNaN ? nil : ub,
      level: try ConfidenceLevel(number(row["med.ci.level.\(g)"])))
  }

  /// A JSON array, or a scalar that jsonlite unboxed from a length-1 vector.
  static func vector(_ value: Any?) -> [Double] {
    if let a = value as? [Any] { return a.map { number($0) } }
    if value == nil || value is NSNull { return [] }
    return [number(value)]
  }
}

@Suite("Median survival and hazard ratios against metamedian / metafor")
struct MedianSurvivalReferenceTests {
  func compareFit(_ fit: ModelFit, _ r: [String: Any], _ name: String) -> [String] {
    let pairs: [(String, Double)] = [
      ("estimate", fit.estimate), ("se", fit.standardError), ("ci_lower", fit.ciLower), ("ci_upper", fit.ciUpper),
      ("pi_lower", fit.piLower), ("pi_upper", fit.piUpper), ("tau2", fit.tau2.tau2), ("q", fit.q), ("i2", fit.i2),
      ("h2", fit.h2), ("pval", fit.pValue),
    ]
    return pairs.compactMap { key, value in
      // τ² = 0 and I² = 0 are exact in both; a tiny absolute tolerance covers a boundary estimate
      // that one side reaches as 1e-17.
      closenessFailure("\(name) \(key)", value, number(r[key]), rtol: PFSExpected.rtol, atol: key == "tau2" || key == "i2" ? 1e-10 : 0)
    }
  }

  @Test("metamedian_survival: dat.lung and random subsets with bounds not reached, every field")
  func survival() throws {
    let expected = try PFSExpected.load()
    let cases = try #require(expected["survival"] as? [[String: Any]])
    #expect(cases.count == 88)
    let lung = try PFSExpected.datLung()
    #expect(lung.count == 30)
    var failures: [String] = []
    for c in cases {
      let rows = (c["rows"] as? [[String: Any]]) ?? lung
      let e = try #require(c["estimand"] as? String)
      let estimand: MedianSurvivalEstimand = e.hasPrefix("median") ? .median : MedianSurvivalEstimand(rawValue: e)!
      let cohorts = try rows.enumerated().map { i, row in
        e == "median_ctrl"
          ? MedianSurvivalCohort(label: "#\(i + 1)", treatment: try PFSExpected.arm(row, "g2"))
          : MedianSurvivalCohort(label: "#\(i + 1)", treatment: try PFSExpected.arm(row, "g1"), control: try PFSExpected.arm(row, "g2"))
      }
      let method = try #require((c["method"] as? String).flatMap(TauSquaredMethod.init(rawValue:)))
      let test = try #require((c["test"] as? String).flatMap(TestMethod.init(rawValue:)))
      let result = try MedianSurvivalMetaAnalysis.analyze(cohorts: cohorts, estimand: estimand, method: method, test: test)
      let name = "\(c["name"]!) \(e) \(method) \(test)"
      for (i, (y, s)) in zip(PFSExpected.vector(c["yi"]), PFSExpected.vector(c["sei"])).enumerated() {
        failures += [closenessFailure("\(name) yi[\(i)]", result.yi[i], y, rtol: PFSExpected.rtol),
                     closenessFailure("\(name) sei[\(i)]", result.sei[i], s, rtol: PFSExpected.rtol)].compactMap { $0 }
      }
      let r = try #require(c["result"] as? [String: Any])
      failures += compareFit(result.fit, r, name)
      if estimand == .logRatio {
        let ratio = try #require(result.ratio)
        let want = PFSExpected.vector(r["ratio"])
        for (k, (got, w)) in zip([ratio.estimate, ratio.ciLower, ratio.ciUpper, ratio.piLower, ratio.piUpper], want).enumerated() {
          if let f = closenessFailure("\(name) ratio[\(k)]", got, w, rtol: PFSExpected.rtol) { failures.append(f) }
        }
      } else {
        #expect(result.ratio == nil)
      }
    }
    #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
  }

  @Test("dat.lung anchors (next-phase anchors D)")
  func anchors() throws {
    let lung = try PFSExpected.datLung()
    let treat = try lung.map { MedianSurvivalCohort(label: "", treatment: try PFSExpected.arm($0, "g1"), control: try PFSExpected.arm($0, "g2")) }
    let m = try MedianSurvivalMetaAnalysis.analyze(cohorts: treat, estimand: .median)
    #expect(abs(m.fit.estimate - 14.538) < 5e-4 && abs(m.fit.ciLower - 11.926) < 5e-4 && abs(m.fit.ciUpper - 17.150) < 5e-4)
    #expect(abs(m.fit.tau2.tau2 - 50.45) < 5e-3 && abs(m.fit.i2 - 97.2) < 0.05)
    let r = try MedianSurvivalMetaAnalysis.analyze(cohorts: treat, estimand: .logRatio)
    let ratio = try #require(r.ratio)
    #expect(abs(ratio.estimate - 1.113) < 5e-4 && abs(ratio.ciLower - 1.044) < 5e-4 && abs(ratio.ciUpper - 1.187) < 5e-4)
    let d = try MedianSurvivalMetaAnalysis.analyze(cohorts: treat, estimand: .difference)
    #expect(abs(d.fit.estimate - 1.241) < 5e-4 && abs(d.fit.i2 - 44.9) < 0.05)
  }

  @Test("pool.med(norm.approx = FALSE): estimate, exact interval and coverage")
  func exactSignTest() throws {
    let expected = try PFSExpected.load()
    let cases = try #require(expected["pool_med"] as? [[String: Any]])
    #expect(cases.count == 12)
    for c in cases {
      let yi = PFSExpected.vector(c["yi"]), wi = PFSExpected.vector(c["wi"])
      let settings = WeightedMedianSettings(
        method: .interpolated, level: try ConfidenceLevel(number(c["level"])), bootstrapReplicates: 0, exactSignTest: true)
      let r = try WeightedMedian.analyze(values: yi, weights: wi, settings: settings)
      let exact = try #require(r.exactSignTest)
      let name = try #require(c["name"] as? String)
      for f in [
        closenessFailure("\(name) estimate", r.estimate, number(c["estimate"]), rtol: 1e-12),
        closenessFailure("\(name) exact lower", exact.lower, number(c["exact_ci_lower"]), rtol: 1e-12),
        closenessFailure("\(name) exact upper", exact.upper, number(c["exact_ci_upper"]), rtol: 1e-12),
        closenessFailure("\(name) coverage", exact.coverage, number(c["exact_coverage"]), rtol: 1e-12),
        closenessFailure("\(name) approx lower", r.signTest.lower, number(c["approx_ci_lower"]), rtol: 1e-12),
        closenessFailure("\(name) approx upper", r.signTest.upper, number(c["approx_ci_upper"]), rtol: 1e-12),
      ] { #expect(f == nil, "\(f ?? "")") }
    }
    // The anchor: n-weighted median of the experimental arm 12.1 [10.9, 17.5], coverage 95.7 %.
    let lung = cases[0]
    #expect(number(lung["estimate"]) == 12.1 && number(lung["exact_ci_lower"]) == 10.9 && number(lung["exact_ci_upper"]) == 17.5)
  }

  @Test("exact sign test: too few values for the level gives no interval and a warning")
  func tooFew() throws {
    // k = 5: the widest interval covers 1 - 2/32 = 0.9375 < 0.95.
    let r = try WeightedMedian.analyze(
      values: [1, 2, 3, 4, 5], weights: [1, 1, 1, 1, 1], settings: .init(bootstrapReplicates: 0, exactSignTest: true))
    #expect(r.exactSignTest == nil)
    #expect(r.warnings.contains { $0.description.contains("exact sign-test") })
    // k = 6 reaches 0.96875 with rank 1.
    let rank = try #require(try ExactSignTestInterval.rank(k: 6, level: .ninetyFive))
    #expect(rank.rank == 1 && rank.coverage == 0.96875)
  }

  @Test("hazard ratios: conv.wald (transf = log) and rma, with the asymmetry check")
  func hazardRatios() throws {
    let expected = try PFSExpected.load()
    let cases = try #require(expected["hazard_ratios"] as? [[String: Any]])
    #expect(cases.count == 8)
    var flaggedSomewhere = false
    for c in cases {
      let hr = PFSExpected.vector(c["hr"]), lb = PFSExpected.vector(c["ci_lower"]), ub = PFSExpected.vector(c["ci_upper"])
      let lv = PFSExpected.vector(c["level"])
      let ratios = try hr.indices.map { ReportedRatio(estimate: hr[$0], lower: lb[$0], upper: ub[$0], level: try ConfidenceLevel(lv[$0])) }
      let labels = hr.indices.map { "row \($0 + 1)" }
      let method = try #require((c["method"] as? String).flatMap(TauSquaredMethod.init(rawValue:)))
      let test = try #require((c["test"] as? String).flatMap(TestMethod.init(rawValue:)))
      let r = try RatioMetaAnalysis.analyze(ratios: ratios, labels: labels, method: method, test: test)
      let name = try #require(c["name"] as? String)
      var failures = compareFit(r.fit, try #require(c["result"] as? [String: Any]), name)
      for (i, (y, s)) in zip(PFSExpected.vector(c["yi"]), PFSExpected.vector(c["sei"])).enumerated() {
        failures += [closenessFailure("\(name) yi[\(i)]", r.yi[i], y, rtol: PFSExpected.rtol),
                     closenessFailure("\(name) sei[\(i)]", r.sei[i], s, rtol: PFSExpected.rtol)].compactMap { $0 }
      }
      let flagged = PFSExpected.vector(c["flagged_rows"]).map { "row \(Int($0))" }
      #expect(r.asymmetric == flagged, "\(name)")
      if !flagged.isEmpty {
        flaggedSomewhere = true
        #expect(r.warnings.contains { $0.description.contains("halfway") })
      }
      #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
    #expect(flaggedSomewhere)
  }

  @Test("invalid reported intervals are named errors")
  func invalid() throws {
    let bad: [(ReportedMedian, String)] = [
      (ReportedMedian(median: 10, lower: 12, upper: 11), "greater than the upper bound"),
      (ReportedMedian(median: 10, lower: 10, upper: 10), "zero width"),
      (ReportedMedian(median: 10, lower: 10, upper: nil), "not below the median"),
    ]
    for (m, text) in bad {
      #expect { try MedianSurvivalMetaAnalysis.analyze(cohorts: [MedianSurvivalCohort(label: "X", treatment: m)], estimand: .median) } throws: { e in
        "\(e)".contains("cohort 'X'") && "\(e)".contains(text)
      }
    }
    #expect(throws: MetaAnalysisError.self) {
      try MedianSurvivalMetaAnalysis.analyze(cohorts: [MedianSurvivalCohort(label: "X", treatment: ReportedMedian(median: 5, lower: 4, upper: 6))], estimand: .difference)
    }
    #expect(throws: MetaAnalysisError.self) {
      try RatioMetaAnalysis.analyze(ratios: [ReportedRatio(estimate: 0.5, lower: 0.6, upper: 0.4)], labels: ["A"])
    }
    // The NR rule: SE = (median - lower)/z.
    let nr = try ReportedMedian(median: 20, lower: 16.08, upper: nil).standardError()
    #expect(abs(nr - 3.92 / 1.959963984540054) < 1e-12)
  }
}
