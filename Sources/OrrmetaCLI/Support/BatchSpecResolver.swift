// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// Spec text to analyses, as `orrmeta batch --spec` reads them (parse, then each analysis
/// resolved with its command's flags). Public for the fuzz target (`Tests/_FuzzOracle`).
package enum BatchSpecResolver {
  /// The analyses of a spec; `file` is used in messages.
  package static func analyses(text: String, file: String) throws(BatchSpecError) -> [BatchAnalysis] {
    try BatchSpecFile.parse(text, file: file).map { s throws(BatchSpecError) in try s.resolve(specFile: file) }
  }
}
