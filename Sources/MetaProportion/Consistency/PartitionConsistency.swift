// SPDX-License-Identifier: GPL-3.0-or-later

/// One part of a whole that is split into two disjoint subgroups (e.g. treatment-naive and
/// pretreated cohorts): its reported percentage and, when reported, its number of patients.
public struct PartitionPart: Sendable, Hashable {
  /// The reported percentage.
  public var percent: RoundedFigure
  /// The part's number of patients, if reported.
  public var patients: Int?

  /// Creates a part.
  public init(percent: RoundedFigure, patients: Int? = nil) {
    self.percent = percent; self.patients = patients
  }
}

/// Whole numbers for both parts that reproduce every reported figure: the parts' patients sum
/// to N, their responders sum to the whole's responders, and each part's percentage rounds to
/// its reported value.
public struct PartitionSolution: Sendable, Hashable {
  /// The whole's responders X = x₁ + x₂.
  public var totalEvents: Int
  /// x₁, x₂.
  public var events: [Int]
  /// n₁, n₂ (n₁ + n₂ = N).
  public var patients: [Int]

  /// 100·xᵢ/nᵢ.
  public var percents: [Double] { zip(events, patients).map { 100 * Double($0) / Double($1) } }
}

/// The GRIM-style test of two subgroup percentages whose subgroup sizes are not reported, given
/// the whole: enumerates every n₁ (n₂ = N − n₁) and every x₁ admitted by the first percentage at
/// n₁, for every whole count X consistent with the whole's figures, and keeps those where
/// x₂ = X − x₁ out of n₂ is admitted by the second percentage.
///
/// It assumes every cohort of the whole belongs to exactly one of the two parts and that each
/// part's percentage is Σxᵢ/Σnᵢ over its cohorts.
public struct PartitionConsistency: Sendable, Hashable {
  /// The parts tested.
  public var parts: [PartitionPart]
  /// N.
  public var totalPatients: Int
  /// Every solution (ascending by n₁, x₁, X).
  public var solutions: [PartitionSolution]
  /// The whole's count the representative is drawn from when possible.
  public var preferredTotalEvents: Int?

  /// Enumerates the solutions.
  ///
  /// - Parameters:
  ///   - parts: exactly two parts.
  ///   - totalPatients: N of the whole.
  ///   - totalEvents: the whole's candidate counts X (those consistent with its figures).
  ///   - preferredTotalEvents: the whole's representative count, preferred for ``representative``.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)`` unless there are two
  ///   parts, N is 2 to 10⁷ and the parts' reported sizes fit in N.
  public static func check(
    parts: [PartitionPart], totalPatients: Int, totalEvents: [Int], preferredTotalEvents: Int? = nil
  ) throws(MetaAnalysisError) -> PartitionConsistency {
    guard parts.count == 2 else {
      throw .invalidSetting(name: "parts", value: "\(parts.count)", expected: "exactly two subgroups that together make up the whole")
    }
    guard totalPatients >= 2, totalPatients <= 10_000_000 else {
      throw .invalidSetting(name: "patients", value: "\(totalPatients)", expected: "a whole number from 2 to 10000000 for a two-part check")
    }
    let n = totalPatients
    var range = 1...(n - 1)
    if let n1 = parts[0].patients {
      guard range.contains(n1) else { throw .invalidSetting(name: "patients of the first part", value: "\(n1)", expected: "1 to \(n - 1)") }
      range = n1...n1
    }
    if let n2 = parts[1].patients {
      guard (1...(n - 1)).contains(n2), range.contains(n - n2) else {
        throw .invalidSetting(name: "patients of the second part", value: "\(n2)", expected: "N − patients of the first part (\(n - range.lowerBound))")
      }
      range = (n - n2)...(n - n2)
    }
    let totals = totalEvents.sorted()
    var solutions: [PartitionSolution] = []
    for n1 in range {
      let n2 = n - n1
      for x1 in ProportionConsistency.countsAdmitted(by: parts[0].percent, patients: n1) {
        for total in totals {
          let x2 = total - x1
          guard x2 >= 0, x2 <= n2 else { continue }
          if parts[1].percent.admits(100 * Double(x2) / Double(n2)) {
            solutions.append(PartitionSolution(totalEvents: total, events: [x1, x2], patients: [n1, n2]))
          }
        }
      }
    }
    return PartitionConsistency(parts: parts, totalPatients: n, solutions: solutions, preferredTotalEvents: preferredTotalEvents)
  }

  /// Whether the reported figures can all hold at once.
  public var reproduced: Bool { !solutions.isEmpty }

  /// The range of part `i`'s patients over all solutions.
  public func patientRange(_ i: Int) -> ClosedRange<Int>? {
    guard let lo = solutions.map({ $0.patients[i] }).min(), let hi = solutions.map({ $0.patients[i] }).max() else { return nil }
    return lo...hi
  }

  /// The range of part `i`'s responders over all solutions.
  public func eventRange(_ i: Int) -> ClosedRange<Int>? {
    guard let lo = solutions.map({ $0.events[i] }).min(), let hi = solutions.map({ $0.events[i] }).max() else { return nil }
    return lo...hi
  }

  /// The solution, among those with X = ``preferredTotalEvents`` when there are any, whose part
  /// percentages are closest to the reported ones (least Σ(100xᵢ/nᵢ − pᵢ)²; ties to the smaller
  /// n₁, then x₁).
  public var representative: PartitionSolution? {
    let pool = solutions.contains { $0.totalEvents == preferredTotalEvents }
      ? solutions.filter { $0.totalEvents == preferredTotalEvents } : solutions
    func distance(_ s: PartitionSolution) -> Double {
      zip(s.percents, parts).reduce(0) { $0 + ($1.0 - $1.1.percent.value) * ($1.0 - $1.1.percent.value) }
    }
    return pool.min { a, b in
      let da = distance(a), db = distance(b)
      if da != db { return da < db }
      if a.patients[0] != b.patients[0] { return a.patients[0] < b.patients[0] }
      return a.events[0] < b.events[0]
    }
  }
}
