// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OrrmetaIO

/// Where and how the summary commands (`pfs`, `check`, `reproduce`) write their report.
struct SummaryOutputOptions: ParsableArguments {
  @Option(help: "Output format: text (default) or json.")
  var format: SummaryFormat = .text

  @Option(name: [.short, .long], help: "Write to this file (atomically: temporary file, then rename) instead of standard output.")
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
