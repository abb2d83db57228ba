// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions

/// Cochran's Q with its p-value, I² and H² for a common-effect fit (Mantel–Haenszel, Peto), as
/// metafor's `rma.mh`/`rma.peto` report them: df = k_y − 1 with k_y the trials that have an
/// outcome; I² = max(0, 100(Q − df)/Q), H² = Q/df; Q = 0, p = 1, I² = 0, H² = 1 when k_y ≤ 1
/// (`positiveTables ≤ 1` for Peto).
public struct CommonEffectHeterogeneity: Sendable, Hashable {
  /// Q.
  public var q: Double
  /// Its degrees of freedom k_y − 1.
  public var degreesOfFreedom: Int
  /// P(χ²_df > Q).
  public var pValue: Double
  /// I² in percent (0 when Q = 0, where metafor gives NaN).
  public var i2: Double
  /// H².
  public var h2: Double

  /// - Parameters:
  ///   - rawQ: Q before truncation at 0.
  ///   - kY: trials with an outcome.
  ///   - testable: whether Q is tested (k_y > 1 for MH, k_pos > 1 for Peto).
  init(q rawQ: Double, availableTrials kY: Int, testable: Bool) throws(MetaAnalysisError) {
    degreesOfFreedom = kY - 1
    // R's max(0, NaN) is NaN; Swift's max would return 0.
    q = rawQ.isNaN ? .nan : max(0, rawQ)
    guard testable, kY > 1 else {
      pValue = 1; i2 = 0; h2 = 1
      return
    }
    let df = Double(kY - 1)
    let qq = q
    pValue = q.isNaN ? .nan : try dist { () throws(DistributionError) in try ChiSquared(degreesOfFreedom: df).survival(qq) }
    i2 = q.isNaN ? .nan : (q > 0 ? max(0, 100 * (q - df) / q) : 0)
    h2 = q / df
  }
}
