// SPDX-License-Identifier: GPL-3.0-or-later

/// An estimate with its confidence interval, as a plot draws it (a point or diamond and the two
/// bounds). The plot data types that draw one carry it as `interval` and read its parts through
/// ``IntervalCarrying``, ``ProportionIntervalCarrying`` or ``EffectIntervalCarrying``, so that
/// the field group is declared once.
package struct EstimateInterval: Sendable, Hashable {
  /// The point estimate.
  package var estimate: Double
  /// Lower confidence bound.
  package var lower: Double
  /// Upper confidence bound.
  package var upper: Double

  /// Creates an interval.
  package init(_ estimate: Double, lower: Double, upper: Double) {
    self.estimate = estimate; self.lower = lower; self.upper = upper
  }
}

/// A value that carries an ``EstimateInterval``: its bounds are `ciLower` and `ciUpper`.
package protocol IntervalCarrying {
  var interval: EstimateInterval { get }
}

extension IntervalCarrying {
  /// Lower confidence bound.
  package var ciLower: Double { interval.lower }
  /// Upper confidence bound.
  package var ciUpper: Double { interval.upper }
}

/// An interval of a proportion (0–1): the estimate is `proportion`.
package protocol ProportionIntervalCarrying: IntervalCarrying {}

extension ProportionIntervalCarrying {
  /// The proportion (0–1).
  package var proportion: Double { interval.estimate }
}

/// An interval of an effect on the reported scale (OR, RR or RD): the estimate is `effect`.
package protocol EffectIntervalCarrying: IntervalCarrying {}

extension EffectIntervalCarrying {
  /// The effect on the reported scale.
  package var effect: Double { interval.estimate }
}
