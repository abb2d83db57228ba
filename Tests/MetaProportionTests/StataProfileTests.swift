// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing

/// `--profile stata` (Stata metaprop, Nyaga et al. 2014) by hand on four cohorts
/// A 0/10, B 3/10, C 5/20, D 12/16:
///
/// - A (0 %) is dropped (metaprop without `cc()`), with a warning naming it.
/// - Stata's Freeman–Tukey yᵢ = asin√(x/(n+1)) + asin√((x+1)/(n+1)), vᵢ = 1/(n + 0.5):
///   B asin√(3/11) + asin√(4/11) = 0.545782… + 0.650970… = 1.1967520927732798, w = 10.5;
///   C asin√(5/21) + asin√(6/21) = 1.0736823201921357, w = 20.5;
///   D asin√(12/17) + asin√(13/17) = 2.0619447010754377, w = 16.5.
/// - DL: Σw = 47.5, ȳ_FE = Σwy/Σw = 1.4441783601221672, Q = Σw(y − ȳ)² = 9.753769084751836,
///   C = Σw − Σw²/Σw = 47.5 − 813.75/47.5 = 30.6, τ² = (Q − 2)/C = 0.2533911465605175.
/// - RE: w* = 1/(vᵢ + τ²), μ = Σw*y/Σw* = 1.4475538740277953, SE = 1/√Σw* = 0.3268166544523608,
///   CI μ ∓ 1.959964·SE = [0.8070050017532963, 2.0881027463022943].
/// - Miller (1978) with the harmonic mean ñ = 3/(1/10 + 1/20 + 1/16) = 14.117647058823527:
///   p = ½(1 − sgn(cos t)·√(1 − (sin t + (sin t − 1/sin t)/ñ)²)) at t = μ, CI bounds:
///   0.4343272197381809 [0.13122781513622744, 0.7640174369609322].
/// metafor's PFT is half of Stata's (vᵢ = 1/(4n + 2)), so the model reports μ/2 and τ²/4 and
/// ``StataConventions/SumScale`` gives back the numbers above.
struct StataProfileTests {
  static func studies() throws -> [ProportionStudy] {
    try [("A", 0, 10), ("B", 3, 10), ("C", 5, 20), ("D", 12, 16)].map { try ProportionStudy(label: $0.0, events: $0.1, total: $0.2) }
  }

  static var stataSettings: AnalysisSettings {
    var s = AnalysisSettings(measure: AnalysisProfile.stata.measure, method: AnalysisProfile.stata.method(for: .PFT, glmmAvailable: true), studyInterval: .wilson)
    s.profile = .stata
    return s
  }

  func close(_ got: Double, _ want: Double, _ what: String) {
    #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "\(what): \(got) vs \(want)")
  }

  @Test func dropsExtremeCohortsWithAWarningAndPoolsOnStataScale() throws {
    let a = try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: Self.stataSettings)
    #expect(a.k == 3)
    #expect(a.studies.map(\.label) == ["B", "C", "D"])
    #expect(a.totalEvents == 20 && a.totalPatients == 46)
    let drop = a.warnings.map(\.description).filter { $0.contains("Stata metaprop does without cc()") }
    #expect(drop.count == 1 && drop[0].contains("A (0/10)"))
    let t = try #require(StataConventions.SumScale(model: a.model, tau2: a.heterogeneity.tau2, measure: .PFT))
    close(t.tau2, 0.2533911465605175, "tau2")
    close(t.estimate, 1.4475538740277953, "estimate")
    close(t.standardError, 0.3268166544523608, "se")
    close(t.ciLower, 0.8070050017532963, "ci lower")
    close(t.ciUpper, 2.0881027463022943, "ci upper")
    close(a.heterogeneity.q, 9.753769084751836, "Q")
    close(a.pooled.proportion, 0.4343272197381809, "proportion")
    close(a.pooled.ciLower, 0.13122781513622744, "proportion ci lower")
    close(a.pooled.ciUpper, 0.7640174369609322, "proportion ci upper")
  }

  /// An explicit continuity correction keeps every cohort (metaprop with `cc()`); the other
  /// profiles keep them too, and no warning about dropping appears.
  @Test func explicitAddOrOtherProfileKeepsEveryCohort() throws {
    var s = Self.stataSettings
    s.add = 0.5
    #expect(try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: s).k == 4)
    var o = Self.stataSettings
    o.profile = .orrmeta
    let a = try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: o)
    #expect(a.k == 4 && !a.warnings.contains { $0.description.contains("without cc()") })
    #expect(StataConventions.SumScale(model: a.model, tau2: a.heterogeneity.tau2, measure: .PLO) == nil)
  }

  /// Wilson (score) cohort CIs, metaprop's default `cimethod(score)`, by the closed form
  /// (p̂ + z²/2n ∓ z√(p̂(1 − p̂)/n + z²/4n²))/(1 + z²/n), z = 1.959963984540054; and the exact
  /// (Clopper–Pearson) CIs of `cimethod(exact)` = `--ci-method clopper-pearson`, the beta
  /// quantiles B(0.025; x, n − x + 1) and B(0.975; x + 1, n − x) (scipy.stats.beta.ppf 1.17.1).
  @Test func cohortIntervalsAreWilsonByDefaultAndExactOnRequest() throws {
    let wilson: [(Double, Double)] = [
      (0.10779126740630099, 0.6032218525388546), (0.11186170140766569, 0.46870087761874407),
      (0.5050168346449122, 0.8981793250878696)]
    let a = try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: Self.stataSettings)
    for (st, w) in zip(a.studies, wilson) {
      close(st.ciLower, w.0, "\(st.label) Wilson lower")
      close(st.ciUpper, w.1, "\(st.label) Wilson upper")
    }
    let exact: [(Double, Double)] = [
      (0.06673951117773447, 0.6524528500599973), (0.08657146910143461, 0.49104587170795744),
      (0.4762291801038727, 0.9273379617471178)]
    var s = Self.stataSettings
    s.studyInterval = .clopperPearson
    let e = try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: s)
    for (st, w) in zip(e.studies, exact) {
      #expect(abs(st.ciLower - w.0) <= 1e-10 * w.0, "\(st.label) exact lower: \(st.ciLower) vs \(w.0)")
      #expect(abs(st.ciUpper - w.1) <= 1e-10 * w.1, "\(st.label) exact upper: \(st.ciUpper) vs \(w.1)")
    }
    // The CI method changes only the cohorts' intervals, never the pooled result.
    close(e.pooled.proportion, 0.4343272197381809, "proportion with exact cohort CIs")
  }

  /// A 100 % cohort leaves the pooling like a 0 % one (metaprop without `cc()`): with E 16/16
  /// added, both A and E are named in the warning and the pooled result is the hand-computed
  /// one of B, C, D above.
  @Test func hundredPercentCohortIsDroppedToo() throws {
    let studies = try Self.studies() + [ProportionStudy(label: "E", events: 16, total: 16)]
    let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: Self.stataSettings)
    #expect(a.studies.map(\.label) == ["B", "C", "D"])
    let drop = a.warnings.map(\.description).filter { $0.contains("Stata metaprop does without cc()") }
    #expect(drop.count == 1 && drop[0].contains("A (0/10)") && drop[0].contains("E (16/16)"))
    close(a.heterogeneity.q, 9.753769084751836, "Q")
    close(a.pooled.proportion, 0.4343272197381809, "proportion")
  }

  @Test func everyCohortExtremeIsAClearError() throws {
    let s = try [("A", 0, 10), ("B", 7, 7)].map { try ProportionStudy(label: $0.0, events: $0.1, total: $0.2) }
    #expect(throws: MetaAnalysisError.self) { try ProportionMetaAnalysis.analyze(studies: s, settings: Self.stataSettings) }
  }
}
