// SPDX-License-Identifier: GPL-3.0-or-later

/// Every choice of a two-arm comparison, with metafor's defaults.
public struct ComparisonSettings: Sendable, Hashable {
  /// OR, RR or RD.
  public var measure: ComparisonMeasure
  /// MH, Peto, or an inverse-variance τ² method.
  public var method: ComparisonMethod
  /// Test / CI method (inverse variance only; MH and Peto use z).
  public var test: TestMethod
  /// Confidence level of the CIs and the prediction interval.
  public var level: ConfidenceLevel
  /// Continuity correction of the per-trial outcomes (metafor's `add`, default ½).
  public var add: Double
  /// Which trials receive it (metafor's `to`, default `only0`).
  public var to: ZeroCellRule
  /// Whether double-zero trials are dropped from the per-trial outcomes; nil means the method's
  /// metafor default (TRUE for MH and Peto, FALSE for inverse variance).
  public var drop00: Bool?
  /// Continuity correction of the CMH test (metafor's `correct`, default TRUE).
  public var correct: Bool
  /// Iteration settings of the τ² estimators.
  public var control: FitControl
  /// The GLMM of `method = .GLMM` (metafor's default UM.FS).
  public var model: ComparisonGLMMModel
  /// Quadrature points of the UM.FS model (metafor's `nAGQ`, default 7).
  public var nAGQ: Int
  /// Mantel–Haenszel: pool the tables with the continuity correction and `drop00` of the
  /// per-trial outcomes (metafor's `rma.mh(add = c(add, add), to = c(to, to), drop00 =
  /// c(drop00, drop00))`; meta's `metabin(MH.exact = FALSE)`, its default). Default false:
  /// metafor's uncorrected counts of every trial.
  public var correctPooledTables: Bool = false
  /// The profile whose conventions apply: under ``AnalysisProfile/meta`` the comparison is R
  /// meta's `metabin` (``MetaBinAnalysis``): `add`, `to` and `drop00` are its `incr`,
  /// `method.incr` and `!allstudies`, `test` knha its `method.random.ci = "HK"`.
  public var profile: AnalysisProfile = .orrmeta
  /// Profile meta with `method` MH or Peto: the τ² estimator of the random-effects model next
  /// to it (meta's `method.tau`; nil = REML, meta's default).
  public var randomMethod: TauSquaredMethod? = nil
  /// Each default the profile changed from orrmeta's, in words (empty under orrmeta).
  public var profileChanges: [String] = []

  /// Creates settings.
  public init(
    measure: ComparisonMeasure = .OR, method: ComparisonMethod = .MH, test: TestMethod = .z,
    level: ConfidenceLevel = .ninetyFive, add: Double = 0.5, to: ZeroCellRule = .only0,
    drop00: Bool? = nil, correct: Bool = true, control: FitControl = .tight, model: ComparisonGLMMModel = .UMFS,
    nAGQ: Int = 7
  ) {
    self.model = model
    self.nAGQ = nAGQ
    self.measure = measure
    self.method = method
    self.test = test
    self.level = level
    self.add = add
    self.to = to
    self.drop00 = drop00
    self.correct = correct
    self.control = control
  }

  /// The `drop00` rule in force.
  public var effectiveDrop00: Bool { drop00 ?? method.defaultDrop00 }
}
