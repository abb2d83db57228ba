// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// The flags of `orrmeta multiverse`: findings about the whole set of specifications, each with
/// a stable `code` (documented in `Docs/multiverse.md`) and its reason with the numbers.
/// The one owner of the flags' rules and thresholds.
enum MultiverseFlags {
  /// I² (percent) from which simple pooling is flagged: Higgins et al. (2003)'s "low" band starts at 25%.
  static let heterogeneityI2 = 25.0
  /// How far (on the proportion scale) the Freeman–Tukey back-transformation may move between
  /// the smallest and the largest n before it is flagged: half a percentage point, which changes
  /// a figure reported to one decimal of a percentage.
  static let freemanTukeySpread = 0.005
  /// The level of the three-level likelihood-ratio test.
  static let lrtAlpha = 0.05

  static func all(_ fits: [MultiversePipeline.Fit], rows: [MultiverseReport.Row], cohorts: CohortFile, reference: Double?) -> [MultiverseReport.Flag] {
    [
      simplePooling(rows), referenceIsSimplePooling(rows, cohorts: cohorts, reference: reference),
      freemanTukey(rows, cohorts: cohorts), tau2AtBoundary(rows), threeLevel(fits),
      notConverged(rows), failed(rows),
    ].compactMap { $0 }
  }

  /// The two-level random-effects row that stands for "the" random-effects analysis: pool's
  /// default (PLO, REML, z) when present, else the first random-effects row.
  static func randomEffectsRow(_ rows: [MultiverseReport.Row]) -> MultiverseReport.Row? {
    let re = rows.filter { $0.model == MultiverseModel.twoLevel.rawValue && $0.method != "EE" && $0.ci_lower != nil }
    return re.first { $0.measure == "PLO" && $0.method == "REML" && $0.test == "z" } ?? re.first
  }

  /// The simple-pooling row with the exact (Clopper–Pearson) CI, else the first one.
  static func simpleRow(_ rows: [MultiverseReport.Row]) -> MultiverseReport.Row? {
    let s = rows.filter { $0.model == MultiverseModel.simple.rawValue && $0.proportion != nil }
    return s.first { $0.ci_method == BinomialIntervalMethod.clopperPearson.rawValue } ?? s.first
  }

  static func simplePooling(_ rows: [MultiverseReport.Row]) -> MultiverseReport.Flag? {
    guard let re = randomEffectsRow(rows), let simple = simpleRow(rows), let i2 = re.i2, let tau2 = re.tau2,
      tau2 > 0, i2 >= heterogeneityI2, let wr = re.ciWidth, let ws = simple.ciWidth, ws > 0
    else { return nil }
    let ids = rows.filter { $0.model == MultiverseModel.simple.rawValue }.map(\.id)
    return .init(
      code: "simple-pooling-ignores-heterogeneity",
      message: "CI from simple pooling while I^2 = \(Fmt.f(i2, 1))%: the CI ignores between-cohort variation (random-effects CI \(Fmt.f(wr / ws, 1))x as wide: \(describe(re)) [\(Fmt.pct(re.ci_lower)), \(Fmt.pct(re.ci_upper))] against \(Fmt.pct(simple.ci_lower))-\(Fmt.pct(simple.ci_upper)))",
      specifications: ids)
  }

  static func referenceIsSimplePooling(_ rows: [MultiverseReport.Row], cohorts: CohortFile, reference: Double?) -> MultiverseReport.Flag? {
    guard let reference, let simple = simpleRow(rows), let p = simple.proportion, abs(p - reference) < 0.0005 else { return nil }
    let x = cohorts.studies.reduce(0) { $0 + $1.events }, n = cohorts.studies.reduce(0) { $0 + $1.total }
    return .init(
      code: "reference-is-simple-pooling",
      message: "the reference \(Fmt.pct(reference)) is the simple-pooling estimate sum(x)/sum(n) = \(x)/\(n) = \(Fmt.pct(p, 2)): it ignores heterogeneity",
      specifications: [simple.id])
  }

  static func freemanTukey(_ rows: [MultiverseReport.Row], cohorts: CohortFile) -> MultiverseReport.Flag? {
    let ns = cohorts.studies.map { Double($0.total) }
    guard let nMin = ns.min(), let nMax = ns.max() else { return nil }
    let pft = rows.filter { $0.measure == EffectMeasure.PFT.rawValue && $0.estimate != nil }
    func spread(_ r: MultiverseReport.Row) -> Double {
      abs(BackTransformation.inverseFreemanTukey(r.estimate!, n: nMax) - BackTransformation.inverseFreemanTukey(r.estimate!, n: nMin))
    }
    let unstable = pft.filter { spread($0) > freemanTukeySpread }
    // Shown: pool's default estimator and test (REML, z) when it is among them, else the widest spread.
    guard let worst = unstable.first(where: { $0.method == "REML" && $0.test == "z" }) ?? unstable.max(by: { spread($0) < spread($1) }) else { return nil }
    let t = worst.estimate!
    return .init(
      code: "pft-back-transform-unstable",
      message: "PFT back-transform unstable at these n (Schwarzer et al. 2019): \(describe(worst)) gives \(Fmt.pct(worst.proportion, 2)) with the harmonic mean of n, but \(Fmt.pct(BackTransformation.inverseFreemanTukey(t, n: nMin), 2)) with n = \(Int(nMin)) and \(Fmt.pct(BackTransformation.inverseFreemanTukey(t, n: nMax), 2)) with n = \(Int(nMax)); prefer PLO or the GLMM",
      specifications: unstable.map(\.id))
  }

  static func tau2AtBoundary(_ rows: [MultiverseReport.Row]) -> MultiverseReport.Flag? {
    let zero = rows.filter { $0.model == MultiverseModel.twoLevel.rawValue && $0.method != "EE" && $0.tau2 == 0 }
    guard !zero.isEmpty else { return nil }
    var methods: [String] = []
    for r in zero where !methods.contains(r.method) { methods.append(r.method) }
    return .init(
      code: "tau2-at-boundary",
      message: "tau^2 at the boundary 0 in \(zero.count) random-effects specification\(zero.count == 1 ? "" : "s") (\(methods.joined(separator: ", "))): they equal the common-effect model",
      specifications: zero.map(\.id))
  }

  static func threeLevel(_ fits: [MultiversePipeline.Fit]) -> MultiverseReport.Flag? {
    let tests = fits.compactMap { f -> (MultiverseSpecification, Double)? in
      guard f.specification.model == .threeLevel, let p = f.report?.multilevel?.lrt_vs_two_level.p_value else { return nil }
      return (f.specification, p)
    }
    let significant = tests.filter { $0.1 < lrtAlpha }
    guard let shown = significant.first(where: { $0.0.settings.measure == .PLO && $0.0.settings.method == .REML }) ?? significant.first else { return nil }
    let cluster = fits.first { $0.specification.model == .threeLevel }?.report?.settings.cluster ?? "cluster"
    return .init(
      code: "three-level-lrt-significant",
      message: "three-level LRT p < \(lrtAlpha) (\(Fmt.pClause(shown.1)) for \(shown.0.settings.measure.rawValue) \(shown.0.settings.method.rawValue)): cohorts within \(cluster) are correlated; the two-level rows treat them as independent",
      specifications: significant.map(\.0.id))
  }

  static func notConverged(_ rows: [MultiverseReport.Row]) -> MultiverseReport.Flag? {
    let bad = rows.filter { !$0.converged && $0.error == nil }
    guard !bad.isEmpty else { return nil }
    return .init(
      code: "not-converged", message: "\(bad.count) specification\(bad.count == 1 ? " did" : "s did") not converge: \(bad.map(describe).joined(separator: "; "))",
      specifications: bad.map(\.id))
  }

  static func failed(_ rows: [MultiverseReport.Row]) -> MultiverseReport.Flag? {
    let bad = rows.filter { $0.error != nil }
    guard !bad.isEmpty else { return nil }
    return .init(
      code: "fit-failed", message: "\(bad.count) specification\(bad.count == 1 ? "" : "s") could not be fitted: \(bad.map { "\(describe($0)): \($0.error!)" }.joined(separator: "; "))",
      specifications: bad.map(\.id))
  }

  /// "#12 two-level PLO REML z" (the words of one specification).
  static func describe(_ r: MultiverseReport.Row) -> String {
    "#\(r.id) " + [r.model, r.measure, r.method, r.test, r.ci_method].compactMap { $0 }.joined(separator: " ")
  }
}
