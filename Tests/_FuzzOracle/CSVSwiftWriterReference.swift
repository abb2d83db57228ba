// SPDX-License-Identifier: GPL-3.0-or-later

import CSV
import Foundation
import OrrmetaIO

/// The text CSV.swift's writer made of rows, as orrmeta wrote its CSV outputs with it before
/// ``SafeCSVWriter`` wrote the bytes itself: each cell neutralised, the rows through `CSVWriter`,
/// a line feed added at the end. The reference that ``SafeCSVWriter`` must equal
/// (`SafeCSVWriterTests`).
package enum CSVSwiftWriterReference {
  package static func text(_ rows: [[String]]) throws -> String {
    let stream = OutputStream(toMemory: ())
    let writer = try CSVWriter(stream: stream)
    for row in rows { try writer.write(row: row.map(SafeCSVWriter.neutralised)) }
    writer.stream.close()
    guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { return "" }
    var text = String(decoding: data, as: UTF8.self)
    if !text.hasSuffix("\n") { text += "\n" }
    return text
  }
}
