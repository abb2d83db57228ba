// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// Where and how a report is written.
struct OutputOptions: ParsableArguments, ReportOutputOptions {
  @Option(help: "Output format: text (default), json, csv, markdown.")
  var format: ReportFormat = .text

  @Option(name: [.customLong("output"), .short, .customLong("out")], help: "Write to this file (atomically: temporary file, then rename) instead of standard output.")
  var output: String?
}

/// The `--output` of a command that writes one report (``OutputOptions``,
/// ``SummaryOutputOptions``): where the text goes, checked against the command's files.
protocol ReportOutputOptions {
  /// `--output`: a file, or `-`/nil for standard output.
  var output: String? { get }
}

extension ReportOutputOptions {
  /// Writes the text to the output (``OutputTarget``: `-` or no flag is standard output),
  /// after checking that it is none of `inputs`.
  func emit(_ text: String, inputs: [String]) throws {
    try target(inputs: inputs).write(text)
  }

  /// The output, checked against the command's inputs and its other outputs (flag, path).
  func target(inputs: [String], others: [(flag: String, path: String?)] = []) throws -> OutputTarget {
    try OutputTarget.resolve([("--output", output)] + others, inputs: inputs)[0] ?? .standardOutput
  }
}
