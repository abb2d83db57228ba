// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// Which sensitivity analyses to run and their settings (the flags of `orrmeta sensitivity`).
package struct SensitivityRequest: Sendable, Hashable {
  /// Leave-one-out (metafor `leave1out`).
  package var leaveOneOut = false
  /// Influence diagnostics and Baujat coordinates (metafor `influence`, `baujat`).
  package var influence = false
  /// Cumulative meta-analysis (metafor `cumul`).
  package var cumulative = false
  /// The cohorts' order for the cumulative analysis (nil: file order); its column is reported
  /// in `sensitivity_settings.order_by`.
  package var cumulativeOrder: CohortOrder?
  /// Egger's, Peters' and Begg's tests.
  package var bias = false
  /// Trim-and-fill.
  package var trimFill = false
  /// The trim-and-fill estimator.
  package var trimFillEstimator: TrimAndFillEstimator = .L0
  /// The side of the missing cohorts (nil: estimated).
  package var trimFillSide: FunnelSide?
  /// GOSH.
  package var gosh = false
  /// At most this many GOSH subsets (all 2ᵏ − 1 when not more).
  package var goshSubsets = 1_000_000
  /// Bootstrap resamples (nil: no bootstrap).
  package var bootstrapResamples: Int?
  /// Seed of the random GOSH subsets and of the bootstrap.
  package var seed: UInt64 = 1
  /// Worker threads for GOSH and the bootstrap (results do not depend on it).
  package var threads = availableProcessorCount()

  /// Creates an empty request.
  package init() {}

  /// Every analysis but GOSH and the bootstrap (`--all`).
  package mutating func selectAll() {
    leaveOneOut = true
    influence = true
    cumulative = true
    bias = true
    trimFill = true
  }

  /// Whether no analysis is selected.
  package var isEmpty: Bool {
    !(leaveOneOut || influence || cumulative || bias || trimFill || gosh || bootstrapResamples != nil)
  }

  /// This request with the cumulative order read from a column of the file (`--order-by`),
  /// when the cumulative analysis is requested and a column is given; else unchanged.
  ///
  /// - Throws: ``InputError`` when the column is missing or has an empty cell (the error names
  ///   the file, line and column).
  package func ordered(by column: String?, in cohorts: CohortFile) throws(InputError) -> SensitivityRequest {
    guard cumulative, let column else { return self }
    var r = self
    r.cumulativeOrder = try CohortOrder(cohorts, ascendingBy: column)
    return r
  }

  /// The selected analyses by their JSON keys, in report order.
  package var analysisKeys: [String] {
    var keys: [String] = []
    if leaveOneOut { keys.append("leave_one_out") }
    if influence { keys += ["influence", "baujat"] }
    if cumulative { keys.append("cumulative") }
    if bias { keys.append("bias") }
    if trimFill { keys.append("trimfill") }
    if gosh { keys.append("gosh") }
    if bootstrapResamples != nil { keys.append("bootstrap") }
    return keys
  }
}
