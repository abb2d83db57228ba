// SPDX-License-Identifier: GPL-3.0-or-later

/// One row of a leave-one-out analysis: the model refitted without one cohort
/// (metafor `leave1out`). JSON: an element of `leave_one_out`.
public struct LeaveOneOutRow: ModelSummaryCarrying, Sendable, Hashable {
  /// The omitted cohort (`label`).
  public var label: String
  /// μ̂₍₋ᵢ₎ on the model scale (`estimate`), its SE (`se`), z or t statistic (`statistic`),
  /// two-sided p-value (`p_value`) and CI (`ci_lower`, `ci_upper`): the refitted model's
  /// summary (its prediction interval is not reported). Its fields read through
  /// (``ModelSummaryCarrying``).
  public var summary: ModelSummary
  /// τ̂²₍₋ᵢ₎ (`tau2`; 0 for EE, where metafor omits the column).
  public var tau2: Double
  /// I²₍₋ᵢ₎ in percent (`i2`).
  public var i2: Double
  /// H²₍₋ᵢ₎ (`h2`).
  public var h2: Double
  /// Cochran's Q₍₋ᵢ₎ (`q`).
  public var q: Double
  /// P(χ²_{k−2} > Q₍₋ᵢ₎) (`q_p_value`).
  public var qPValue: Double
  /// Back-transformed estimate (`proportion`).
  public var proportion: Double
  /// Back-transformed lower CI bound (`proportion_ci_lower`).
  public var proportionCILower: Double
  /// Back-transformed upper CI bound (`proportion_ci_upper`).
  public var proportionCIUpper: Double
}

extension LeaveOneOutRow {
  /// The row of a refit that failed: every number NaN (written as `null`).
  static func unavailable(_ label: String) -> LeaveOneOutRow {
    LeaveOneOutRow(
      label: label, summary: .unavailable, tau2: .nan, i2: .nan, h2: .nan, q: .nan, qPValue: .nan,
      proportion: .nan, proportionCILower: .nan, proportionCIUpper: .nan)
  }
}

extension SensitivityAnalysis {
  /// Leave-one-out analysis (metafor `leave1out`): for each cohort i, the model with the same
  /// τ² method, test and level fitted to the other k − 1 cohorts.
  ///
  /// A refit that fails gives NaN values in its row (metafor gives NA).
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when k = 1.
  public func leaveOneOut() throws(MetaAnalysisError) -> [LeaveOneOutRow] {
    guard k > 1 else { throw .fitFailed(reason: "leave-one-out needs k ≥ 2 (stopped because k = 1)") }
    return leaveOneOut(from: deletionFits())
  }

  func leaveOneOut(from fits: [ModelFit?]) -> [LeaveOneOutRow] {
    var rows = [LeaveOneOutRow]()
    rows.reserveCapacity(k)
    for i in 0..<k {
      rows.append(row(label: labels[i], fits[i]))
    }
    return rows
  }

  func row(label: String, _ f: ModelFit?) -> LeaveOneOutRow {
    guard let f else {
      return .unavailable(label)
    }
    let a = proportion(f.ciLower), b = proportion(f.ciUpper)
    return LeaveOneOutRow(
      label: label, summary: f.summary, tau2: f.tau2.tau2, i2: f.i2,
      h2: f.h2, q: f.q, qPValue: f.qPValue, proportion: proportion(f.estimate),
      proportionCILower: min(a, b), proportionCIUpper: max(a, b))
  }
}
