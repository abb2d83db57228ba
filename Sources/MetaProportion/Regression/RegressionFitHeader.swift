// SPDX-License-Identifier: GPL-3.0-or-later

/// What every fitted meta-regression states first: its size, τ² method, test, level, and the
/// coefficients β̂ with Var(β̂). Carried by ``MetaRegressionFit`` and ``ThreeLevelFit``, which read
/// it through the accessors of ``RegressionFitHeaderCarrying``.
public struct RegressionFitHeader: Sendable, Hashable {
  /// Number of cohorts k.
  public var k: Int
  /// Number of coefficients p.
  public var p: Int
  /// τ² (or σ²) method.
  public var method: TauSquaredMethod
  /// Test method: z, t or knha.
  public var test: TestMethod
  /// α = 1 − level.
  public var alpha: Double
  /// Coefficients, the intercept first (`coefficients`).
  public var coefficients: [RegressionCoefficient]
  /// Var(β̂), p×p row-major (`vcov`).
  public var covariance: [Double]

  /// Creates a header.
  public init(
    k: Int, p: Int, method: TauSquaredMethod, test: TestMethod, alpha: Double,
    coefficients: [RegressionCoefficient], covariance: [Double]
  ) {
    self.k = k; self.p = p; self.method = method; self.test = test; self.alpha = alpha
    self.coefficients = coefficients; self.covariance = covariance
  }
}

/// A fit that carries a ``RegressionFitHeader``; its fields read and set as the fit's own
/// (`fit.k`, `fit.coefficients`, …) through dynamic member lookup.
@dynamicMemberLookup
public protocol RegressionFitHeaderCarrying {
  var header: RegressionFitHeader { get set }
}

extension RegressionFitHeaderCarrying {
  /// The header field at `keyPath`.
  public subscript<T>(dynamicMember keyPath: WritableKeyPath<RegressionFitHeader, T>) -> T {
    get { header[keyPath: keyPath] }
    set { header[keyPath: keyPath] = newValue }
  }
}
