// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO

/// `orrmeta profiles`: every default under each ``AnalysisProfile`` as a table (rows: settings,
/// columns: profiles), read from the profiles themselves so that it cannot drift from them.
package enum ProfileTable {
  /// The rows: a setting's name and its value under a profile.
  static let rows: [(String, @Sendable (AnalysisProfile) -> String)] = [
    ("measure", { $0.measure.rawValue }),
    ("method (PLO)", { $0.method(for: .PLO, glmmAvailable: true).rawValue }),
    ("method (other measures)", { $0.method(for: .PAS, glmmAvailable: true).rawValue }),
    ("test", { $0.test.rawValue }),
    ("ci-method", { $0.studyInterval.rawValue }),
    ("convergence", { $0.convergence.rawValue }),
  ]

  /// The table as aligned text, one line per setting.
  package static func render() -> String {
    let profiles = AnalysisProfile.allCases
    let header = ["setting"] + profiles.map(\.rawValue)
    let body = rows.map { name, value in [name] + profiles.map(value) }
    let widths = header.indices.map { c in ([header] + body).map { $0[c].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, s in i == cells.count - 1 ? s : Fmt.pad(s, widths[i]) }.joined(separator: "  ") + "\n"
    }
    var out = line(header)
    for r in body { out += line(r) }
    out += "\nA profile changes these defaults only; a flag given explicitly wins. Sources and the differences that remain: Docs/profiles.md.\n"
    return out
  }
}
