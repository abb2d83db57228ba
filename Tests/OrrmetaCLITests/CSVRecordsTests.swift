// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import Testing
import _FuzzOracle
import _TestSupport

/// The hand-written CSV reader (``CSVRecords``) reads exactly what CSV.swift read: the same
/// fields and the same start lines, on every fixture and on generated texts made of the
/// characters that matter (quotes, commas, CR, LF, spaces, multi-byte letters).
@Suite("CSV records")
struct CSVRecordsTests {
  @Test("every CSV fixture reads as with CSV.swift")
  func fixtures() throws {
    let walker = try #require(FileManager.default.enumerator(atPath: fixturesDirectory))
    var checked = 0
    while let relative = walker.nextObject() as? String {
      guard relative.hasSuffix(".csv") || relative.contains("fuzz-") else { continue }
      let path = fixturesDirectory + "/" + relative
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
      guard let text = String(validating: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) else { continue }
      #expect(CSVSwiftReference.difference(text) == nil, "\(relative)")
      checked += 1
    }
    #expect(checked >= 90)
  }

  @Test("generated texts read as with CSV.swift")
  func generated() {
    let alphabet: [String] = ["a", "1", ",", "\"", "\"\"", "\r", "\n", "\r\n", " ", "\t", "é", "🎉", "x,y"]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var failures = 0
    for _ in 0..<20_000 {
      var text = ""
      for _ in 0..<next(40) { text += alphabet[next(alphabet.count)] }
      if let d = CSVSwiftReference.difference(text) {
        failures += 1
        if failures <= 3 { Issue.record("\(text.debugDescription): \(d)") }
      }
    }
    #expect(failures == 0)
  }

  @Test("a table keeps its lines, blank-line warnings and quoted fields")
  func table() throws {
    let text = "label,events,n\r\n\"a, \"\"b\"\"\",3,10\n\n \t,\n\"multi\nline\",4,12\r\"é\",5,20\n"
    let t = try CSVTable.parse(data: Data(text.utf8), file: "t.csv")
    #expect(t.header == ["label", "events", "n"])
    #expect(t.records == [["a, \"b\"", "3", "10"], ["multi\nline", "4", "12"], ["é", "5", "20"]])
    #expect(t.lines == [2, 5, 7])
    #expect(t.skippedBlankLines == [3, 4])
  }
}
