// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// The coordinates of a Baujat plot (Baujat et al. 2002; metafor `baujat`): for each cohort, its
/// contribution to the overall heterogeneity (x) and its influence on the pooled estimate (y).
/// The numbers come from the sensitivity analyses; this type only carries them.
package struct BaujatPlotData: Sendable, Hashable {
  /// One cohort: its label, its contribution to the overall heterogeneity (x) and its influence
  /// on the pooled estimate (y), the statistics module's value as it comes.
  package typealias Point = BaujatPoint

  /// A title above the plot.
  package var title: String?
  /// The cohorts.
  package var points: [Point]
  /// A note under the plot.
  package var footnote: String?

  /// Creates the data.
  package init(title: String? = nil, points: [Point], footnote: String? = nil) {
    self.title = title; self.points = points; self.footnote = footnote
  }
}
