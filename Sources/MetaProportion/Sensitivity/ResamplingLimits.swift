// SPDX-License-Identifier: GPL-3.0-or-later

/// The largest numbers of GOSH subsets, bootstrap resamples and random permutations orrmeta
/// fits: every one is kept in memory (a GOSH subset takes about 64 bytes — its membership
/// bits, size, estimate, Q, I², H², τ² — a resample or permutation 16 to 24), so a count of
/// 10¹² would be an allocation failure, not a long run. 10⁷ is ten times metafor's default
/// number of GOSH subsets and keeps the largest result well under a gigabyte.
///
/// The one owner of these bounds: the analyses refuse larger counts
/// (``MetaAnalysisError/invalidSetting(name:value:expected:)``) and the command line and the batch
/// spec check them first, naming the flag.
public enum ResamplingLimits {
  /// Most GOSH subsets (`--subsets`).
  public static let goshSubsets = 10_000_000
  /// Most bootstrap resamples (`--bootstrap`).
  public static let bootstrapResamples = 10_000_000
  /// Most random permutations (`--permutations`); an exact test has its own bound, also 10⁷.
  public static let permutations = 10_000_000

  /// The description of a bound for messages: "at most 10000000".
  public static func expected(_ limit: Int) -> String { "at most \(limit) (results are kept in memory)" }
}
