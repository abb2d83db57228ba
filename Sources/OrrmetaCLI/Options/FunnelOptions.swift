// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser

/// Funnel-plot flags (shared by `plot funnel` and `report`).
struct FunnelOptions: ParsableArguments {
  @Flag(help: "Contour-enhanced funnel: shade the regions where a cohort differs from --null at p < 0.10, 0.05, 0.01.")
  var contours = false

  @Option(name: .customLong("contour-levels"), parsing: .upToNextOption, help: "Contour levels in percent (1 to 3 values, e.g. 90 95 99); implies --contours.")
  var contourLevels: [Double] = []

  @Option(name: .customLong("null"), help: "The proportion the contours test against, as a fraction (0.5) or a percentage (50).")
  var nullValue: Double = 0.5

  @Flag(name: .customLong("trim-and-fill"), help: "Add the cohorts imputed by trim-and-fill (metafor trimfill: L0, side estimated) as open circles and the adjusted estimate as a dashed line.")
  var trimAndFill = false

  func validate() throws {
    if contourLevels.count > 3 { throw ValidationError("--contour-levels takes 1 to 3 values (given \(contourLevels.count))") }
    for l in contourLevels where !(l > 0 && l < 100) {
      throw ValidationError("--contour-levels \(l) is invalid; expected a percentage between 0 and 100")
    }
    _ = try nullProportion()
  }

  /// The contour levels in percent (empty: no contours).
  var levels: [Double] {
    if !contourLevels.isEmpty { return contourLevels }
    return contours ? [90, 95, 99] : []
  }

  /// The null proportion as a fraction.
  func nullProportion() throws -> Double {
    let p = nullValue > 1 ? nullValue / 100 : nullValue
    guard p > 0, p < 1, p.isFinite else {
      throw ValidationError("--null \(nullValue) is invalid; expected a proportion strictly between 0 and 1 (or a percentage between 0 and 100)")
    }
    return p
  }
}
