// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaReports

/// What a batch analysis computes: the `type` key of an `[analyses.NAME]` table in a spec.
///
/// A new kind adds a case here, the keys it accepts in ``settingKeys``, its resolution from
/// the command's flags (`BatchAnalysisSpec+Options.swift` in the command line) and its branch in
/// ``BatchRunner``; specs that name a kind this version does not know are rejected with the
/// list of known kinds.
package enum BatchAnalysisKind: String, CaseIterable, Sendable, Codable {
  /// `orrmeta pool`: the result is the pool JSON contract (``PoolReport``).
  case pool
  /// `orrmeta sensitivity`: the result is the sensitivity JSON (``SensitivityReport``), whose
  /// pool blocks fill the summary row.
  case sensitivity
  /// `orrmeta regress`: the result is the meta-regression JSON (``RegressionReport``); the
  /// summary row holds k, the totals and the residual heterogeneity.
  case regress
  /// `orrmeta compare`: the result is the comparison JSON (``CompareReport``) of a two-arm
  /// file; the summary row holds k, the totals of both arms and the pooled effect on the
  /// reported scale (the ratio for OR and RR).
  case compare

  /// The spec keys this kind accepts besides `type`. Each is the long name of the command's
  /// flag with `_` for `-` (`ci_method` is `--ci-method`), except `analyses`, the list of the
  /// sensitivity analyses to run (each the name of a flag of `orrmeta sensitivity`).
  package var settingKeys: [String] {
    switch self {
    case .pool:
      return BatchAnalysisKind.modelKeys + BatchAnalysisKind.columnKeys + ["cluster", "cohort_intervals"]
    case .sensitivity:
      return BatchAnalysisKind.modelKeys + BatchAnalysisKind.columnKeys.filter { $0 != "by" } + BatchAnalysisKind.sensitivityKeys + ["cluster"]
    case .regress:
      return BatchAnalysisKind.modelKeys + BatchAnalysisKind.columnKeys.filter { $0 != "by" } + BatchAnalysisKind.regressKeys
    case .compare:
      return BatchAnalysisKind.compareKeys
    }
  }

  /// Keys this kind refuses with a reason of their own rather than as unknown keys (the
  /// command's flag exists but does not apply). A `[defaults]` key of this list is not
  /// inherited by analyses of this kind.
  package var refusedKeys: [String: String] {
    switch self {
    case .pool, .compare: return [:]
    case .regress:
      return ["by": "does not apply to meta-regression: use the column as a moderator, mods = [\"COLUMN\"] (orrmeta regress refuses --by too)"]
    case .sensitivity:
      return [
        "by": "does not apply to sensitivity analyses: they use all cohorts (orrmeta sensitivity refuses --by too)",
        "jobs": "not a setting of a batch analysis: GOSH and the bootstrap run on one thread per file, and orrmeta batch --jobs N runs N files at once (the result is the same)",
        "gosh_out": "not available in a batch: the result holds the GOSH summary; run orrmeta sensitivity FILE --gosh --gosh-out FILE.csv for the subsets of one file",
      ]
    }
  }

  /// The keys of the model flags shared by the analysis commands (`ModelOptions`).
  package static let modelKeys = ["measure", "method", "test", "level", "ci_method", "add", "to", "nagq", "convergence", "profile"]
  /// The keys of the column flags (`ColumnOptions`).
  package static let columnKeys = ["events_column", "n_column", "label_column", "orr_column", "by"]
  /// The keys of `orrmeta sensitivity`'s own flags: the analyses to run and their options.
  package static let sensitivityKeys = ["analyses", "order_by", "estimator", "side", "subsets", "seed", "bootstrap"]
  /// The keys of `orrmeta regress`'s own flags (`--mods`, `--categorical`, `--reference`,
  /// `--interaction`), each a list.
  package static let regressKeys = ["mods", "categorical", "reference", "interaction"]
  /// The keys of a `compare` analysis: flags of `orrmeta compare` (`--measure OR|RR|RD`,
  /// `--method MH|Peto|EE|…|GLMM`, `--model`, …), read with that command's parser.
  /// The long layout (one row per arm): `arm`, `trial`, `treat`, `control` (each a list or one
  /// string), `events_column`, `n_column`. `analyses`: a list of `leave-one-out`, `cumulative`,
  /// `bias`, `influence`, `trimfill`, `gosh`, with `estimator`, `side`, `subsets`, `seed`.
  /// `profile`, `tau2_method`, `convergence`: `--profile` (R meta's metabin with `meta`),
  /// `--tau2-method`, `--convergence`.
  package static let compareKeys = [
    "measure", "method", "model", "nagq", "test", "level", "add", "to", "by", "arm", "trial", "treat", "control",
    "events_column", "n_column", "analyses", "estimator", "side", "subsets", "seed", "profile", "tau2_method",
    "convergence",
  ]
  /// The keys whose value is a TOML array of strings rather than one string or number
  /// (`treat` and `control` also take one string).
  package static let listKeys = ["analyses", "treat", "control"] + regressKeys
}
