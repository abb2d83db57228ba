// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing

/// `--profile stata` (Stata metaprop, Nyaga et al. 2014) by hand on four cohorts
/// A 0/10, B 3/10, C 5/20, D 12/16.
///
/// Freeman–Tukey (the profile's default, metaprop's `ftt`) keeps every cohort, A included:
/// metaprop's `metanby` drops 0 %/100 % studies only when neither `ftt` nor `logit` is given
/// and `cc` is missing (metaprop.ado; its help: `cc()` "is not necessary when the
/// Freeman-Tukey Double Arcsine transformation is performed").
/// - Stata's Freeman–Tukey yᵢ = asin√(x/(n+1)) + asin√((x+1)/(n+1)), vᵢ = 1/(n + 0.5):
///   A 0 + asin√(1/11) = 0.30627736916966947, w = 10.5; B asin√(3/11) + asin√(4/11) =
///   1.1967520927732798, w = 10.5; C asin√(5/21) + asin√(6/21) = 1.0736823201921357, w = 20.5;
///   D asin√(12/17) + asin√(13/17) = 2.0619447010754377, w = 16.5.
/// - DL: Σw = 58, ȳ_FE = Σwy/Σw = 1.23817904279456, Q = Σw(y − ȳ)² = 20.8880933825764,
///   C = Σw − Σw²/Σw = 42.258620689655174, τ² = (Q − 3)/C = 0.4233004554016447.
/// - RE: w* = 1/(vᵢ + τ²), μ = Σw*y/Σw* = 1.173120445658608, SE = 1/√Σw* = 0.352633566474304,
///   CI μ ∓ 1.959963984540054·SE = [0.4819713556290611, 1.864269535688155].
/// - Miller (1978) with the harmonic mean ñ = 4/(1/10 + 1/10 + 1/20 + 1/16) = 12.8:
///   p = ½(1 − sgn(cos t)·√(1 − (sin t + (sin t − 1/sin t)/ñ)²)) at t = μ and the CI bounds:
///   0.2918795159310489 [0.028218867227214395, 0.6554918353967506].
/// metafor's PFT is half of Stata's (vᵢ = 1/(4n + 2)), so the model reports μ/2 and τ²/4 and
/// ``StataConventions/SumScale`` gives back the numbers above.
///
/// Untransformed proportions (`--measure PR`, metaprop without `ftt`) drop A (0 %) without
/// `cc()`: B, C, D with yᵢ = p̂ᵢ, vᵢ = p̂ᵢ(1 − p̂ᵢ)/nᵢ = 0.021, 0.009375, 0.01171875; DL:
/// Q = 12.98357180710122, C = 152.284048754637, τ² = 0.07212555679287304, μ =
/// 0.4360701211920388, SE = 0.16918823561722826, CI [0.1044672727743946, 0.767672969609683]
/// (the proportion scale: no back-transformation).
struct StataProfileTests {
  static func studies() throws -> [ProportionStudy] {
    try [("A", 0, 10), ("B", 3, 10), ("C", 5, 20), ("D", 12, 16)].map { try ProportionStudy(label: $0.0, events: $0.1, total: $0.2) }
  }

  static var stataSettings: AnalysisSettings {
    var s = AnalysisSettings(measure: AnalysisProfile.stata.measure, method: AnalysisProfile.stata.method(for: .PFT, glmmAvailable: true), studyInterval: .wilson)
    s.profile = .stata
    return s
  }

  /// The profile with untransformed proportions (metaprop without `ftt`).
  static var stataRawSettings: AnalysisSettings {
    var s = stataSettings
    s.measure = .PR
    return s
  }

  func close(_ got: Double, _ want: Double, _ what: String) {
    #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "\(what): \(got) vs \(want)")
  }

  static func dropWarnings(_ a: ProportionAnalysis) -> [String] {
    a.warnings.map(\.description).filter { $0.contains("as Stata metaprop does for untransformed proportions without cc()") }
  }

  @Test func freemanTukeyKeepsEveryCohortOnStataScale() throws {
    #expect(AnalysisProfile.stata.measure == .PFT)
    let a = try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: Self.stataSettings)
    #expect(a.k == 4 && a.studies.map(\.label) == ["A", "B", "C", "D"])
    #expect(Self.dropWarnings(a).isEmpty)
    let t = try #require(StataConventions.SumScale(model: a.model, tau2: a.heterogeneity.tau2, measure: .PFT))
    close(t.tau2, 0.4233004554016447, "tau2")
    close(t.estimate, 1.173120445658608, "estimate")
    close(t.standardError, 0.352633566474304, "se")
    close(t.ciLower, 0.4819713556290611, "ci lower")
    close(t.ciUpper, 1.864269535688155, "ci upper")
    close(a.heterogeneity.q, 20.8880933825764, "Q")
    close(a.pooled.proportion, 0.2918795159310489, "proportion")
    close(a.pooled.ciLower, 0.028218867227214395, "proportion ci lower")
    close(a.pooled.ciUpper, 0.6554918353967506, "proportion ci upper")
  }

  @Test func untransformedProportionsDropExtremeCohortsWithAWarning() throws {
    let a = try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: Self.stataRawSettings)
    #expect(a.k == 3 && a.studies.map(\.label) == ["B", "C", "D"])
    #expect(a.totalEvents == 20 && a.totalPatients == 46)
    let drop = Self.dropWarnings(a)
    #expect(drop.count == 1 && drop[0].contains("A (0/10)"))
    close(a.heterogeneity.q, 12.98357180710122, "Q")
    close(a.heterogeneity.tau2, 0.07212555679287304, "tau2")
    close(a.model.estimate, 0.4360701211920388, "estimate")
    close(a.model.standardError, 0.16918823561722826, "se")
    close(a.pooled.proportion, 0.4360701211920388, "proportion")
    close(a.pooled.ciLower, 0.1044672727743946, "ci lower")
    close(a.pooled.ciUpper, 0.767672969609683, "ci upper")
  }

  /// An explicit continuity correction keeps every cohort (metaprop with `cc()`); the other
  /// profiles keep them too, and no warning about dropping appears.
  @Test func explicitAddOrOtherProfileKeepsEveryCohort() throws {
    var s = Self.stataRawSettings
    s.add = 0.5
    #expect(try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: s).k == 4)
    var o = Self.stataRawSettings
    o.profile = .orrmeta
    let a = try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: o)
    #expect(a.k == 4 && Self.dropWarnings(a).isEmpty)
    #expect(StataConventions.SumScale(model: a.model, tau2: a.heterogeneity.tau2, measure: .PR) == nil)
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
    // A 0/10: [0, z²/(n + z²)] exactly.
    #expect(a.studies[0].ciLower == 0)
    close(a.studies[0].ciUpper, 3.841458820694124 / 13.841458820694124, "A Wilson upper")
    for (st, w) in zip(a.studies.dropFirst(), wilson) {
      close(st.ciLower, w.0, "\(st.label) Wilson lower")
      close(st.ciUpper, w.1, "\(st.label) Wilson upper")
    }
    let exact: [(Double, Double)] = [
      (0.06673951117773447, 0.6524528500599973), (0.08657146910143461, 0.49104587170795744),
      (0.4762291801038727, 0.9273379617471178)]
    var s = Self.stataSettings
    s.studyInterval = .clopperPearson
    let e = try ProportionMetaAnalysis.analyze(studies: Self.studies(), settings: s)
    for (st, w) in zip(e.studies.dropFirst(), exact) {
      #expect(abs(st.ciLower - w.0) <= 1e-10 * w.0, "\(st.label) exact lower: \(st.ciLower) vs \(w.0)")
      #expect(abs(st.ciUpper - w.1) <= 1e-10 * w.1, "\(st.label) exact upper: \(st.ciUpper) vs \(w.1)")
    }
    // The CI method changes only the cohorts' intervals, never the pooled result.
    close(e.pooled.proportion, 0.2918795159310489, "proportion with exact cohort CIs")
  }

  /// A 100 % cohort leaves the pooling of untransformed proportions like a 0 % one: with
  /// E 16/16 added, A and E are both named in the warning and the result is the hand-computed
  /// one of B, C, D above; under Freeman–Tukey all five are pooled.
  @Test func hundredPercentCohortIsDroppedTooForUntransformedProportions() throws {
    let studies = try Self.studies() + [ProportionStudy(label: "E", events: 16, total: 16)]
    let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: Self.stataRawSettings)
    #expect(a.studies.map(\.label) == ["B", "C", "D"])
    let drop = Self.dropWarnings(a)
    #expect(drop.count == 1 && drop[0].contains("A (0/10)") && drop[0].contains("E (16/16)"))
    close(a.heterogeneity.q, 12.98357180710122, "Q")
    close(a.pooled.proportion, 0.4360701211920388, "proportion")
    #expect(try ProportionMetaAnalysis.analyze(studies: studies, settings: Self.stataSettings).k == 5)
  }

  @Test func everyCohortExtremeIsAClearError() throws {
    let s = try [("A", 0, 10), ("B", 7, 7)].map { try ProportionStudy(label: $0.0, events: $0.1, total: $0.2) }
    #expect(throws: MetaAnalysisError.self) { try ProportionMetaAnalysis.analyze(studies: s, settings: Self.stataRawSettings) }
  }
}
