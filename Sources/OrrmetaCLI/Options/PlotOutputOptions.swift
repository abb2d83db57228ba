// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// Where a plot or report is written.
struct PlotOutputOptions: ParsableArguments {
  @Option(name: [.customLong("output"), .short, .customLong("out")], help: "Output file (written atomically: temporary file, then rename); '-' writes to standard output.")
  var out: String

  @Option(help: "A title above the plot (default: none; for the report: 'orrmeta report: FILE').")
  var title: String?

  /// Writes the text to the output (``OutputTarget``: `-` is standard output), after checking
  /// that it is none of `inputs`.
  func emit(_ text: String, inputs: [String]) throws { try emit(Data(text.utf8), inputs: inputs) }

  /// Writes the plot file (SVG text, PNG or PDF bytes) through ``OutputTarget``.
  func emit(_ data: Data, inputs: [String]) throws {
    try OutputTarget.resolve([("--out", out)], inputs: inputs)[0]!.write(data)
  }
}
