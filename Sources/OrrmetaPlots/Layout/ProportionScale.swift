// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// Places proportions on a measure's scale, for axes labelled in percent (metafor's `atransf`
/// with `at`): the forward transformation of the measure (the inverse of
/// ``BackTransformation``), and percent ticks within a range of the model scale.
package struct ProportionScale: Sendable {
  var backTransformation: BackTransformation
  /// Harmonic mean of nᵢ (Freeman–Tukey only).
  var harmonicMeanN: Double
  package init(backTransformation: BackTransformation, harmonicMeanN: Double) {
    self.backTransformation = backTransformation; self.harmonicMeanN = harmonicMeanN
  }

  /// The model-scale value of a proportion p (0 < p < 1): identity p; exp → ln p; inverse
  /// logit → ln(p/(1−p)); inverse arcsine → asin √p; Freeman–Tukey → metafor `transf.pft`
  /// with the harmonic mean of n.
  func modelValue(_ p: Double) -> Double {
    switch backTransformation {
    case .identity: return p
    case .exp: return p > 0 ? log(p) : -.infinity
    case .inverseLogit: return log(p / (1 - p))
    case .inverseArcsine: return asin(p.squareRoot())
    case .inverseFreemanTukeyHarmonicMean: return BackTransformation.freemanTukey(proportion: p, n: harmonicMeanN)
    }
  }

  /// Candidate tick proportions, from fine near 0 and 1 to coarse in the middle.
  static let candidates: [Double] = [
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6,
    0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999,
  ]

  /// Percent ticks inside [lo, hi] on the model scale, at least `minSpacing` of the range apart,
  /// at most about `maxCount`.
  package func ticks(in lo: Double, _ hi: Double, maxCount: Int = 9) -> [AxisTick] {
    guard lo.isFinite, hi.isFinite, hi > lo else { return [] }
    var inside = Self.candidates.compactMap { p -> (Double, Double)? in
      let v = modelValue(p)
      return v.isFinite && v >= lo && v <= hi ? (p, v) : nil
    }
    if backTransformation == .identity || backTransformation == .exp {
      for p in [0.0, 1.0] where p >= lo && p <= hi { inside.append((p, modelValue(p))) }
      inside.sort { $0.1 < $1.1 }
    }
    let minGap = (hi - lo) / Double(maxCount + 1)
    var out: [AxisTick] = []
    var last = -Double.infinity
    // Keep round values first: a pass over the "preferred" ones, then fill the gaps.
    let preferred: Set<Double> = [0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1]
    var chosen: [(Double, Double)] = []
    for c in inside where preferred.contains(c.0) {
      if c.1 - last >= minGap { chosen.append(c); last = c.1 }
    }
    for c in inside where !preferred.contains(c.0) {
      if chosen.allSatisfy({ abs($0.1 - c.1) >= minGap }) { chosen.append(c) }
    }
    chosen.sort { $0.1 < $1.1 }
    for c in chosen { out.append(AxisTick(value: c.1, label: PlotFormat.percentTick(c.0))) }
    return out
  }
}
