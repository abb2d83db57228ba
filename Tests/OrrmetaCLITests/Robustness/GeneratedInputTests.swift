// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing

/// Inputs too big to commit, generated in a temporary directory and run through the binary.
@Suite("Generated large inputs (CLI)")
struct GeneratedInputTests {
  /// Writes `data` to a fresh temporary directory and runs `orrmeta pool` on it.
  func run(_ data: Data, name: String = "big.csv", _ extra: [String] = []) throws -> OrrmetaProcess.Result {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("orrmeta-gen-\(UUID().uuidString)")
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: dir) }
    try data.write(to: dir.appendingPathComponent(name))
    let r = try OrrmetaProcess.run(["pool", name] + extra, in: dir, timeout: 300)
    #expect(!r.timedOut && !r.crashed, "crashed or hung: \(r.stderr.prefix(500))")
    return r
  }

  static let fiveMB = 5 * 1024 * 1024

  @Test("A 5 MB label is rejected with a shortened value")
  func hugeLabel() throws {
    let r = try run(Data(("label,events,n\nA,3,10\n" + String(repeating: "x", count: Self.fiveMB) + ",4,12\n").utf8))
    #expect(r.exitCode == 65)
    #expect(r.stderr.hasPrefix("orrmeta: error: big.csv:3: column 'label': value 'xxx"))
    #expect(r.stderr.contains("a label of at most 1000 characters"))
    #expect(r.stderr.utf8.count < 500)
  }

  @Test("A 5 MB number is rejected with a shortened value")
  func hugeNumber() throws {
    let r = try run(Data(("label,events,n\nA,3," + String(repeating: "9", count: Self.fiveMB) + "\n").utf8))
    #expect(r.exitCode == 65)
    #expect(r.stderr.hasPrefix("orrmeta: error: big.csv:2: column 'n': value '999"))
    #expect(r.stderr.contains("no larger than 10^12"))
    #expect(r.stderr.utf8.count < 500)
  }

  @Test("A 5 MB quoted field in an unused column is accepted")
  func hugeExtraField() throws {
    let notes = "\"" + String(repeating: "note, \"\"quoted\"\"\n", count: Self.fiveMB / 18) + "\""
    let r = try run(Data(("label,events,n,notes\nA,3,10,\(notes)\nB,4,12,short\n").utf8), ["--format", "json"])
    #expect(r.exitCode == 0, "\(r.stderr)")
    #expect(r.stdout.contains("\"k\" : 2"))
  }

  @Test("An unterminated quote before 5 MB of data names its line")
  func hugeUnterminatedQuote() throws {
    let r = try run(Data(("label,events,n\nA,3,10\n\"B,4,12\n" + String(repeating: "C,5,14\n", count: Self.fiveMB / 7)).utf8))
    #expect(r.exitCode == 65)
    #expect(r.stderr.hasPrefix("orrmeta: error: big.csv:3: field 1: unterminated quoted field"))
  }

  @Test("A 5,000-column header with events and n works")
  func wideHeader() throws {
    let names = (1...4998).map { "c\($0)" }
    let header = (["events", "n"] + names).joined(separator: ",")
    let row = (["3", "10"] + names.map { _ in "0" }).joined(separator: ",")
    let row2 = (["4", "12"] + names.map { _ in "1" }).joined(separator: ",")
    let r = try run(Data("\(header)\n\(row)\n\(row2)\n".utf8), ["--format", "json"])
    #expect(r.exitCode == 0, "\(r.stderr.prefix(300))")
    #expect(r.stdout.contains("\"k\" : 2"))
  }

  @Test("A 5,000-column header without an n column: the message lists 20 names and the count")
  func wideHeaderMissingColumn() throws {
    let header = (1...5000).map { "c\($0)" }.joined(separator: ",")
    let row = (1...5000).map { _ in "1" }.joined(separator: ",")
    let r = try run(Data("\(header)\n\(row)\n".utf8))
    #expect(r.exitCode == 65)
    #expect(r.stderr.hasPrefix("orrmeta: error: big.csv:1: no n (patients) column"))
    #expect(r.stderr.contains("c20, ... (5000 columns)"))
    #expect(r.stderr.utf8.count < 1000)
  }

  @Test("A 5,000-column header with a duplicate 5 MB name: shortened")
  func duplicateHugeColumnName() throws {
    let big = String(repeating: "z", count: Self.fiveMB)
    let r = try run(Data("events,n,\(big),\(big)\n1,2,3,4\n".utf8))
    #expect(r.exitCode == 65)
    #expect(r.stderr.contains("duplicate column name 'zzz"))
    #expect(r.stderr.utf8.count < 500)
  }

  @Test("k = 100,000 cohorts through the CLI")
  func hundredThousandCohorts() throws {
    var text = "label,events,n\n"
    text.reserveCapacity(2_000_000)
    for i in 0..<100_000 { text += "c\(i),\(i % 97),\(100 + i % 911)\n" }
    let r = try run(Data(text.utf8), ["--format", "csv"])
    #expect(r.exitCode == 0, "\(r.stderr.prefix(300))")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("study,") }.count == 100_000)
    #expect(lines.count == 100_002 + lines.filter { $0.hasPrefix("warning,") }.count)
  }

  @Test("The total number of patients beyond 2^53 - 1 is an error naming the row")
  func totalTooLarge() throws {
    var text = "events,n\n"
    for _ in 0..<9008 { text += "1,1000000000000\n" }
    let r = try run(Data(text.utf8))
    #expect(r.exitCode == 65)
    #expect(r.stderr.hasPrefix("orrmeta: error: big.csv:9009: the number of patients summed over the cohorts"))
  }

  @Test("Random bytes never crash the CLI", arguments: 0..<8)
  func randomBytes(_ seed: Int) throws {
    var g = SplitMix64(state: UInt64(seed))
    var bytes = [UInt8]()
    let header = Array("label,events,n\n".utf8)
    let length = 64 + Int(g.next() % 4096)
    bytes += seed % 2 == 0 ? header : []
    for _ in 0..<length {
      // Mostly CSV-ish bytes, sometimes anything.
      let r = g.next()
      let alphabet = Array("0123456789,\"\n\r .-+eE".utf8)
      bytes.append(r % 5 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : alphabet[Int(r >> 8) % alphabet.count])
    }
    let r = try run(Data(bytes), ["--format", "json"])
    #expect([0, 65].contains(r.exitCode), "exit \(r.exitCode): \(r.stderr.prefix(300))")
    if r.exitCode != 0 { #expect(r.stderr.hasPrefix("orrmeta: error: big.csv")) }
  }
}
