// SPDX-License-Identifier: GPL-3.0-or-later

import _FuzzOracle
import OrrmetaIO
import Testing

/// ``SafeCSVWriter`` writes the bytes CSV.swift's writer wrote (``CSVSwiftWriterReference``):
/// quoting, doubled quotes, line ends, empty rows and cells, formula neutralisation; except
/// where a `"`, `,`, CR or LF is followed by a combining mark, which CSV.swift's character
/// searches did not see (it wrote such a cell unquoted), and which is now quoted: every cell
/// reads back unchanged with ``CSVRecords``.
@Suite("SafeCSVWriter: the bytes of CSV.swift's writer, quoting decided on bytes")
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

  /// Whether CSV.swift's searches see every `"`, `,`, CR and LF of `cell`: Foundation's
  /// `range(of:)` matches whole composed character sequences, so a delimiter followed by a
  /// combining mark (general category M) is not found, and both writers must agree only on
  /// cells without one.
  static func charactersSeeEveryDelimiter(_ cell: String) -> Bool {
    let scalars = Array(cell.unicodeScalars)
    for (i, s) in scalars.enumerated() where "\",\r\n".unicodeScalars.contains(s) && i + 1 < scalars.count {
      switch scalars[i + 1].properties.generalCategory {
      case .nonspacingMark, .spacingMark, .enclosingMark: return false
      default: continue
      }
    }
    return true
  }

  @Test("every edge-case cell, alone and between others; each reads back unchanged")
  func edgeCells() throws {
    var differing = 0
    for cell in Self.cells {
      for rows in [[[cell]], [["h1", "h2"], [cell, "x"], ["y", cell]], [[cell, cell, cell]]] {
        let mine = written(rows)
        if Self.charactersSeeEveryDelimiter(cell) {
          let reference = try CSVSwiftWriterReference.text(rows)
          #expect(Array(mine.utf8) == Array(reference.utf8), "\(rows.map { $0.map { Array($0.unicodeScalars) } })")
        } else {
          differing += 1
        }
      }
      let rows = [["h1", "h2"], [cell, "x"], ["y", cell]]
      let read = CSVRecords(written(rows)).records
      #expect(read == rows.map { $0.map(SafeCSVWriter.neutralised) }, "\(Array(cell.unicodeScalars))")
    }
    // The cells CSV.swift wrote bare: `"`, `,` or LF followed by U+0301, in three layouts.
    #expect(differing == 4 * 3)
  }

  @Test("a comma or quote joined to a combining mark is quoted (CSV.swift wrote it bare)")
  func combiningMarkAfterDelimiter() {
    #expect(written([[",\u{301}", "b"]]) == "\",\u{301}\",b\n")
    #expect(written([["x\"\u{301}y"]]) == "\"x\"\"\u{301}y\"\n")
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
      guard rows.allSatisfy({ $0.allSatisfy(Self.charactersSeeEveryDelimiter) }) else { continue }
      let reference = try CSVSwiftWriterReference.text(rows)
      #expect(Array(written(rows).utf8) == Array(reference.utf8), "\(rows)")
    }
  }
}
