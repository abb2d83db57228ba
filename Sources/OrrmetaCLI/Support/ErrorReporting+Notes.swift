// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

extension ErrorReporting {
  /// An informational line on standard error (`orrmeta: …`), e.g. a batch's final summary.
  static func printNote(_ text: String) {
    FileHandle.standardError.write(Data("orrmeta: \(text)\n".utf8))
  }
}
