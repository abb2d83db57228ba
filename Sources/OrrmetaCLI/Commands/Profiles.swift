// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta profiles`: the defaults of every `--profile`.
  struct Profiles: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "profiles",
      abstract: "Print the defaults of each --profile (orrmeta, metafor, meta, stata) as a table.",
      discussion: """
        A profile changes defaults only; a flag given explicitly wins and is echoed. The JSON output names the profile (settings.profile) and each default it changed (settings.profile_changes). See Docs/profiles.md.

        Example:
          orrmeta profiles
          orrmeta pool cohorts.csv --profile meta
        """)

    func run() throws {
      print(ProfileTable.render(), terminator: "")
    }
  }
}
