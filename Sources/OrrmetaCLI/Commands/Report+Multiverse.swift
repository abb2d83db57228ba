// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta.Report {
  /// `--analyses multiverse`: the default multiverse (Docs/multiverse.md) at the report's level.
  static func multiverse(_ cohorts: CohortFile, settings: AnalysisSettings, threads: Int) -> MultiverseReport {
    var choices = MultiverseChoices()
    choices.level = settings.level
    choices.quadraturePoints = settings.quadraturePoints
    return MultiversePipeline.run(cohorts, choices: choices, threads: threads)
  }
}
