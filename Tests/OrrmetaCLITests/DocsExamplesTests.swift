// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// The examples in README.md and Docs/ marked `<!-- example: orrmeta … -->` are the binary's
/// output (`scripts/docs-examples --check`); after a change of output, regenerate them with
/// `scripts/docs-examples --update` (build first) and review the diff.
@Suite("Docs examples are generated from the binary")
struct DocsExamplesTests {
  static let repository = URL(fileURLWithPath: fixturesDirectory).deletingLastPathComponent().path

  struct Result { let status: Int32; let stdout: String; let stderr: String }

  func run(_ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["bash", "\(Self.repository)/scripts/docs-examples"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: Self.repository)
    var environment = ProcessInfo.processInfo.environment
    environment["ORRMETA"] = orrmetaExecutable
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  @Test("every marked example in README.md and Docs/ is up to date")
  func upToDate() throws {
    let r = try run(["--check"])
    #expect(r.status == 0, "\(r.stderr)")
    let count = Int(r.stdout.split(separator: " ").dropFirst().first ?? "") ?? 0
    #expect(count >= 1, "\(r.stdout)")
  }

  @Test("a stale block is found (exit 1) and --update rewrites only the marked block")
  func staleBlock() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let doc = "\(dir)/doc.md"
    let original = """
      Before.

      <!-- example: orrmeta pool Fixtures/alk-nsclc/cohorts.csv --method pooled --where line=naive -->
      ```console
      $ orrmeta pool Fixtures/alk-nsclc/cohorts.csv --method pooled --where line=naive
      stale output
      ```
      <!-- /example -->

      ```
      orrmeta pool unmarked.csv   (left alone)
      ```

      """
    try original.write(toFile: doc, atomically: true, encoding: .utf8)
    let check = try run(["--check", doc])
    #expect(check.status == 1)
    #expect(check.stderr.contains("-stale output"))
    let update = try run(["--update", doc])
    #expect(update.status == 0, "\(update.stderr)")
    let updated = try String(contentsOfFile: doc, encoding: .utf8)
    #expect(updated.hasPrefix("Before.\n\n<!-- example: orrmeta pool"))
    #expect(updated.contains("Cohorts: k = 29, 1866 responders of 2683 patients\n"))
    #expect(updated.contains("proportion: 69.5% [67.8%, 71.3%]"))
    #expect(!updated.contains("stale output"))
    #expect(updated.hasSuffix("<!-- /example -->\n\n```\norrmeta pool unmarked.csv   (left alone)\n```\n"))
    #expect(try run(["--check", doc]).status == 0)
  }

  @Test("Docs/output-schema.md's abridged example: every full number of heterogeneity and convergence is the binary's")
  func outputSchemaExample() throws {
    let doc = try String(contentsOfFile: "\(Self.repository)/Docs/output-schema.md", encoding: .utf8)
    let r = try runOrrmeta(["pool", "Fixtures/alk-nsclc/cohorts.csv", "--format", "json"])
    let out = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    var checked = 0
    for block in ["heterogeneity", "convergence"] {
      let actual = out[block] as? [String: Any] ?? [:]
      // The block's lines in the example: from `"block" : {` to the closing brace.
      guard let start = doc.range(of: "\"\(block)\" : {") else {
        Issue.record("no \(block) in the example")
        continue
      }
      let tail = doc[start.upperBound...]
      let body = tail[..<(tail.firstIndex(of: "}") ?? tail.endIndex)]
      for pair in body.split(separator: ",") {
        let parts = pair.split(separator: ":").map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(.init(charactersIn: "\""))) }
        guard parts.count == 2, let value = Double(parts[1]) else { continue }
        #expect(isClose(number(actual[parts[0]]), value, rtol: 1e-12), "Docs/output-schema.md \(block).\(parts[0]) = \(parts[1]); the binary gives \(number(actual[parts[0]]))")
        checked += 1
      }
    }
    #expect(checked >= 15)
  }
}
