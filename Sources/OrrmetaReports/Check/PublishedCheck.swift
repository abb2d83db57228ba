// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// The consistency check of a publication's figures (`orrmeta check`): each proportion with a
/// reported N is tested for the whole numbers of responders that give its rounded percentage and
/// CI (``ProportionConsistency``); two subgroups that partition a proportion with unknown sizes
/// are solved together (``PartitionConsistency``); medians and counts cannot be rebuilt from
/// totals and are reported as not checkable.
package struct PublishedCheck: Sendable {
  /// The figures checked.
  package let figures: PublishedFigures
  /// One test per proportion with a reported N, by name.
  package let proportions: [String: ProportionConsistency]
  /// One joint test per two-part partition, by the whole's name.
  package let partitions: [String: PartitionConsistency]
  /// The part names of each partition (in file order), by the whole's name.
  package let partitionParts: [String: [String]]
  /// The CI methods tried, in order of preference.
  package let methods: [BinomialIntervalMethod]

  /// Runs every check.
  /// - Throws: ``MetaAnalysisError`` when a figure cannot be tested (e.g. N too large).
  package static func run(
    _ f: PublishedFigures, methods: [BinomialIntervalMethod] = ProportionConsistency.defaultMethods
  ) throws(MetaAnalysisError) -> PublishedCheck {
    var proportions: [String: ProportionConsistency] = [:]
    for p in f.proportions {
      if let n = p.reported.patients {
        proportions[p.name] = try ProportionConsistency.check(p.reported, patients: n, methods: methods)
      }
    }
    var partitions: [String: PartitionConsistency] = [:]
    var parts: [String: [String]] = [:]
    for p in f.proportions {
      if let whole = p.partitionOf { parts[whole, default: []].append(p.name) }
    }
    for (whole, names) in parts where names.count == 2 {
      guard let w = proportions[whole] else { continue }
      let n = w.patients
      let members = names.map { name in f.proportions.first { $0.name == name }! }
      partitions[whole] = try PartitionConsistency.check(
        parts: members.map { PartitionPart(percent: $0.reported.percent, patients: $0.reported.patients) },
        totalPatients: n, totalEvents: w.consistentCounts, preferredTotalEvents: w.representative?.events)
    }
    return PublishedCheck(figures: f, proportions: proportions, partitions: partitions, partitionParts: parts, methods: methods)
  }

  /// A figure rebuilt from whole numbers consistent with the publication.
  package struct Rebuilt: Sendable, Hashable {
    package var events: Int
    package var patients: Int
    /// 100·x/N.
    package var percent: Double
    /// The CI method that reproduces the published CI (nil when no CI is published or none does).
    package var ciMethod: BinomialIntervalMethod?
    /// The CI of that method, in percent.
    package var ciLower: Double?
    package var ciUpper: Double?
  }

  /// The integer totals consistent with the publication that come closest to the printed
  /// figure, for a proportion: its own representative count when it has an N, else its part of
  /// the partition's representative solution.
  package func rebuilt(_ name: String) -> Rebuilt? {
    if let c = proportions[name], let r = Rebuilt(c) { return r }
    for (whole, names) in partitionParts {
      guard let i = names.firstIndex(of: name), let s = partitions[whole]?.representative else { continue }
      return Rebuilt(s, part: i)
    }
    return nil
  }

  /// The JSON/text report.
  package var report: CheckReport { CheckReport(self) }
}

extension PublishedCheck.Rebuilt {
  /// A proportion's representative count with the CI of its representative method; nil
  /// when no count gives the printed percentage.
  init?(_ c: ProportionConsistency) {
    guard let r = c.representative else { return nil }
    let m = c.representativeMethod
    let ci = m.flatMap { r.interval($0) }
    self.init(events: r.events, patients: r.patients, percent: r.percent, ciMethod: m,
              ciLower: ci.map { 100 * $0.lower }, ciUpper: ci.map { 100 * $0.upper })
  }

  /// Part `i` of a partition's solution (no CI).
  init(_ s: PartitionSolution, part i: Int) {
    self.init(events: s.events[i], patients: s.patients[i], percent: s.percents[i], ciMethod: nil, ciLower: nil, ciUpper: nil)
  }
}
