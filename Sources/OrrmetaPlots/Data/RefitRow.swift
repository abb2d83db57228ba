// SPDX-License-Identifier: GPL-3.0-or-later

/// The model refitted to a subset of the cohorts, named by the cohort that defines the subset:
/// a step of the cumulative meta-analysis (metafor `cumul`: the cohort added) or a row of the
/// leave-one-out analysis (metafor `leave1out`: the cohort left out). Proportions on the 0–1
/// scale.
package struct RefitRow: ProportionIntervalCarrying, Sendable, Hashable {
  /// The cohort added (cumulative) or left out (leave-one-out).
  package var label: String
  /// The pooled proportion with its CI.
  package var interval: EstimateInterval
  /// τ̂² of the refit (NaN: not shown).
  package var tau2: Double
  /// I² in percent (NaN: not shown).
  package var i2: Double

  /// Creates a row.
  package init(label: String, proportion: Double, ciLower: Double, ciUpper: Double, tau2: Double = .nan, i2: Double = .nan) {
    self.label = label; self.interval = EstimateInterval(proportion, lower: ciLower, upper: ciUpper); self.tau2 = tau2; self.i2 = i2
  }
}
