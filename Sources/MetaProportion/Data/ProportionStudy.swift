// SPDX-License-Identifier: GPL-3.0-or-later

/// One cohort: a label, the number of responders (events) and the number of patients.
///
/// The statistics module trusts these values to be validated: `0 ≤ events ≤ total`, `total > 0`.
/// ``ProportionStudy/init(label:events:total:)`` checks them and throws otherwise.
public struct ProportionStudy: Sendable, Hashable {
  /// The cohort's label (study, arm, cohort).
  public var label: String
  /// The number of responders xᵢ.
  public var events: Int
  /// The number of patients nᵢ.
  public var total: Int

  /// Creates a cohort after checking `0 ≤ events ≤ total` and `total > 0`.
  /// - Throws: ``MetaAnalysisError/invalidStudy(label:reason:)``.
  public init(label: String, events: Int, total: Int) throws(MetaAnalysisError) {
    guard total > 0 else { throw .invalidStudy(label: label, reason: "n = \(total); expected n > 0") }
    guard events >= 0 else { throw .invalidStudy(label: label, reason: "events = \(events); expected events ≥ 0") }
    guard events <= total else {
      throw .invalidStudy(label: label, reason: "events = \(events) > n = \(total); expected events ≤ n")
    }
    self.label = label
    self.events = events
    self.total = total
  }

  /// The observed proportion xᵢ/nᵢ.
  public var proportion: Double { Double(events) / Double(total) }
  /// The non-events mᵢ = nᵢ − xᵢ.
  public var nonEvents: Int { total - events }
}
