// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// The `orrmeta` command tree.
package struct Orrmeta: ParsableCommand {
  package static let configuration = CommandConfiguration(
    commandName: "orrmeta",
    abstract: "Meta-analysis of proportions (objective response rates), numerically matching R's metafor.",
    discussion: """
      Exit codes: \(ExitStatus.summary)

      Documentation: Docs/ in the source tree.
      """,
    version: OrrmetaVersion.current,
    subcommands: [Pool.self, Sensitivity.self, Regress.self, Plot.self, Report.self, Reproduce.self, Pfs.self, Check.self, Batch.self, Merge.self, Compare.self, Multiverse.self, Profiles.self]
  )

  package init() {}
}
