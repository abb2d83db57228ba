// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import Testing

/// ``CellWhitespace`` gives Foundation's `trimmingCharacters(in: .whitespaces)` on every cell,
/// including the ones it decides from their bytes; ``FileBytes`` reads what `Data` reads.
@Suite struct CellWhitespaceTests {
  @Test func trimEqualsFoundation() {
    let pieces = ["", " ", "\t", "a", "12", "é", "\u{00A0}", "\u{3000}", "\u{2009}", "\u{0301}", "\n", "\r", "x y", "🎉", "\u{180E}"]
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var checked = 0
    for _ in 0..<20_000 {
      var cell = ""
      for _ in 0..<next(7) { cell += pieces[next(pieces.count)] }
      let expected = cell.trimmingCharacters(in: .whitespaces)
      #expect(CellWhitespace.trim(cell) == expected, "\(cell.debugDescription)")
      #expect(CellWhitespace.isBlank(cell) == expected.isEmpty, "\(cell.debugDescription)")
      checked += 1
    }
    #expect(checked == 20_000)
    #expect(CellWhitespace.trim("  42\t") == "42")
    #expect(CellWhitespace.trim(" \u{00A0}x\u{3000} ") == "x")
    #expect(CellWhitespace.trim(" \t ") == "")
  }

  @Test func fileBytesReadsFilesAndRefusesDirectories() throws {
    let dir = FileManager.default.temporaryDirectory.path + "/orrmeta-filebytes-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/a.bin"))
    try Data().write(to: URL(fileURLWithPath: dir + "/empty.csv"))
    #expect(FileBytes.read(dir + "/a.bin") == bytes)
    #expect(FileBytes.read(dir + "/empty.csv") == [])
    #expect(FileBytes.read(dir) == nil)
    #expect(FileBytes.read(dir + "/missing.csv") == nil)
  }

  @Test func sha256OfRawBytesAndDataEqualsArray() {
    let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
    let expected = SHA256.hex(bytes)
    #expect(bytes.withUnsafeBytes { SHA256.hex($0) } == expected)
    #expect(SHA256.hex(Data(bytes)) == expected)
    #expect(SHA256.hex(bytes[...]) == expected)
    #expect(SHA256.hex(bytes.lazy.map { $0 }) == expected)  // a collection without contiguous storage
  }
}
