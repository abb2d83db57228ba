// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// H = √(Q/(k − 1)) with its test-based confidence interval (Higgins & Thompson 2002, §3.2;
/// the interval R meta prints with `method.I2 = "Q"`, its `calcH`).
///
/// ln H has the standard error
/// - ½(ln Q − ln(k − 1)) / (√(2Q) − √(2k − 3)) when Q > k,
/// - √(1/(2(k − 2)) · (1 − 1/(3(k − 2)²))) when Q ≤ k (needs k > 2);
///
/// the bounds are exp(ln max(H, 1) ∓ z·SE), each at least 1, and H itself is reported as
/// max(H, 1) (as meta does). Undefined bounds (k = 2 with Q ≤ 2) are NaN.
public struct TestBasedH: Sendable, Hashable {
  /// max(1, √(Q/(k − 1))); NaN for k = 1.
  public var h: Double
  /// Lower and upper bound (≥ 1).
  public var lower: Double
  public var upper: Double

  /// H and its interval from Cochran's Q with `degreesOfFreedom` = k − 1.
  public init(q: Double, degreesOfFreedom df: Int, level: ConfidenceLevel) {
    let k = Double(df + 1)
    guard df >= 1, q.isFinite else {
      self.init(h: .nan, lower: .nan, upper: .nan)
      return
    }
    let h = max(1, (q / (k - 1)).squareRoot())
    let se: Double
    if q > k {
      se = 0.5 * (Double.log(q) - Double.log(k - 1)) / ((2 * q).squareRoot() - (2 * k - 3).squareRoot())
    } else if k > 2 {
      se = (1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2) * (k - 2)))).squareRoot()
    } else {
      se = .nan
    }
    let z = (try? Normal.standard.upperQuantile(level.alpha / 2)) ?? .nan
    let logH = Double.log(h)
    self.init(
      h: h, lower: se.isNaN ? .nan : max(1, Double.exp(logH - z * se)),
      upper: se.isNaN ? .nan : max(1, Double.exp(logH + z * se)))
  }

  init(h: Double, lower: Double, upper: Double) {
    self.h = h; self.lower = lower; self.upper = upper
  }
}
