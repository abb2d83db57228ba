// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// An estimate with its confidence and prediction intervals, the five keys that several report
/// blocks share: `estimate`, `ci_lower`, `ci_upper`, `pi_lower`, `pi_upper` (each `nil` where not
/// defined).
///
/// Encoded flat: a block that holds one calls `encode(to:)` with its own encoder, so the five
/// keys land in the block's object, in this order, where the block puts them — the block's JSON
/// is the same as if it listed them itself. An absent bound follows the holder's null rule
/// (`null` in a ``NullPreservingEncodable``, left out elsewhere; see ``JSONOutput``). Encoded on
/// its own (as `PFSPooledReport.Ratio`) it is an object of the five keys.
package struct IntervalEstimate: Encodable, Sendable, Hashable {
  package var estimate: Double?
  package var ci_lower: Double?
  package var ci_upper: Double?
  package var pi_lower: Double?
  package var pi_upper: Double?

  package init(estimate: Double? = nil, ci_lower: Double? = nil, ci_upper: Double? = nil, pi_lower: Double? = nil, pi_upper: Double? = nil) {
    self.estimate = estimate; self.ci_lower = ci_lower; self.ci_upper = ci_upper; self.pi_lower = pi_lower
    self.pi_upper = pi_upper
  }

  /// A pooled proportion in percent (100 × proportion, CI and PI), a non-finite value `nil`.
  package init(percent p: PooledProportion) {
    self.init(
      estimate: finite(100 * p.proportion), ci_lower: finite(100 * p.ciLower), ci_upper: finite(100 * p.ciUpper),
      pi_lower: finite(100 * p.piLower), pi_upper: finite(100 * p.piUpper))
  }
}

/// A report block with an ``IntervalEstimate`` among its keys (see ``WithGroup``): `block`'s
/// properties and the interval's read and write through (`column.tau2` is `column.block.tau2`,
/// `model.ci_lower` is `model.interval.ci_lower`).
package typealias WithInterval<Block: Encodable & Sendable> = WithGroup<Block, IntervalEstimate>

extension WithGroup where Group == IntervalEstimate {
  package init(_ block: Block, interval: IntervalEstimate = .init()) {
    self.init(block, group: interval)
  }

  package var interval: IntervalEstimate {
    get { group }
    set { group = newValue }
  }
}
