// SPDX-License-Identifier: GPL-3.0-or-later

import _FuzzOracle
import OrrmetaIO
import Testing

/// ``SafeCSVWriter`` writes the bytes CSV.swift's writer wrote (``CSVSwiftWriterReference``):
/// quoting, doubled quotes, line ends, empty rows and cells, formula neutralisation, and cells
/// whose Unicode makes CSV.swift's searches see characters rather than bytes.
@Suite("SafeCSVWriter: the same bytes as CSV.swift's writer")
struct SafeCSVWriterTests {
  func written(_ rows: [[String]]) -> String {
    var writer = SafeCSVWriter()
    for row in rows { writer.write(row: row) }
    return writer.text
  }

  static let cells = [
    "", "plain", "a,b", "say \"hi\"", "\"", "\"\"", ",", "line\nbreak", "cr\ronly", "crlf\r\nend", "\r\n", "\n", "\r",
    "trailing,", ",leading", " spaced ", "tab\there", "=SUM(A1)", "+cmd", "-", "-0.25", "+3", "1e-5", "@x", "\tx", "\rx",
    "naïve", "École, Paris", "\"\u{301}", ",\u{301}", "x\"\u{301}y", "q\u{301}\"", "\u{301}", "日本,語", "emoji 👩‍⚕️", "\n\u{301}",
    "a\u{301},b", "=\u{301}", "'quoted'", "NA", "0", "3330",
  ]

  @Test("every edge-case cell, alone and between others")
  func edgeCells() throws {
    for cell in Self.cells {
      for rows in [[[cell]], [["h1", "h2"], [cell, "x"], ["y", cell]], [[cell, cell, cell]]] {
        let mine = written(rows)
        let reference = try CSVSwiftWriterReference.text(rows)
        #expect(Array(mine.utf8) == Array(reference.utf8), "\(rows.map { $0.map { Array($0.unicodeScalars) } })")
      }
    }
  }

  @Test("empty rows and cells, and no rows")
  func emptyRows() throws {
    for rows: [[String]] in [[], [[]], [[], []], [["a"], [], ["b"]], [[""]], [["", ""]], [["a"], [""]], [[], ["a", ""]]] {
      let reference = try CSVSwiftWriterReference.text(rows)
      #expect(written(rows) == reference, "\(rows)")
    }
  }

  @Test("generated rows from the edge-case cells and their concatenations")
  func generatedRows() throws {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    for _ in 0..<300 {
      var rows: [[String]] = []
      for _ in 0..<(1 + next(5)) {
        rows.append((0..<next(6)).map { _ in
          (0..<(1 + next(3))).map { _ in Self.cells[next(Self.cells.count)] }.joined()
        })
      }
      let reference = try CSVSwiftWriterReference.text(rows)
      #expect(Array(written(rows).utf8) == Array(reference.utf8), "\(rows)")
    }
  }
}
