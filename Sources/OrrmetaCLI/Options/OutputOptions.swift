// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OrrmetaIO

/// Where and how a report is written.
struct OutputOptions: ParsableArguments {
  @Option(help: "Output format: text (default), json, csv, markdown.")
  var format: ReportFormat = .text

  @Option(name: [.customLong("output"), .short, .customLong("out")], help: "Write to this file (atomically: temporary file, then rename) instead of standard output.")
  var output: String?

  /// Writes the text to the output file or standard output.
  func emit(_ text: String) throws {
    if let output {
      try AtomicFile.write(text, to: output)
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }
}
