// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The JSON contract of `orrmeta check` (documented in `Docs/cli.md`): figure by figure,
/// whether whole numbers of patients and responders reproduce it, and the details. Percentages
/// are in percent.
package struct CheckReport: Encodable, Sendable {
  package var orrmeta_version: String
  package var file: String
  package var title: String?
  package var figures: [Figure]
  package var proportions: [ProportionDetail]
  package var partitions: [PartitionDetail]
  package var summary: Summary

  /// One printed figure and its verdict.
  package struct Figure: Encodable, Sendable {
    /// The figure's name (`counts.trials`, `pooled_orr`, `pooled_orr.ci`, …).
    package var name: String
    /// count, percentage, confidence interval or median.
    package var kind: String
    /// As printed, with its unit.
    package var published: String
    /// `reproduced`, `not reproduced` or `not checkable`.
    package var status: String
    /// How.
    package var detail: String
  }
  /// One method's verdict on a reported CI.
  package struct MethodCounts: Encodable, Sendable {
    package var method: String
    package var reproduced: Bool
    /// The responder counts for which the method reproduces the CI.
    package var counts: [Int]

    /// The verdict of a method that reproduces the CI for `counts` (none: not reproduced).
    init(_ method: BinomialIntervalMethod, counts: [Int]) {
      self.method = method.rawValue; reproduced = !counts.isEmpty; self.counts = counts
    }
  }
  /// An interval for one candidate count.
  package struct CandidateInterval: Encodable, Sendable {
    package var method: String
    package var ci_lower: Double
    package var ci_upper: Double
    package var reproduced: Bool

    /// The interval in percent.
    init(_ i: IntervalCandidate) {
      method = i.method.rawValue; ci_lower = 100 * i.lower; ci_upper = 100 * i.upper; reproduced = i.reproduced
    }
  }
  /// A candidate count.
  package struct Candidate: Encodable, Sendable {
    package var events: Int
    package var percent: Double
    package var intervals: [CandidateInterval]

    /// A candidate count with its intervals in percent.
    init(_ c: CountCandidate) {
      events = c.events; percent = c.percent; intervals = c.intervals.map(CandidateInterval.init)
    }
  }
  /// The representative totals.
  package struct Representative: Encodable, Sendable {
    package var events: Int
    package var patients: Int
    package var percent: Double
    package var ci_method: String?
    package var ci_lower: Double?
    package var ci_upper: Double?

    /// The totals ``PublishedCheck/Rebuilt`` gives (the same as `reproduce`'s rebuilt column).
    init(_ r: PublishedCheck.Rebuilt) {
      events = r.events; patients = r.patients; percent = r.percent; ci_method = r.ciMethod?.rawValue
      ci_lower = r.ciLower; ci_upper = r.ciUpper
    }
  }
  /// The test of one proportion with a reported N.
  package struct ProportionDetail: Encodable, Sendable {
    package var name: String
    package var patients: Int
    package var ci_level: Double?
    /// Counts whose percentage rounds to the printed one.
    package var percent_counts: [Int]
    /// Counts consistent with every printed figure of this proportion.
    package var consistent_counts: [Int]
    package var counts_by_method: [MethodCounts]
    package var candidates: [Candidate]
    package var representative: Representative?
  }
  /// One part's range over a partition's solutions.
  package struct PartRange: Encodable, Sendable {
    package var name: String
    package var patients_min: Int?
    package var patients_max: Int?
    package var events_min: Int?
    package var events_max: Int?
  }
  /// One part of the representative solution.
  package struct PartSolution: Encodable, Sendable {
    package var name: String
    package var events: Int
    package var patients: Int
    package var percent: Double

    /// Part `i` of a solution.
    init(name: String, _ s: PartitionSolution, part i: Int) {
      self.name = name; events = s.events[i]; patients = s.patients[i]; percent = s.percents[i]
    }
  }
  /// The joint test of two parts.
  package struct PartitionDetail: Encodable, Sendable {
    package var whole: String
    package var parts: [String]
    package var solutions: Int
    package var ranges: [PartRange]
    package var representative_total_events: Int?
    package var representative: [PartSolution]?
  }
  /// Verdict counts.
  package struct Summary: Encodable, Sendable {
    package var reproduced: Int
    package var not_reproduced: Int
    package var not_checkable: Int
  }

  static let reproducedStatus = "reproduced"
  static let notReproducedStatus = "not reproduced"
  static let notCheckableStatus = "not checkable"

  init(_ c: PublishedCheck) {
    let f = c.figures
    orrmeta_version = OrrmetaVersion.current
    file = f.file
    title = f.title
    var figures: [Figure] = []
    func pct(_ x: RoundedFigure) -> String { "\(x)%" }

    // Counts.
    let countItems: [(String, Int?, String)] = [("trials", f.counts.trials, "trials"), ("cohorts", f.counts.cohorts, "cohorts"), ("patients", f.counts.patients, "patients")]
    for (key, value, unit) in countItems {
      guard let value else { continue }
      var detail = "a count: nothing to rebuild it from"
      if key == "patients", let p = f.proportions.first(where: { $0.reported.patients == value }) {
        detail += "; it is the N of \(p.name)"
      }
      figures.append(Figure(name: "counts.\(key)", kind: "count", published: "\(value) \(unit)", status: Self.notCheckableStatus, detail: detail))
    }

    // Proportions.
    var details: [ProportionDetail] = []
    for p in f.proportions {
      let r = p.reported
      if let t = c.proportions[p.name] {
        let counts = t.candidates.map(\.events)
        figures.append(Figure(
          name: p.name, kind: "percentage", published: pct(r.percent),
          status: t.percentReproduced ? Self.reproducedStatus : Self.notReproducedStatus,
          detail: t.percentReproduced
            ? "\(counts.count) whole number(s) of responders out of \(t.patients) give \(pct(r.percent)): \(IntegerRanges.text(counts))"
            : "no whole number of responders out of \(t.patients) gives \(pct(r.percent))\(Self.nearest(r.percent, patients: t.patients))"))
        if let lo = r.ciLower, let hi = r.ciUpper {
          let ok = t.reproducingMethods, bad = t.nonReproducingMethods
          var detail: String
          if !t.percentReproduced {
            detail = "no count gives the percentage, so no count can give the CI"
          } else if ok.isEmpty {
            detail = "no method tried reproduces it for any count giving \(pct(r.percent)): \(bad.map(\.rawValue).joined(separator: ", "))"
          } else {
            detail = "reproduced by " + ok.map { "\($0.rawValue) (x = \(IntegerRanges.text(t.counts(reproducingWith: $0))))" }.joined(separator: "; ")
            detail += bad.isEmpty ? "; every method tried reproduces it" : "; not by \(bad.map(\.rawValue).joined(separator: ", "))"
          }
          figures.append(Figure(
            name: "\(p.name).ci", kind: "confidence interval",
            published: "\(lo)-\(hi)% (\(RoundedFigure.format(r.level.percent, decimals: r.level.percent == r.level.percent.rounded() ? 0 : 1))% CI)",
            status: t.percentReproduced && !ok.isEmpty ? Self.reproducedStatus : Self.notReproducedStatus, detail: detail))
        }
        details.append(ProportionDetail(
          name: p.name, patients: t.patients, ci_level: r.hasInterval ? r.level.percent : nil, percent_counts: counts,
          consistent_counts: t.consistentCounts,
          counts_by_method: r.hasInterval ? t.methods.map { MethodCounts($0, counts: t.counts(reproducingWith: $0)) } : [],
          candidates: t.candidates.prefix(200).map(Candidate.init),
          representative: PublishedCheck.Rebuilt(t).map(Representative.init)))
      } else if let whole = p.partitionOf, let names = c.partitionParts[whole], let s = c.partitions[whole] {
        let others = names.filter { $0 != p.name }
        let i = names.firstIndex(of: p.name)!
        figures.append(Figure(
          name: p.name, kind: "percentage", published: pct(p.reported.percent),
          status: s.reproduced ? Self.reproducedStatus : Self.notReproducedStatus,
          detail: s.reproduced
            ? "together with \(others.joined(separator: ", ")) inside \(whole) (N = \(s.totalPatients)): \(s.solutions.count) combination(s) of whole numbers; \(p.name) has n = \(IntegerRanges.text(s.patientRange(i))) patients, x = \(IntegerRanges.text(s.eventRange(i))) responders"
            : "no split of \(whole)'s \(s.totalPatients) patients and its consistent responder counts gives both \(names.joined(separator: " and "))"))
      } else {
        var why = "its number of patients is not reported"
        if let whole = p.partitionOf, let names = c.partitionParts[whole] {
          why = names.count == 2 ? "\(whole) has no reported N to split" : "\(whole) is split into \(names.count) parts with unknown sizes; only two-part splits are solved"
        }
        figures.append(Figure(name: p.name, kind: "percentage", published: pct(p.reported.percent), status: Self.notCheckableStatus, detail: why))
        if let lo = r.ciLower, let hi = r.ciUpper {
          figures.append(Figure(name: "\(p.name).ci", kind: "confidence interval", published: "\(lo)-\(hi)%", status: Self.notCheckableStatus, detail: why))
        }
      }
    }

    // Partitions.
    var partitions: [PartitionDetail] = []
    for p in f.proportions {
      guard let names = c.partitionParts[p.name], let s = c.partitions[p.name] else { continue }
      let rep = s.representative
      partitions.append(PartitionDetail(
        whole: p.name, parts: names, solutions: s.solutions.count,
        ranges: names.indices.map { i in
          PartRange(name: names[i], patients_min: s.patientRange(i)?.lowerBound, patients_max: s.patientRange(i)?.upperBound,
                    events_min: s.eventRange(i)?.lowerBound, events_max: s.eventRange(i)?.upperBound)
        },
        representative_total_events: rep?.totalEvents,
        representative: rep.map { r in names.indices.map { PartSolution(name: names[$0], r, part: $0) } }))
    }

    // Medians.
    for m in f.medians {
      figures.append(Figure(
        name: m.name, kind: "median", published: "\(m.value) \(m.unit)", status: Self.notCheckableStatus,
        detail: "a median cannot be rebuilt from published counts; `orrmeta reproduce` recomputes weighted medians of cohort medians from a cohort table"))
    }
    self.figures = figures
    self.proportions = details
    self.partitions = partitions
    summary = Summary(
      reproduced: figures.filter { $0.status == Self.reproducedStatus }.count,
      not_reproduced: figures.filter { $0.status == Self.notReproducedStatus }.count,
      not_checkable: figures.filter { $0.status == Self.notCheckableStatus }.count)
  }

  /// ": nearest 15/33 = 45.45%" for a percentage no count gives.
  static func nearest(_ figure: RoundedFigure, patients n: Int) -> String {
    let x = Int((figure.value / 100 * Double(n)).rounded())
    let candidates = [x - 1, x, x + 1].filter { $0 >= 0 && $0 <= n }
    guard let best = candidates.min(by: { abs(100 * Double($0) / Double(n) - figure.value) < abs(100 * Double($1) / Double(n) - figure.value) }) else { return "" }
    let p = 100 * Double(best) / Double(n)
    var text = "; nearest: \(best)/\(n) = \(RoundedFigure.format(p, decimals: figure.decimals + 2))%, which prints as \(RoundedFigure.format(p, decimals: figure.decimals))%"
    // Rounding twice (to one more decimal, then to the printed decimals) is a common slip.
    let once = RoundedFigure.format(p, decimals: figure.decimals + 1)
    if let v = Double(once), RoundedFigure.format(v, decimals: figure.decimals) == figure.description {
      text += "; rounding it twice (\(RoundedFigure.format(p, decimals: figure.decimals + 2)) to \(once), then to \(figure)) gives the printed \(figure)%"
    }
    return text
  }
}
