// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// The GLMM flags of a two-arm comparison (`--model`, `--nagq`, part of ``CompareOptions``):
/// the one owner of their defaults (metafor's) and of the rule that they go with
/// `--method GLMM` only.
struct ComparisonGLMMOptions: ParsableArguments {
  @Option(help: "GLMM (--method GLMM): UM.FS (fixed study effects, metafor's default) or CM.EL (conditional, exact likelihood).")
  var model: ComparisonGLMMModel?
  @Option(help: "GLMM UM.FS: adaptive Gauss-Hermite points per trial (1 = Laplace; metafor's nAGQ, default 7).")
  var nagq: Int?

  /// The model: the flag, else UM.FS (metafor's `model = "UM.FS"`).
  var resolvedModel: ComparisonGLMMModel { model ?? .UMFS }
  /// The quadrature points of UM.FS: the flag, else 7 (metafor's `nAGQ`).
  var quadraturePoints: Int { nagq ?? 7 }

  /// Refuses the flags with another method than `GLMM`, `--nagq` with CM.EL (a fixed 20-point
  /// rule) and a number of points out of range.
  func check(method: ComparisonMethod) throws {
    if method != .GLMM, model != nil || nagq != nil {
      throw UsageError(message: "--model and --nagq apply to --method GLMM only")
    }
    if let nagq, !(1...GaussHermiteRule.maximumPoints).contains(nagq) || model == .CMEL {
      throw UsageError(message: model == .CMEL ? "--nagq applies to the UM.FS model only (CM.EL integrates with a fixed 20-point rule)" : "--nagq must be between 1 and \(GaussHermiteRule.maximumPoints), got \(nagq)")
    }
  }
}
