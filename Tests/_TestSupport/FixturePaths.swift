// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The repository's `Fixtures/` directory, found relative to this source file (SwiftPM cannot
/// bundle files that live outside a target).
public let fixturesDirectory: String = {
  var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
  // …/Tests/_TestSupport/FixturePaths.swift → …/Fixtures
  parts.removeLast(3)
  return parts.joined(separator: "/") + "/Fixtures"
}()

/// The path of a file under `Fixtures/`.
public func fixturePath(_ relative: String) -> String { fixturesDirectory + "/" + relative }

/// The bytes of a file under `Fixtures/`: the one fixture loader of the suite (JSON fixtures go
/// through ``loadFixtureJSON(_:)``, which reads with it).
public func fixtureData(_ relative: String) throws -> Data {
  try Data(contentsOf: URL(fileURLWithPath: fixturePath(relative)))
}

/// A JSON file under `Fixtures/` decoded as `type`.
public func decodeFixture<T: Decodable>(_ type: T.Type, _ relative: String) throws -> T {
  try JSONDecoder().decode(type, from: fixtureData(relative))
}
