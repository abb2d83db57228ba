// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Finds the bundled reproduction fixtures (`Fixtures/alk-nsclc`: `cohorts.csv` and
/// `published.toml`) for `orrmeta reproduce`.
package enum FixtureLocator {
  /// The fixture directory relative to the repository root.
  package static let defaultRelativePath = "Fixtures/alk-nsclc"
  /// The cohort table inside a fixture directory.
  package static let cohortsFileName = "cohorts.csv"
  /// The published figures inside a fixture directory.
  package static let publishedFileName = "published.toml"

  /// The fixture directory.
  ///
  /// Order: `explicit` (which must hold both files); `Fixtures/alk-nsclc` under the current
  /// directory (returned as that relative path); then, from the executable's directory upwards (so `.build/release/orrmeta` finds
  /// the repository it was built in), `Fixtures/alk-nsclc` and `share/orrmeta/alk-nsclc`.
  /// - Throws: ``InputError/unreadable(file:reason:)`` naming every place looked in.
  package static func locate(explicit: String?, currentDirectory: String, executablePath: String?) throws(InputError) -> String {
    let fm = FileManager.default
    func complete(_ dir: String) -> Bool {
      fm.fileExists(atPath: (dir as NSString).appendingPathComponent(cohortsFileName))
        && fm.fileExists(atPath: (dir as NSString).appendingPathComponent(publishedFileName))
    }
    if let explicit {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: explicit, isDirectory: &isDir) else { throw .unreadable(file: explicit, reason: "no such directory") }
      guard isDir.boolValue else { throw .unreadable(file: explicit, reason: "not a directory; --fixtures takes a directory holding \(cohortsFileName) and \(publishedFileName)") }
      for name in [cohortsFileName, publishedFileName] where !fm.fileExists(atPath: (explicit as NSString).appendingPathComponent(name)) {
        throw .unreadable(file: (explicit as NSString).appendingPathComponent(name), reason: "no such file (a fixture directory holds \(cohortsFileName) and \(publishedFileName))")
      }
      return explicit
    }
    var looked: [String] = []
    let here = (currentDirectory as NSString).appendingPathComponent(defaultRelativePath)
    looked.append(here)
    // Relative to the current directory, as the user would type it.
    if complete(here) { return defaultRelativePath }
    if let executablePath {
      var dir = (URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().path as NSString).deletingLastPathComponent
      for _ in 0..<8 {
        for candidate in [(dir as NSString).appendingPathComponent(defaultRelativePath), (dir as NSString).appendingPathComponent("share/orrmeta/alk-nsclc")] {
          looked.append(candidate)
          if complete(candidate) { return candidate }
        }
        let parent = (dir as NSString).deletingLastPathComponent
        if parent == dir || parent.isEmpty { break }
        dir = parent
      }
    }
    throw .unreadable(
      file: defaultRelativePath,
      reason: "the bundled fixtures were not found (looked in: \(looked.joined(separator: ", "))); run from the repository root or pass --fixtures DIR")
  }
}
