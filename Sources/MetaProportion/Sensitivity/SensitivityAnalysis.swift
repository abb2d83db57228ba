// SPDX-License-Identifier: GPL-3.0-or-later

/// The data and model settings shared by the sensitivity analyses (leave-one-out, influence,
/// cumulative, small-study tests, trim-and-fill, GOSH, bootstrap), together with the fit of the
/// full model — metafor's `rma.uni` object that its `leave1out()`, `influence()`, `cumul()`,
/// `regtest()`, `ranktest()`, `trimfill()` and `gosh()` take.
///
/// Every analysis refits the model with the same τ² method, test, level and control, as metafor
/// does. Values are reported on the model's (transformed) scale, as metafor reports them, and
/// back-transformed to proportions with ``backTransformation``.
///
/// See `Docs/sensitivity.md` for the formulas and references.
public struct SensitivityAnalysis: Sendable {
  /// Outcomes yᵢ on the transformed scale.
  public let yi: [Double]
  /// Sampling variances vᵢ.
  public let vi: [Double]
  /// Cohort labels (metafor's `slab`).
  public let labels: [String]
  /// Cohort sizes nᵢ (needed by Peters' test only).
  public let sampleSizes: [Double]?
  /// τ² method (EE for the common-effect model).
  public let method: TauSquaredMethod
  /// Test / CI method.
  public let test: TestMethod
  /// Confidence level.
  public let level: ConfidenceLevel
  /// Iteration settings.
  public let control: FitControl
  /// The back-transformation from the model scale to proportions.
  public let backTransformation: BackTransformation
  /// Harmonic mean of all nᵢ (used by the Freeman–Tukey inverse; NaN when unknown).
  public let harmonicMeanN: Double
  /// Whether back-transformed values are proportions, clamped to [0, 1] (false for the odds
  /// and risk ratios of two-arm comparisons).
  public var clampsToUnitInterval = true
  /// The fit of the model to all cohorts.
  public let fit: ModelFit

  /// Number of cohorts k.
  public var k: Int { yi.count }

  /// Creates the analysis from outcomes and variances and fits the full model.
  ///
  /// - Parameters:
  ///   - yi: outcomes (finite).
  ///   - vi: sampling variances (> 0, finite).
  ///   - labels: one label per cohort; `nil` gives "1", "2", … .
  ///   - sampleSizes: cohort sizes nᵢ (for Peters' test and the Freeman–Tukey inverse).
  ///   - method: τ² method.
  ///   - test: z, t, knha or adhoc.
  ///   - level: confidence level.
  ///   - control: iteration settings (use tight settings to compare with metafor run with
  ///     `control = list(threshold = 1e-12, tol = 1e-12)`).
  ///   - backTransformation: the inverse of the measure's transformation.
  /// - Throws: ``MetaAnalysisError`` for invalid input or when the full model cannot be fitted.
  public init(
    yi: [Double], vi: [Double], labels: [String]? = nil, sampleSizes: [Double]? = nil,
    method: TauSquaredMethod, test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive,
    control: FitControl = .tight, backTransformation: BackTransformation = .identity
  ) throws(MetaAnalysisError) {
    let fit = try RandomEffectsModel.fit(yi: yi, vi: vi, method: method, test: test, level: level, control: control)
    if let labels, labels.count != yi.count {
      throw .invalidSetting(name: "labels", value: "\(labels.count) values", expected: "one per cohort (\(yi.count))")
    }
    if let sampleSizes {
      guard sampleSizes.count == yi.count else {
        throw .invalidSetting(name: "sampleSizes", value: "\(sampleSizes.count) values", expected: "one per cohort (\(yi.count))")
      }
      for (i, n) in sampleSizes.enumerated() where !(n > 0 && n.isFinite) {
        throw .invalidSetting(name: "sampleSizes[\(i + 1)]", value: "\(n)", expected: "a finite number > 0")
      }
    }
    self.yi = yi
    self.vi = vi
    self.labels = labels ?? (1...yi.count).map { String($0) }
    self.sampleSizes = sampleSizes
    self.method = method
    self.test = test
    self.level = level
    self.control = control
    self.backTransformation = backTransformation
    if let sampleSizes {
      var s = 0.0
      for n in sampleSizes { s += 1 / n }
      harmonicMeanN = Double(sampleSizes.count) / s
    } else {
      harmonicMeanN = .nan
    }
    self.fit = fit
  }

  /// Creates the analysis from cohorts: computes yᵢ, vᵢ as metafor's `escalc` and fits the model.
  ///
  /// The labels are the cohorts' labels, nᵢ their (uncorrected) sizes, and the back-transformation
  /// the measure's (``EffectMeasure/backTransformation``).
  public init(
    studies: [ProportionStudy], measure: EffectMeasure, add: Double? = nil, to: ZeroCellRule = .only0,
    method: TauSquaredMethod, test: TestMethod = .z, level: ConfidenceLevel = .ninetyFive,
    control: FitControl = .tight
  ) throws(MetaAnalysisError) {
    let es = try EffectSizes(studies: studies, measure: measure, add: add, to: to)
    try self.init(
      yi: es.yi, vi: es.vi, labels: studies.map(\.label), sampleSizes: studies.map { Double($0.total) },
      method: method, test: test, level: level, control: control,
      backTransformation: measure.backTransformation)
  }

  /// Back-transforms a value on the model scale to a proportion; results of the identity and
  /// exponential back-transformations are clamped to [0, 1]. NaN stays NaN.
  public func proportion(_ t: Double) -> Double {
    if t.isNaN { return .nan }
    let p = backTransformation.apply(t, harmonicMeanN: harmonicMeanN)
    if clampsToUnitInterval, backTransformation.canLeaveUnitInterval { return min(max(p, 0), 1) }
    return p
  }

  /// Fits the model to a subset given by indices (in the given order).
  func fitSubset(_ indices: some Collection<Int>, y: inout [Double], v: inout [Double]) -> ModelFit? {
    y.removeAll(keepingCapacity: true)
    v.removeAll(keepingCapacity: true)
    for i in indices {
      y.append(yi[i])
      v.append(vi[i])
    }
    let result: ModelFit? = y.withUnsafeBufferPointer { yb in
      v.withUnsafeBufferPointer { vb in
        // RandomEffectsModel.fit switches to test = "z" when k = 1, as metafor's rma.uni.
        try? RandomEffectsModel.fit(y: yb, v: vb, method: method, test: test, level: level, control: control)
      }
    }
    return result
  }

  /// The k leave-one-out fits (nil where a fit failed), as metafor's `leave1out` and `influence`.
  func deletionFits() -> [ModelFit?] {
    var y = [Double](), v = [Double]()
    y.reserveCapacity(k)
    v.reserveCapacity(k)
    var fits = [ModelFit?]()
    fits.reserveCapacity(k)
    for i in 0..<k {
      fits.append(fitSubset((0..<k).lazy.filter { $0 != i }, y: &y, v: &v))
    }
    return fits
  }
}
