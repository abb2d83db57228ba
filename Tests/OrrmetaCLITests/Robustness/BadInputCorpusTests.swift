// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// One line of `Fixtures/bad-input/expected.tsv`.
struct BadInputCase: CustomTestStringConvertible, Sendable {
  var file: String
  var arguments: [String]
  var exitCode: Int32
  /// The line the message must name (`file:LINE:`), or nil.
  var line: Int?
  /// A substring of stderr (errors) or stdout (exit 0).
  var message: String
  var description: String

  var testDescription: String { "\(file) (\(description))" }

  static let directory = URL(fileURLWithPath: fixturePath("bad-input"))

  static let all: [BadInputCase] = {
    guard let text = try? String(contentsOf: directory.appendingPathComponent("expected.tsv"), encoding: .utf8) else { return [] }
    return text.split(separator: "\n").dropFirst().map { row in
      let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      return BadInputCase(
        file: f[0], arguments: f[1] == "-" ? [] : f[1].split(separator: " ").map(String.init),
        exitCode: Int32(f[2])!, line: Int(f[3]), message: f[4], description: f[5])
    }
  }()
}

/// The malformed-input corpus, run through the `orrmeta` binary: every file gets its documented
/// exit code and a message naming the file (and line), never a crash or a hang, and `--output`
/// leaves nothing behind on error.
@Suite("Bad-input corpus (CLI)")
struct BadInputCorpusTests {
  @Test("The manifest lists every file in Fixtures/bad-input, and there are at least 40 errors")
  func manifestIsComplete() throws {
    let cases = BadInputCase.all
    #expect(cases.filter { $0.exitCode != 0 }.count >= 40)
    let files = Set(try FileManager.default.contentsOfDirectory(atPath: BadInputCase.directory.path))
      .subtracting(["expected.tsv"])
    let listed = Set(cases.map(\.file))
    #expect(files.subtracting(listed).isEmpty, "files without a manifest entry: \(files.subtracting(listed).sorted())")
    let absent = listed.subtracting(files)
    #expect(absent == ["missing-file.csv"], "manifest entries without a file: \(absent.sorted())")
  }

  @Test("Each file: documented exit code and message", arguments: BadInputCase.all)
  func corpusFile(_ c: BadInputCase) throws {
    let r = try OrrmetaProcess.run(["pool", c.file] + c.arguments, in: BadInputCase.directory)
    #expect(!r.timedOut && !r.crashed, "\(c.file): crashed or hung: \(r.stderr)")
    #expect(r.exitCode == c.exitCode, "\(c.file): exit \(r.exitCode), expected \(c.exitCode); stderr: \(r.stderr)")
    if c.exitCode == 0 {
      #expect(r.stdout.contains(c.message), "\(c.file): output lacks \(c.message): \(r.stdout.prefix(400))")
      return
    }
    #expect(r.stdout.isEmpty, "\(c.file): an error run printed to stdout")
    let location = "orrmeta: error: \(c.file)" + (c.line.map { ":\($0):" } ?? ":")
    #expect(r.stderr.hasPrefix(location), "\(c.file): message does not start with '\(location)': \(r.stderr)")
    #expect(r.stderr.contains(c.message), "\(c.file): message lacks '\(c.message)': \(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(c.file): expected a one-line message: \(r.stderr)")
    #expect(r.stderr.utf8.count < 1000, "\(c.file): message of \(r.stderr.utf8.count) bytes")
  }

  @Test("On error, --output leaves no file (and no temporary file) behind", arguments: BadInputCase.all.filter { $0.exitCode != 0 })
  func outputLeftUntouched(_ c: BadInputCase) throws {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("orrmeta-out-\(UUID().uuidString)")
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: dir) }
    let target = dir.appendingPathComponent("result.json")
    let r = try OrrmetaProcess.run(
      ["pool", c.file, "--format", "json", "--output", target.path] + c.arguments, in: BadInputCase.directory)
    #expect(r.exitCode == c.exitCode)
    #expect(try fm.contentsOfDirectory(atPath: dir.path).isEmpty, "\(c.file): --output left files behind")
  }

  @Test("On error, an existing --output file keeps its old content")
  func existingOutputKept() throws {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("orrmeta-out-\(UUID().uuidString)")
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: dir) }
    let target = dir.appendingPathComponent("result.json")
    try Data("previous\n".utf8).write(to: target)
    let r = try OrrmetaProcess.run(["pool", "events-gt-n.csv", "--output", target.path], in: BadInputCase.directory)
    #expect(r.exitCode == 65)
    #expect(try String(contentsOf: target, encoding: .utf8) == "previous\n")
    #expect(try fm.contentsOfDirectory(atPath: dir.path) == ["result.json"])
  }

  @Test("An unwritable --output is exit 73 and names the path")
  func unwritableOutput() throws {
    let r = try OrrmetaProcess.run(
      ["pool", "ok-crlf.csv", "--output", "/nonexistent-orrmeta-dir/result.json"], in: BadInputCase.directory)
    #expect(r.exitCode == 73)
    #expect(r.stderr.hasPrefix("orrmeta: error: /nonexistent-orrmeta-dir/result.json: cannot write output"))
  }
}
