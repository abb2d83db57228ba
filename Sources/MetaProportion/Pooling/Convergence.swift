// SPDX-License-Identifier: GPL-3.0-or-later

/// The stopping rules of every iteration of a fit, as a user picks them (`--convergence`).
///
/// Orthogonal to the methods: it changes where an iteration stops, never which estimator runs.
public enum Convergence: String, Sendable, Hashable, CaseIterable, Codable {
  /// orrmeta's tight iteration (``FitControl/tight``): the exact optimum or root to ~1e-12.
  case exact
  /// metafor's default stopping rules step by step (``FitControl/metafor``): Fisher scoring
  /// with threshold 1e-5 and step halving (ML, REML, EB), `uniroot` with tol
  /// `.Machine$double.eps^0.25` (PM, Q-profile CI), the ll(0) check. Reproduces the numbers
  /// metafor (and meta, which calls metafor) prints with its default `control`.
  case metafor

  /// The iteration settings.
  public var control: FitControl {
    switch self {
    case .exact: return .tight
    case .metafor: return .metafor
    }
  }

  /// The setting these iteration settings correspond to, if any.
  public init?(control: FitControl) {
    guard let c = Self.allCases.first(where: { $0.control == control }) else { return nil }
    self = c
  }
}
