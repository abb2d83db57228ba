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
