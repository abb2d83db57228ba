// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// What a batch analysis of type `regress` fits: the flags of `orrmeta regress` (resolved by the
/// command line from the spec's `mods`, `categorical`, `reference` and `interaction`, each a list).
package struct BatchRegression: Sendable, Hashable {
  /// `--mods`.
  package let mods: [String]
  /// `--categorical`.
  package let categorical: [String]
  /// `--reference` (`COLUMN=LEVEL` or `LEVEL`).
  package let references: [String]
  /// `--interaction`, as pairs of moderator columns.
  package let interactions: [[String]]

  package init(mods: [String], categorical: [String], references: [String], interactions: [(String, String)]) {
    self.mods = mods
    self.categorical = categorical
    self.references = references
    self.interactions = interactions.map { [$0.0, $0.1] }
  }

  /// The interactions as the pipeline takes them.
  package var interactionPairs: [(String, String)] { interactions.map { ($0[0], $0[1]) } }

  /// Runs `orrmeta regress`'s pipeline on one cohort file.
  package func run(_ cohorts: CohortFile, settings: AnalysisSettings) throws -> RegressionReport {
    let moderators = try ModeratorColumns.read(cohorts, columns: mods, categorical: categorical, references: references)
    return try RegressionPipeline.run(cohorts, settings: settings, moderators: moderators, interactions: interactionPairs)
  }
}
