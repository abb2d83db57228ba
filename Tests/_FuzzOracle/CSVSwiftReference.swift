// SPDX-License-Identifier: GPL-3.0-or-later

import CSV
import OrrmetaIO

/// The records CSV.swift reads from a text, with the line each starts on, computed as orrmeta
/// did when it parsed cohort files with CSV.swift: the reference that ``CSVRecords`` must equal
/// (`CSVRecordsTests`, and the fuzz oracle on every input).
package enum CSVSwiftReference {
  /// The records (the header first), their start lines and the line after the last one; nil
  /// when CSV.swift reads no record at all.
  package static func records(_ text: String) -> (records: [[String]], lines: [Int], nextLine: Int)? {
    guard let reader = try? CSVReader(string: text, hasHeaderRow: false) else { return nil }
    var records: [[String]] = []
    var lines: [Int] = []
    var line = 1
    while let row = reader.next() {
      records.append(row)
      lines.append(line)
      line += 1 + newlineCount(row)
    }
    return records.isEmpty ? nil : (records, lines, line)
  }

  /// Line breaks inside fields: LF not after CR, and CR.
  static func newlineCount(_ fields: [String]) -> Int {
    var n = 0
    for f in fields {
      var previousCR = false
      for u in f.utf8 {
        if u == 10 {
          if !previousCR { n += 1 }
          previousCR = false
        } else if u == 13 {
          n += 1
          previousCR = true
        } else {
          previousCR = false
        }
      }
    }
    return n
  }

  /// A difference between ``CSVRecords`` and CSV.swift on `text` (nil when they agree).
  package static func difference(_ text: String) -> String? {
    let mine = CSVRecords(text)
    guard let reference = records(text) else {
      return mine.records.isEmpty ? nil : "CSVRecords read \(mine.records.count) records where CSV.swift read none"
    }
    if mine.records != reference.records { return "records differ: \(mine.records.prefix(3)) vs CSV.swift \(reference.records.prefix(3))" }
    if mine.lines != reference.lines { return "start lines differ: \(mine.lines.prefix(8)) vs CSV.swift \(reference.lines.prefix(8))" }
    if mine.nextLine != reference.nextLine { return "last line differs: \(mine.nextLine) vs CSV.swift \(reference.nextLine)" }
    return nil
  }
}
