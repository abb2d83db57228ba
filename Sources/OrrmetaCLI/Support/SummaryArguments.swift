// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension SummaryFormat: ExpressibleByArgument {}

extension WeightedMedianMethod: ExpressibleByArgument {
  public init?(argument: String) {
    let aliases: [String: WeightedMedianMethod] = ["hmisc": .interpolated, "metamedian": .interpolated, "default": .cumulative]
    if let v = aliases[argument.lowercased()] { self = v; return }
    guard let v = WeightedMedianMethod.allCases.first(where: { $0.rawValue == argument.lowercased() }) else { return nil }
    self = v
  }
}
