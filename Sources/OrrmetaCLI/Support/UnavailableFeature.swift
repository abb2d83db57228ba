// SPDX-License-Identifier: GPL-3.0-or-later

/// A command or option whose statistics are not in this build yet (exit code 70, like GLMM).
struct UnavailableFeature: Error, CustomStringConvertible {
  let feature: String
  let reason: String
  var description: String { "\(feature) is not available in this build: \(reason)" }

  /// The sensitivity analyses (GOSH, Baujat, cumulative, leave-one-out, trim-and-fill) are
  /// developed on a separate branch.
  static func sensitivity(_ feature: String) -> UnavailableFeature {
    UnavailableFeature(feature: feature, reason: "it needs the sensitivity analyses (MetaProportion/Sensitivity), which are not part of this build yet")
  }
}
