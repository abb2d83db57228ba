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

  /// Whether the analysis is selected.
  package func selects(_ kind: SensitivityAnalysisKind) -> Bool {
    switch kind {
    case .leaveOneOut: return leaveOneOut
    case .influence: return influence
    case .cumulative: return cumulative
    case .bias: return bias
    case .trimFill: return trimFill
    case .gosh: return gosh
    case .bootstrap: return bootstrapResamples != nil
    }
  }

  /// The selected analyses, in report order.
  package var analyses: [SensitivityAnalysisKind] { SensitivityAnalysisKind.allCases.filter(selects) }

  /// Whether no analysis is selected.
  package var isEmpty: Bool { analyses.isEmpty }

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
  package var analysisKeys: [String] { analyses.flatMap(\.reportKeys) }
}

extension SensitivityAnalysisKind {
  /// The keys of the analysis's blocks in the sensitivity JSON (``SensitivityReport``).
  package var reportKeys: [String] {
    switch self {
    case .leaveOneOut: return ["leave_one_out"]
    case .influence: return ["influence", "baujat"]
    case .cumulative: return ["cumulative"]
    case .bias: return ["bias"]
    case .trimFill: return ["trimfill"]
    case .gosh: return ["gosh"]
    case .bootstrap: return ["bootstrap"]
    }
  }
}
