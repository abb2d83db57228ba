// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension ErrorReporting {
  /// An informational line on standard error (`orrmeta: …`), e.g. a batch's final summary.
  static func printNote(_ text: String) {
    StandardError.write("orrmeta: \(text)\n")
  }
}
