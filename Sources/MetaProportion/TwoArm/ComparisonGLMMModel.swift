// SPDX-License-Identifier: GPL-3.0-or-later

/// The generalized linear mixed model of `--method GLMM` (metafor's `rma.glmm(model = ...)`
/// for odds ratios).
public enum ComparisonGLMMModel: String, CaseIterable, Sendable, Codable {
  /// Unconditional model with fixed study effects (binomial-normal, random treatment effect;
  /// metafor's default): ``UnconditionalFixedStudyFit``.
  case UMFS = "UM.FS"
  /// Conditional model with the exact (non-central hypergeometric) likelihood:
  /// ``ConditionalLogisticFit``.
  case CMEL = "CM.EL"

  /// A readable name.
  public var name: String {
    switch self {
    case .UMFS: return "unconditional model with fixed study effects (UM.FS)"
    case .CMEL: return "conditional model with the exact likelihood (CM.EL)"
    }
  }
}
