// SPDX-License-Identifier: GPL-3.0-or-later

/// One two-arm trial: responders and patients in the treatment and the control arm, the 2×2
/// table (aᵢ, bᵢ; cᵢ, dᵢ) of metafor's `escalc(ai, n1i, ci, n2i)`.
///
/// ``TwoArmStudy/init(label:eventsTreat:totalTreat:eventsControl:totalControl:)`` checks
/// `0 ≤ events ≤ total` and `total > 0` in each arm.
public struct TwoArmStudy: Sendable, Hashable {
  /// The trial's label.
  public var label: String
  /// Responders in the treatment arm, aᵢ.
  public var eventsTreat: Int
  /// Patients in the treatment arm, n₁ᵢ.
  public var totalTreat: Int
  /// Responders in the control arm, cᵢ.
  public var eventsControl: Int
  /// Patients in the control arm, n₂ᵢ.
  public var totalControl: Int
  /// A continuity correction added to each of the four cells of ``cells`` (0: the counts as
  /// they are). Set by ``correctedForPooling(add:to:drop00:)`` for Mantel–Haenszel pooling on
  /// corrected tables (metafor's `add[2]`, `to[2]`; meta's `MH.exact = FALSE`).
  public var cellIncrement: Double = 0

  /// Creates a trial after checking both arms.
  /// - Throws: ``MetaAnalysisError/invalidStudy(label:reason:)``.
  public init(
    label: String, eventsTreat: Int, totalTreat: Int, eventsControl: Int, totalControl: Int
  ) throws(MetaAnalysisError) {
    for (arm, x, n) in [("treatment", eventsTreat, totalTreat), ("control", eventsControl, totalControl)] {
      guard n > 0 else { throw .invalidStudy(label: label, reason: "\(arm) arm n = \(n); expected n > 0") }
      guard x >= 0, x <= n else {
        throw .invalidStudy(label: label, reason: "\(arm) arm events = \(x) with n = \(n); expected 0 ≤ events ≤ n")
      }
    }
    self.label = label
    self.eventsTreat = eventsTreat
    self.totalTreat = totalTreat
    self.eventsControl = eventsControl
    self.totalControl = totalControl
  }

  /// aᵢ, bᵢ = n₁ᵢ − aᵢ, cᵢ, dᵢ = n₂ᵢ − cᵢ as Doubles.
  @inlinable
  public var cells: (a: Double, b: Double, c: Double, d: Double) {
    (
      Double(eventsTreat) + cellIncrement, Double(totalTreat - eventsTreat) + cellIncrement,
      Double(eventsControl) + cellIncrement, Double(totalControl - eventsControl) + cellIncrement
    )
  }

  /// The tables for pooling with metafor's `add[2]`, `to[2]`, `drop00[2]` (`rma.mh`): without
  /// the tables with no or only responders in both arms when `drop00`, and with `add` in every
  /// cell of the tables `to` selects (`only0`: those with a zero cell; `if0all`: all, when one
  /// has a zero cell; `all`; `none`).
  public static func correctedForPooling(_ studies: [TwoArmStudy], add: Double, to: ZeroCellRule, drop00: Bool) -> [TwoArmStudy] {
    let kept = drop00 ? studies.filter { !$0.isDoubleZero } : studies
    let anyZero = kept.contains { $0.hasZeroCell }
    return kept.map { t in
      var t = t
      switch to {
      case .all: t.cellIncrement = add
      case .only0: t.cellIncrement = t.hasZeroCell ? add : 0
      case .if0all: t.cellIncrement = anyZero ? add : 0
      case .none: t.cellIncrement = 0
      }
      return t
    }
  }

  /// Whether one of the four cells is 0 (metafor's `id0`).
  public var hasZeroCell: Bool {
    eventsTreat == 0 || eventsTreat == totalTreat || eventsControl == 0 || eventsControl == totalControl
  }

  /// Whether both arms have no responders, or both have only responders (metafor's `id00`,
  /// the tables `drop00` removes).
  public var isDoubleZero: Bool {
    (eventsTreat == 0 && eventsControl == 0) || (eventsTreat == totalTreat && eventsControl == totalControl)
  }
}
