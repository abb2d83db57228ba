// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import _TestSupport

/// Helpers for the `orrmeta sensitivity` and `orrmeta regress` tests.
enum SensitivityCLI {
  /// The ALK reference fixture, relative to the repository root (the runner's directory).
  static let alk = "Fixtures/alk-nsclc/cohorts.csv"

  /// The ALK cohorts as the statistics module sees them.
  static func alkCohorts() throws -> CohortFile {
    try CohortFile.read(path: fixturePath("alk-nsclc/cohorts.csv"))
  }

  /// Runs `orrmeta` with `--format json` and parses standard output.
  static func json(_ args: [String]) throws -> (object: [String: Any], result: CLIResult) {
    let r = try runOrrmeta(args + ["--format", "json"])
    guard r.status == 0, let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
      throw Failure(description: "exit \(r.status): \(r.stderr)")
    }
    return (object, r)
  }

  /// A command that did not succeed.
  struct Failure: Error, CustomStringConvertible { let description: String }

  /// Writes `text` to `name` in a fresh temporary directory; returns the directory and the path.
  static func writeCSV(_ text: String, name: String = "cohorts.csv") throws -> (directory: String, path: String) {
    let dir = try temporaryDirectory("orrmeta-sens")
    let path = dir + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return (dir, path)
  }

  /// A sensitivity fixture object (Fixtures/sensitivity).
  static func fixture(_ name: String) throws -> [String: Any] {
    try #require(try loadFixtureJSON("sensitivity/" + name) as? [String: Any])
  }

  /// The case of a fixture with a method and test.
  static func fixtureCase(_ file: [String: Any], method: String, test: String) throws -> [String: Any] {
    (try #require(file["cases"] as? [[String: Any]])).first { $0["method"] as? String == method && $0["test"] as? String == test }!
  }

  /// A JSON value equals a statistics-module value: the same double (non-finite values are
  /// null). `JSONSerialization` may return an `NSDecimalNumber` whose `doubleValue` is not
  /// correctly rounded, so the number's text is parsed again (`Double(String)` is exact).
  static func same(_ json: Any?, _ value: Double) -> Bool {
    if !value.isFinite { return json is NSNull }
    guard let n = json as? NSNumber else { return false }
    if let d = Double(n.stringValue), d == value { return true }
    return n.doubleValue == value
  }

  /// Collects mismatches between a JSON object and expected (key, value) pairs.
  static func mismatches(_ object: [String: Any], _ expected: [(String, Double)], _ tag: String) -> [String] {
    expected.compactMap { key, value in
      same(object[key], value) ? nil : "\(tag).\(key): JSON \(object[key] ?? "missing") vs \(value)"
    }
  }
}
