// SPDX-License-Identifier: GPL-3.0-or-later

/// Leave-one-out and cumulative analyses for the binomial-normal GLMM: the model is refitted
/// (by maximum likelihood, with the same quadrature, test and level) without each cohort, or to
/// the first j cohorts. The rows have the layout of the inverse-variance analyses
/// (``LeaveOneOutRow``); `q` and `q_p_value` are metafor's Wald-type test QE.Wld, since Cochran's
/// Q belongs to the inverse-variance model. A refit that fails (e.g. a step with k = 1, or a
/// subset with no responders at all) gives a row of NaN, as metafor gives NA.
public enum GLMMSensitivity {
  /// For each cohort i, the GLMM fitted to the other k − 1 cohorts.
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` when k < 3 (every refit would have k < 2).
  public static func leaveOneOut(
    studies: [ProportionStudy], nAGQ: Int, test: TestMethod, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> [LeaveOneOutRow] {
    guard studies.count >= 3 else {
      throw .fitFailed(reason: "GLMM leave-one-out needs k ≥ 3 (each refit needs at least 2 cohorts)")
    }
    return studies.indices.map { i in
      var rest = studies
      rest.remove(at: i)
      return row(label: studies[i].label, refit(rest, nAGQ: nAGQ, test: test, level: level))
    }
  }

  /// Step j: the GLMM fitted to cohorts order[0...j].
  /// - Parameter order: 0-based cohort indices, a permutation of 0..<k (nil: input order).
  public static func cumulative(
    studies: [ProportionStudy], order: [Int]?, nAGQ: Int, test: TestMethod, level: ConfidenceLevel
  ) throws(MetaAnalysisError) -> [LeaveOneOutRow] {
    let order = order ?? Array(studies.indices)
    guard order.count == studies.count, Set(order) == Set(studies.indices) else {
      throw .invalidSetting(name: "order", value: "\(order)", expected: "a permutation of 0..<\(studies.count)")
    }
    var subset: [ProportionStudy] = []
    return order.map { i in
      subset.append(studies[i])
      return row(label: studies[i].label, refit(subset, nAGQ: nAGQ, test: test, level: level))
    }
  }

  static func refit(_ s: [ProportionStudy], nAGQ: Int, test: TestMethod, level: ConfidenceLevel) -> GLMMFit? {
    try? BinomialNormalModel.fit(studies: s, nAGQ: nAGQ, test: test, level: level)
  }

  static func row(label: String, _ f: GLMMFit?) -> LeaveOneOutRow {
    guard let f else {
      return .unavailable(label)
    }
    return LeaveOneOutRow(
      label: label, summary: f.summary, tau2: f.tau2, i2: f.i2, h2: f.h2,
      q: f.qWald, qPValue: f.qWaldP, proportion: f.proportion, proportionCILower: f.proportionCILower,
      proportionCIUpper: f.proportionCIUpper)
  }
}
