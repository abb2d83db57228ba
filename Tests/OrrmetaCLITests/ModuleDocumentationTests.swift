// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// The README's module table and Docs/architecture.md name exactly the targets of
/// Package.swift (string-based: target names are read with a pattern, not by evaluating the
/// manifest).
@Suite("Module documentation matches Package.swift")
struct ModuleDocumentationTests {
  static let repository = URL(fileURLWithPath: fixturesDirectory).deletingLastPathComponent().path

  static func read(_ relative: String) throws -> String {
    try String(contentsOfFile: repository + "/" + relative, encoding: .utf8)
  }

  /// `(kind, name)` of every `.target`, `.executableTarget`, `.testTarget` and `.systemLibrary`.
  static func targets() throws -> [(kind: String, name: String)] {
    let manifest = try read("Package.swift")
    let pattern = try NSRegularExpression(pattern: #"\.(target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)""#)
    let ns = manifest as NSString
    return pattern.matches(in: manifest, range: NSRange(location: 0, length: ns.length)).map {
      (ns.substring(with: $0.range(at: 1)), ns.substring(with: $0.range(at: 2)))
    }
  }

  /// The modules (every target but the test targets).
  static func modules() throws -> Set<String> {
    Set(try targets().filter { $0.kind != "testTarget" }.map(\.name))
  }

  /// The names in the first column of the README's table under `## Modules`.
  static func readmeTableModules() throws -> Set<String> {
    let readme = try read("README.md")
    guard let start = readme.range(of: "\n## Modules\n") else { return [] }
    var names = Set<String>()
    for line in readme[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("## ") { break }
      guard line.hasPrefix("| `") else { continue }
      // The first column: one or more `Name`s separated by commas.
      let firstColumn = line.dropFirst(2).prefix { $0 != "|" }
      let pieces = firstColumn.split(separator: "`", omittingEmptySubsequences: false)
      for (i, piece) in pieces.enumerated() where i % 2 == 1 { names.insert(String(piece)) }
    }
    return names
  }

  @Test func manifestIsParsed() throws {
    let modules = try Self.modules()
    // Fails if the pattern stops matching the manifest.
    #expect(modules.isSuperset(of: ["MetaProportion", "GSLDistributions", "OrrmetaIO", "OrrmetaCLI", "orrmeta"]))
    #expect(try Self.targets().contains { $0.kind == "testTarget" })
  }

  @Test func readmeModuleTableMatchesPackage() throws {
    let modules = try Self.modules()
    let table = try Self.readmeTableModules()
    #expect(table.subtracting(modules).isEmpty, "README lists modules that Package.swift does not have: \(table.subtracting(modules).sorted())")
    #expect(modules.subtracting(table).isEmpty, "README's module table misses: \(modules.subtracting(table).sorted())")
  }

  @Test func architectureNamesEveryModule() throws {
    let text = try Self.read("Docs/architecture.md")
    let missing = try Self.modules().filter { !text.contains("`\($0)`") }.sorted()
    #expect(missing.isEmpty, "Docs/architecture.md does not name: \(missing)")
  }
}
