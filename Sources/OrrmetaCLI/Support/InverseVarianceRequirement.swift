// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

extension ModelFlags {
  /// Throws a usage error (exit code 64) when the method has no inverse-variance fit, which the
  /// sensitivity analyses, meta-regression and their plots refit.
  ///
  /// - Parameter what: the command or analysis, for the message ("sensitivity analyses").
  func requireInverseVariance(_ what: String) throws {
    try Self.requireInverseVariance(method, what)
  }

  /// ``requireInverseVariance(_:)`` for a method given apart from the flags.
  static func requireInverseVariance(_ method: PoolingMethod, _ what: String) throws {
    let methods = "EE, DL, HE, HS, SJ, ML, REML, EB or PM"
    switch method {
    case .pooled:
      throw ValidationError("--method pooled cannot be used for \(what): simple pooling of the counts has no inverse-variance model to refit; use --method \(methods)")
    case .GLMM:
      throw ValidationError("--method GLMM cannot be used for \(what): only inverse-variance models are refitted; use --method \(methods)")
    default:
      return
    }
  }
}
