// SPDX-License-Identifier: GPL-3.0-or-later

/// How two-arm trials are pooled: Mantel–Haenszel (`rma.mh`), Peto (`rma.peto`), or the
/// inverse-variance model of `rma` with one of its τ² estimators (EE for the common effect), or
/// a GLMM (`rma.glmm`, odds ratios; the model is ``ComparisonSettings/model``).
/// The single owner of which method allows which measure and test.
public enum ComparisonMethod: String, CaseIterable, Sendable, Codable {
  /// Mantel–Haenszel common effect (OR, RR, RD).
  case MH
  /// Peto's one-step common-effect odds ratio.
  case Peto
  case EE, DL, HE, HS, SJ, ML, REML, EB, PM
  /// Maximum-likelihood GLMM (`rma.glmm`): UM.FS or CM.EL.
  case GLMM

  /// The τ² estimator of an inverse-variance method, or nil for MH and Peto.
  public var tauSquaredMethod: TauSquaredMethod? {
    switch self {
    case .MH, .Peto, .GLMM: return nil
    default: return TauSquaredMethod(rawValue: rawValue)
    }
  }

  /// A readable name.
  public var name: String {
    switch self {
    case .MH: return "Mantel-Haenszel"
    case .Peto: return "Peto"
    case .GLMM: return "GLMM"
    default: return "inverse variance, " + tauSquaredMethod!.name
    }
  }

  /// metafor's default for `drop00`: TRUE in `rma.mh`, `rma.peto` and `rma.glmm`, FALSE in
  /// `escalc`/`rma`.
  public var defaultDrop00: Bool { tauSquaredMethod == nil }

  /// The per-trial outcome measure for a requested measure (PETO for the Peto method).
  public func trialMeasure(for measure: ComparisonMeasure) -> ComparisonMeasure {
    self == .Peto ? .PETO : measure
  }

  /// Checks that the method supports the measure and the test.
  /// - Throws: ``MetaAnalysisError/invalidSetting(name:value:expected:)``.
  public func validate(measure: ComparisonMeasure, test: TestMethod) throws(MetaAnalysisError) {
    switch self {
    case .Peto:
      guard measure == .OR || measure == .PETO else {
        throw .invalidSetting(name: "measure", value: measure.rawValue, expected: "OR with the Peto method (it estimates an odds ratio)")
      }
    case .GLMM:
      guard measure == .OR else {
        throw .invalidSetting(name: "measure", value: measure.rawValue, expected: "OR with the GLMM method (the UM.FS and CM.EL models estimate an odds ratio)")
      }
      guard test == .z || test == .t else {
        throw .invalidSetting(name: "test", value: test.rawValue, expected: "z or t with the GLMM method (metafor's rma.glmm has no Knapp-Hartung adjustment)")
      }
      return
    default:
      guard measure != .PETO else {
        throw .invalidSetting(name: "measure", value: measure.rawValue, expected: "OR, RR or RD (PETO is the Peto method's own outcome)")
      }
    }
    if tauSquaredMethod == nil, test != .z {
      throw .invalidSetting(
        name: "test", value: test.rawValue,
        expected: "z with the \(name) method (metafor's rma.mh and rma.peto use normal-theory intervals only)")
    }
  }
}
