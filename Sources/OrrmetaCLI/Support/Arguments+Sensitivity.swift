// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

extension TrimAndFillEstimator: ExpressibleByArgument {
  public init?(argument: String) {
    guard let v = TrimAndFillEstimator.allCases.first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else { return nil }
    self = v
  }
}

extension FunnelSide: ExpressibleByArgument {
  public init?(argument: String) {
    guard let v = FunnelSide.allCases.first(where: { $0.rawValue == argument.lowercased() }) else { return nil }
    self = v
  }
}

/// A sensitivity analysis by the long name of its flag of `orrmeta sensitivity`
/// (`leave-one-out` is `--leave-one-out`): the values of a batch spec's `analyses` list.
extension SensitivityAnalysisKind: ExpressibleByArgument {
  /// The long name of the analysis's flag, without `--`.
  var flagName: String {
    switch self {
    case .leaveOneOut: return "leave-one-out"
    case .influence: return "influence"
    case .cumulative: return "cumulative"
    case .bias: return "bias"
    case .trimFill: return "trimfill"
    case .gosh: return "gosh"
    case .bootstrap: return "bootstrap"
    }
  }

  /// The flag as written on the command line (`--bootstrap B` takes its number of resamples).
  var flag: String { self == .bootstrap ? "--bootstrap B" : "--\(flagName)" }

  public init?(argument: String) {
    guard let v = Self.allCases.first(where: { $0.flagName == argument }) else { return nil }
    self = v
  }

  public static var allValueStrings: [String] { allCases.map(\.flagName) }
}
