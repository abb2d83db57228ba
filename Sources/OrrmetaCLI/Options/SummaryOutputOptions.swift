// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// Where and how the commands with text and JSON output (`pfs`, `check`, `reproduce`,
/// `sensitivity`, `regress`) write their report.
struct SummaryOutputOptions: ParsableArguments, ReportOutputOptions {
  @Option(help: "Output format: text (default) or json.")
  var format: SummaryFormat = .text

  @Option(name: [.customLong("output"), .short, .customLong("out")], help: "Write to this file (atomically: temporary file, then rename) instead of standard output.")
  var output: String?
}
