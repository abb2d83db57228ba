// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// Leave-one-out and cumulative analyses of a two-arm comparison, as metafor's `leave1out` and
/// `cumul` for `rma.mh`, `rma.peto` and `rma.uni`.
///
/// Inverse variance: the existing ``SensitivityAnalysis`` engine on the trials' yᵢ and vᵢ
/// (metafor reuses the outcomes of the full fit); trials without an outcome have no row, as in
/// metafor.
/// Mantel–Haenszel and Peto: the model refitted on the remaining tables with the same settings
/// (O(k) per refit, O(k²) in all, as metafor); a refit that fails gives a NaN row (metafor: NA).
/// Rows are on the model scale; `proportion*` hold the reported scale (exp for OR and RR).
extension ComparisonAnalysis {
  /// The engine for inverse-variance fits (nil for MH and Peto), with the indices of the
  /// trials it holds.
  public func sensitivityEngine() throws(MetaAnalysisError) -> (SensitivityAnalysis, [Int])? {
    guard let tau = settings.method.tauSquaredMethod else { return nil }
    let used = studies.indices.filter { effects.available($0) }
    var a = try SensitivityAnalysis(
      yi: used.map { effects.yi[$0] }, vi: used.map { effects.vi[$0] }, labels: used.map { studies[$0].label },
      sampleSizes: used.map { Double(studies[$0].totalTreat + studies[$0].totalControl) }, method: tau,
      test: settings.test, level: settings.level, control: settings.control,
      backTransformation: settings.measure.isRatio ? .exp : .identity)
    // Odds and risk ratios are not proportions; RD is a difference on the proportion scale.
    a.clampsToUnitInterval = false
    return (a, used)
  }

  /// One row per trial (per trial with an outcome for inverse variance): the model without it.
  public func leaveOneOut() throws(MetaAnalysisError) -> [LeaveOneOutRow] {
    if let (engine, _) = try sensitivityEngine() { return try engine.leaveOneOut() }
    return studies.indices.map { i in
      refit(label: studies[i].label, studies.indices.filter { $0 != i }.map { studies[$0] })
    }
  }

  /// Row j: the model on the first j + 1 trials of `order` (default: input order).
  public func cumulative(order: [Int]? = nil) throws(MetaAnalysisError) -> [LeaveOneOutRow] {
    let order = order ?? Array(studies.indices)
    guard order.count == studies.count, Set(order) == Set(studies.indices) else {
      throw .invalidSetting(name: "order", value: "\(order.count) indices", expected: "a permutation of the \(studies.count) trials")
    }
    if let (engine, used) = try sensitivityEngine() {
      // metafor's cumul.rma.uni runs over the trials with an outcome, in the given order.
      let position = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
      return try engine.cumulative(order: order.compactMap { position[$0] })
    }
    return order.indices.map { j in refit(label: studies[order[j]].label, order[0...j].map { studies[$0] }) }
  }

  func refit(label: String, _ subset: [TwoArmStudy]) -> LeaveOneOutRow {
    guard let a = try? ComparisonAnalysis(studies: subset, settings: settings) else { return Self.missingRow(label) }
    let p = a.pooled
    let back: (Double) -> Double = settings.measure.isRatio ? { Double.exp($0) } : { $0 }
    return LeaveOneOutRow(
      label: label, summary: p.summary, tau2: p.tau2, i2: p.i2, h2: p.h2, q: p.q, qPValue: p.qPValue,
      proportion: back(p.estimate), proportionCILower: back(p.ciLower), proportionCIUpper: back(p.ciUpper))
  }

  static func missingRow(_ label: String) -> LeaveOneOutRow {
    .unavailable(label)
  }
}

extension ComparisonAnalysis {
  /// Egger's and Peters' regression tests (metafor `regtest(res)` and
  /// `regtest(res, predictor = "ninv")` with nᵢ = n₁ᵢ + n₂ᵢ), from the sensitivity engine;
  /// nil for MH and Peto, which metafor's `regtest` does not take.
  /// - Throws: ``MetaAnalysisError`` when the regression cannot be fitted (k < 3).
  public func smallStudyTests() throws(MetaAnalysisError) -> (egger: RegressionTestResult, peters: RegressionTestResult)? {
    guard let (engine, _) = try sensitivityEngine() else { return nil }
    return (try engine.eggerTest(), try engine.petersTest())
  }
}
