// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// Case-insensitive parsing of metafor-style codes ("reml" and "REML" both work).
private func caseInsensitive<T: CaseIterable & RawRepresentable>(_ argument: String, _: T.Type) -> T? where T.RawValue == String {
  T.allCases.first { $0.rawValue.lowercased() == argument.lowercased() }
}

extension EffectMeasure: ExpressibleByArgument {
  public init?(argument: String) {
    guard let v = caseInsensitive(argument, EffectMeasure.self) else { return nil }
    self = v
  }
}

extension PoolingMethod: ExpressibleByArgument {
  public init?(argument: String) {
    // metafor's aliases of EE.
    if ["fe", "ce"].contains(argument.lowercased()) { self = .EE; return }
    guard let v = caseInsensitive(argument, PoolingMethod.self) else { return nil }
    self = v
  }
}

extension TestMethod: ExpressibleByArgument {
  public init?(argument: String) {
    if argument.lowercased() == "hksj" { self = .knha; return }
    guard let v = caseInsensitive(argument, TestMethod.self) else { return nil }
    self = v
  }
}

extension ZeroCellRule: ExpressibleByArgument {
  public init?(argument: String) {
    guard let v = caseInsensitive(argument, ZeroCellRule.self) else { return nil }
    self = v
  }
}

extension BinomialIntervalMethod: ExpressibleByArgument {
  public init?(argument: String) {
    let aliases: [String: BinomialIntervalMethod] = [
      "cp": .clopperPearson, "exact": .clopperPearson, "ws": .wilson, "wscc": .wilsonCC,
      "ac": .agrestiCoull, "j": .jeffreys, "sa": .wald, "normal": .wald,
    ]
    if let v = aliases[argument.lowercased()] { self = v; return }
    guard let v = caseInsensitive(argument, BinomialIntervalMethod.self) else { return nil }
    self = v
  }
}

extension ReportFormat: ExpressibleByArgument {}

extension Convergence: ExpressibleByArgument {
  public init?(argument: String) {
    guard let v = caseInsensitive(argument, Convergence.self) else { return nil }
    self = v
  }
}

extension PoolingMethod {
  /// None: each command's `--method` help lists the methods it accepts (``CommandScope``), so
  /// argument-parser must not append every method to it.
  public static var allValueStrings: [String] { [] }
}

extension AnalysisProfile: ExpressibleByArgument {
  public init?(argument: String) {
    guard let v = caseInsensitive(argument, AnalysisProfile.self) else { return nil }
    self = v
  }
}
