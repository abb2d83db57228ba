// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _FuzzOracle
import _TestSupport

/// Replays the fuzz target's finds (`Fixtures/fuzz-regressions/`) and its seed corpus
/// (`Fixtures/fuzz-corpus/`) through the fuzz target's own checks, in-process.
@Suite("Fuzz regressions and seed corpus")
struct FuzzRegressionTests {
  static func files(_ directory: String) -> [String] {
    let dir = fixturePath(directory)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".toml") || $0.hasSuffix(".jsonl") }.sorted().map { "\(directory)/\($0)" }
  }

  @Test("Every regression input passes the fuzz oracle", arguments: files("fuzz-regressions"))
  func regression(_ path: String) throws {
    let data = try fixtureData(path)
    let broken = FuzzOracle.violations(for: data)
    #expect(broken.isEmpty, "\(path): \(broken.joined(separator: "; "))")
  }

  @Test("Every seed passes the fuzz oracle", arguments: files("fuzz-corpus"))
  func seed(_ path: String) throws {
    let data = try fixtureData(path)
    let broken = FuzzOracle.violations(for: data)
    #expect(broken.isEmpty, "\(path): \(broken.joined(separator: "; "))")
  }

  @Test("The bad-input corpus passes the fuzz oracle too", arguments: files("bad-input"))
  func badInput(_ path: String) throws {
    let data = try fixtureData(path)
    let broken = FuzzOracle.violations(for: data)
    #expect(broken.isEmpty, "\(path): \(broken.joined(separator: "; "))")
  }

  @Test("There are regression inputs and seeds")
  func nonEmpty() {
    #expect(Self.files("fuzz-regressions").count >= 3)
    #expect(Self.files("fuzz-corpus").count >= 10)
  }
}
