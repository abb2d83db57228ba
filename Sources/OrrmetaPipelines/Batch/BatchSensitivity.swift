// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// What a batch analysis of type `sensitivity` runs: the analyses and options that the flags of
/// `orrmeta sensitivity` would request (resolved by the command line from the spec's
/// `analyses`, `order_by`, `estimator`, `side`, `subsets`, `seed` and `bootstrap`).
///
/// GOSH and the bootstrap run on one thread: the batch already runs files in parallel, and the
/// thread count never changes a result, so each result is byte-identical to the standalone
/// command's with the same seed.
package struct BatchSensitivity: Sendable, Hashable {
  /// The analyses and their options, with `threads` 1 and no cumulative order (the order is
  /// read from each file: ``request(for:)``).
  package let request: SensitivityRequest
  /// The column the cumulative analysis adds cohorts by (ascending; nil: file order).
  package let orderBy: String?

  /// Creates the settings; `request`'s thread count and cumulative order are replaced (one
  /// thread; the order comes from `orderBy`, per file).
  package init(request: SensitivityRequest, orderBy: String?) {
    var r = request
    r.threads = 1
    r.cumulativeOrder = nil
    self.request = r
    self.orderBy = orderBy
  }

  /// The request for one cohort file: with the cumulative order read from its `orderBy`
  /// column, as `orrmeta sensitivity --order-by` reads it.
  ///
  /// - Throws: ``InputError`` when the column is missing or has an empty cell.
  package func request(for cohorts: CohortFile) throws(InputError) -> SensitivityRequest {
    try request.ordered(by: orderBy, in: cohorts)
  }
}
