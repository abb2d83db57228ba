// SPDX-License-Identifier: GPL-3.0-or-later

/// Pools reported ratios (hazard ratios) from their confidence intervals: metafor's
/// `conv.wald(out, ci.lb, ci.ub, level, transf = log)` followed by `rma(yi, vi, method, test)`,
/// back-transformed by exp.
public enum RatioMetaAnalysis {
  /// Pools the ratios.
  ///
  /// - Parameters:
  ///   - ratios: the reported ratios with their CIs.
  ///   - labels: one name per ratio (for messages and the asymmetry warning).
  ///   - method, test, level, control: as ``RandomEffectsModel/fit(yi:vi:method:test:level:control:)``.
  /// - Throws: ``MetaAnalysisError`` for no ratios or an invalid one (named by its label).
  public static func analyze(
    ratios: [ReportedRatio], labels: [String], method: TauSquaredMethod = .REML, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, control: FitControl = .tight
  ) throws(MetaAnalysisError) -> RatioMetaAnalysisResult {
    guard !ratios.isEmpty else { throw .noStudies }
    guard labels.count == ratios.count else {
      throw .invalidSetting(name: "labels", value: "\(labels.count) values", expected: "one per ratio (\(ratios.count))")
    }
    var yi: [Double] = [], vi: [Double] = [], asymmetric: [String] = []
    for (i, r) in ratios.enumerated() {
      let o: (yi: Double, vi: Double, asymmetric: Bool)
      do { o = try r.logScale() } catch {
        if case let .invalidStudy(_, reason) = error { throw .invalidStudy(label: labels[i], reason: reason) }
        throw error
      }
      yi.append(o.yi)
      vi.append(o.vi)
      if o.asymmetric { asymmetric.append(labels[i]) }
    }
    var warnings: [AnalysisWarning] = []
    if !asymmetric.isEmpty {
      // metafor's warning, naming cohorts instead of row numbers.
      warnings.append(.note(
        "the log ratio does not appear to be halfway between the log CI bounds (off by more than \(ReportedRatio.asymmetryTolerance) of the CI width) for: \(asymmetric.joined(separator: ", ")); the CI may not be a Wald interval on the log scale, so its SE is approximate"))
    }
    let fit = try RandomEffectsModel.fit(yi: yi, vi: vi, method: method, test: test, level: level, control: control)
    return RatioMetaAnalysisResult(
      yi: yi, sei: vi.map { $0.squareRoot() }, asymmetric: asymmetric, fit: fit,
      ratio: RatioScaleSummary(exponentiating: fit), warnings: warnings + fit.warnings)
  }
}
