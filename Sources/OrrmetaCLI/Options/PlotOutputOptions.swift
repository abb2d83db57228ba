// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OrrmetaIO

/// Where a plot or report is written.
struct PlotOutputOptions: ParsableArguments {
  @Option(name: [.customLong("output"), .short, .customLong("out")], help: "Output file (written atomically: temporary file, then rename); '-' writes to standard output.")
  var out: String

  @Option(help: "A title above the plot (default: none; for the report: 'orrmeta report: FILE').")
  var title: String?

  /// Writes the text to the output file or standard output.
  func emit(_ text: String) throws {
    if out == "-" {
      FileHandle.standardOutput.write(Data(text.utf8))
    } else {
      try AtomicFile.write(text, to: out)
    }
  }
}
