// SPDX-License-Identifier: GPL-3.0-or-later

import Testing
@testable import OrrmetaCLI

/// `orrmeta batch --spec` refuses a model or column flag that differs from its default, and
/// accepts one given with its default value (the defaults are the flags' own, not a copy).
@Suite struct BatchSpecFlagTests {
  static let changed: [(flag: String, value: String?)] = [
    ("--measure", "PFT"), ("--method", "DL"), ("--test", "knha"), ("--level", "90"), ("--ci-method", "wilson"),
    ("--add", "0.5"), ("--to", "all"), ("--nagq", "9"), ("--tau-common", nil), ("--by", "line"),
  ]

  @Test(arguments: changed.indices)
  func aChangedFlagIsRefusedWithTheSpec(_ i: Int) throws {
    let (flag, value) = Self.changed[i]
    let command = try Orrmeta.Batch.parse(["in", "--out", "out", flag] + (value.map { [$0] } ?? []) + (flag == "--tau-common" ? ["--by", "line"] : []))
    let expected = flag == "--tau-common" ? "--by" : flag
    #expect(command.modelOrColumnFlagGiven == expected)
    #expect(throws: (any Error).self) { try Orrmeta.Batch.parse(["in", "--out", "out", "--spec", "spec.toml", flag] + (value.map { [$0] } ?? []) + (flag == "--tau-common" ? ["--by", "line"] : [])) }
  }

  @Test func theDefaultsGivenExplicitlyAreNotAFlag() throws {
    let command = try Orrmeta.Batch.parse([
      "in", "--out", "out", "--measure", "PLO", "--method", "REML", "--test", "z", "--level", "95", "--ci-method", "clopper-pearson",
      "--to", "only0", "--nagq", "7",
    ])
    #expect(command.modelOrColumnFlagGiven == nil)
  }
}
