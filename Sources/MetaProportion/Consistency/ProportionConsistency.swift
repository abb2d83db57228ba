// SPDX-License-Identifier: GPL-3.0-or-later

/// One binomial interval computed for a candidate count, compared with the reported interval.
public struct IntervalCandidate: Sendable, Hashable {
  /// The interval method.
  public var method: BinomialIntervalMethod
  /// The bounds as proportions (0–1).
  public var lower: Double
  public var upper: Double
  /// Whether 100·lower rounds to the reported lower bound.
  public var lowerReproduced: Bool
  /// Whether 100·upper rounds to the reported upper bound.
  public var upperReproduced: Bool
  /// Both bounds reproduced.
  public var reproduced: Bool { lowerReproduced && upperReproduced }
}

/// A whole number of responders x out of N whose percentage 100·x/N rounds to the reported one.
public struct CountCandidate: Sendable, Hashable {
  /// Responders x.
  public var events: Int
  /// Patients N.
  public var patients: Int
  /// 100·x/N, unrounded.
  public var percent: Double
  /// The interval of each method tried (empty when no CI was reported).
  public var intervals: [IntervalCandidate]

  /// The interval of one method, if it was tried.
  public func interval(_ method: BinomialIntervalMethod) -> IntervalCandidate? {
    intervals.first { $0.method == method }
  }
}

/// A GRIM-style consistency test of a reported proportion (Brown & Heathers 2017, applied to
/// x/N): which whole numbers of responders out of N give the reported percentage, and which
/// binomial interval methods computed on x/N then give the reported confidence interval.
///
/// This tests simple pooling (Σxᵢ/Σnᵢ with a binomial CI on N = Σnᵢ); a random-effects pooled
/// estimate is not a function of the totals and cannot be rebuilt this way.
public struct ProportionConsistency: Sendable, Hashable {
  /// The methods tried, in order of preference.
  public static let defaultMethods: [BinomialIntervalMethod] = [
    .clopperPearson, .wilson, .wald, .agrestiCoull, .jeffreys, .wilsonCC,
  ]

  /// The figure tested.
  public var reported: ReportedProportion
  /// N.
  public var patients: Int
  /// The methods tried, in order of preference.
  public var methods: [BinomialIntervalMethod]
  /// Every x in 0…N whose percentage rounds to the reported one (the GRIM candidates).
  public var candidates: [CountCandidate]

  /// Tests a reported proportion against every count out of `patients`.
  ///
  /// - Parameters:
  ///   - reported: the figure (percentage, optional CI and level).
  ///   - patients: N (when `reported.patients` is set, it must agree).
  ///   - methods: the CI methods to try, in order of preference (default ``defaultMethods``).
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` for N ≤ 0, N above
  ///   10⁹, or a patients count that contradicts `reported.patients`.
  public static func check(
    _ reported: ReportedProportion, patients: Int, methods: [BinomialIntervalMethod] = defaultMethods
  ) throws(MetaAnalysisError) -> ProportionConsistency {
    guard patients > 0, patients <= 1_000_000_000 else {
      throw .invalidSetting(name: "patients", value: "\(patients)", expected: "a whole number from 1 to 1000000000")
    }
    if let n = reported.patients, n != patients {
      throw .invalidSetting(name: "patients", value: "\(patients)", expected: "the reported number of patients (\(n))")
    }
    var candidates: [CountCandidate] = []
    for x in countsAdmitted(by: reported.percent, patients: patients) {
      var intervals: [IntervalCandidate] = []
      if let lo = reported.ciLower, let hi = reported.ciUpper {
        for m in methods {
          let ci = try m.interval(events: x, total: patients, level: reported.level)
          intervals.append(IntervalCandidate(
            method: m, lower: ci.lower, upper: ci.upper,
            lowerReproduced: lo.admits(100 * ci.lower), upperReproduced: hi.admits(100 * ci.upper)))
        }
      }
      candidates.append(CountCandidate(events: x, patients: patients, percent: 100 * Double(x) / Double(patients), intervals: intervals))
    }
    return ProportionConsistency(reported: reported, patients: patients, methods: methods, candidates: candidates)
  }

  /// Every x in 0…N with 100·x/N admitted by `figure`, ascending.
  public static func countsAdmitted(by figure: RoundedFigure, patients n: Int) -> [Int] {
    let nd = Double(n)
    let h = figure.halfUnit
    let first = max(0, Int(((figure.value - h) / 100 * nd).rounded(.down)) - 1)
    let last = min(n, Int(((figure.value + h) / 100 * nd).rounded(.up)) + 1)
    guard first <= last else { return [] }
    return (first...last).filter { figure.admits(100 * Double($0) / nd) }
  }

  /// Whether any count gives the reported percentage.
  public var percentReproduced: Bool { !candidates.isEmpty }

  /// The counts whose percentage and (when reported) CI, under at least one method, round to the
  /// reported figures: the counts consistent with every rounded figure.
  public var consistentCounts: [Int] {
    guard reported.hasInterval else { return candidates.map(\.events) }
    return candidates.filter { c in c.intervals.contains(where: \.reproduced) }.map(\.events)
  }

  /// The counts for which `method` reproduces the reported CI.
  public func counts(reproducingWith method: BinomialIntervalMethod) -> [Int] {
    candidates.filter { $0.interval(method)?.reproduced == true }.map(\.events)
  }

  /// The methods that reproduce the reported CI for at least one count, in order of preference.
  public var reproducingMethods: [BinomialIntervalMethod] {
    methods.filter { !counts(reproducingWith: $0).isEmpty }
  }

  /// The methods that reproduce the reported CI for no count.
  public var nonReproducingMethods: [BinomialIntervalMethod] {
    methods.filter { counts(reproducingWith: $0).isEmpty }
  }

  /// The consistent count whose percentage is closest to the reported one (the smaller count on
  /// a tie): the "integer totals consistent with the publication" used to rebuild figures.
  public var representative: CountCandidate? {
    let consistent = Set(consistentCounts)
    return candidates.filter { consistent.contains($0.events) }.min { a, b in
      let da = abs(a.percent - reported.percent.value), db = abs(b.percent - reported.percent.value)
      return da < db || (da == db && a.events < b.events)
    }
  }

  /// The first method, in order of preference, that reproduces the reported CI at
  /// ``representative``.
  public var representativeMethod: BinomialIntervalMethod? {
    guard let r = representative else { return nil }
    return methods.first { r.interval($0)?.reproduced == true }
  }
}
