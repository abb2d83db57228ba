// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// A pooled log ratio (of medians, or a log hazard ratio) back-transformed by exp: estimate,
/// CI and prediction interval on the ratio scale.
public struct RatioScaleSummary: Sendable, Hashable {
  public var estimate: Double
  public var ciLower: Double
  public var ciUpper: Double
  public var piLower: Double
  public var piUpper: Double

  /// exp of every figure of a fit on the log scale.
  public init(exponentiating fit: ModelFit) {
    estimate = fit.estimate.exp
    ciLower = fit.ciLower.exp
    ciUpper = fit.ciUpper.exp
    piLower = fit.piLower.exp
    piUpper = fit.piUpper.exp
  }
}

extension Double {
  fileprivate var exp: Double { Double.exp(self) }
}
