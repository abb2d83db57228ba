// SPDX-License-Identifier: GPL-3.0-or-later

/// What a batch analysis computes: the `type` key of an `[analyses.NAME]` table in a spec.
///
/// Only `pool` exists today. A new kind (for example `sensitivity`) adds a case here, the keys
/// it accepts in ``settingKeys``, and its branch in ``BatchRunner``; specs that name a kind
/// this version does not know are rejected with the list of known kinds.
public enum BatchAnalysisKind: String, CaseIterable, Sendable, Codable {
  /// `orrmeta pool`: the result is the pool JSON contract (``PoolReport``).
  case pool

  /// The spec keys this kind accepts besides `type`. Each is the long name of the command's
  /// flag with `_` for `-` (`ci_method` is `--ci-method`).
  public var settingKeys: [String] {
    switch self {
    case .pool:
      return BatchAnalysisKind.modelKeys + BatchAnalysisKind.columnKeys
    }
  }

  /// The keys of the model flags shared by the analysis commands (`ModelOptions`).
  public static let modelKeys = ["measure", "method", "test", "level", "ci_method", "add", "to", "nagq"]
  /// The keys of the column flags (`ColumnOptions`).
  public static let columnKeys = ["events_column", "n_column", "label_column", "orr_column", "by"]
}
