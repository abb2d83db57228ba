// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

extension FunnelPlotData {
  /// The funnel plot of a two-arm comparison (metafor `funnel` for `rma.mh`, `rma.peto` and
  /// `rma`): each trial's outcome yᵢ on the model scale (log OR, log RR, RD; the Peto log odds
  /// ratio for the Peto method) against √vᵢ, the pooled estimate with the pseudo-confidence
  /// region estimate ± z₁₋α/₂ · SE, and, when `contourLevels` is not empty, significance
  /// contours centred on the null effect (log 1 = 0 or RD = 0). Ratio axes are labelled on the
  /// ratio scale (metafor's `atransf = exp`). Trials without an outcome are left out.
  package init(
    comparison a: ComparisonAnalysis, contourLevels: [Double] = [], imputed: [Point] = [],
    adjustedEstimate: Double? = nil, title: String? = nil
  ) {
    let points = a.trials.filter(\.available).map { Point(label: $0.study.label, yi: $0.yi, vi: $0.vi) }
    let contours = contourLevels.compactMap(Contour.init(levelPercent:))
    let crit = Contour.critical(levelPercent: a.settings.level.percent)
    let s = a.settings
    var ticks: [AxisTick]? = nil
    if s.measure.isRatio {
      // The x range the renderer will show, on the log scale; ticks at 1-2-5 × 10ⁿ ratios in it.
      let seMax = (points + imputed).map(\.standardError).filter(\.isFinite).max() ?? 1
      let seBottom = NiceNumbers.extend(0, seMax > 0 ? seMax : 1, maxCount: 6).upperBound
      var xs = (points + imputed).map(\.effect).filter(\.isFinite)
      if let crit { xs += [a.pooled.estimate - crit * seBottom, a.pooled.estimate + crit * seBottom] }
      if let widest = contours.map(\.critical).max() { xs += [-widest * seBottom, widest * seBottom] }
      let lo = xs.min() ?? -1, hi = xs.max() ?? 1
      let pad = (hi - lo) * 0.04
      let t = ComparisonForestPlot.ratioTicks(lo - pad, hi + pad).filter { Foundation.log($0) >= lo - pad && Foundation.log($0) <= hi + pad }
      if t.count >= 2 { ticks = t.map { AxisTick(value: Foundation.log($0), label: PlotFormat.tick($0)) } }
    }
    let outcome = s.method == .Peto ? "Peto odds ratio" : s.measure.name
    let method = s.method == .GLMM ? "GLMM, \(s.model.name)" : s.method.name
    self.init(
      title: title, points: points, imputed: imputed, estimate: a.pooled.estimate, adjustedEstimate: adjustedEstimate,
      pseudoConfidenceCritical: crit, levelPercent: s.level.percent, contours: contours, contourCentre: 0,
      contourCentreLabel: contours.isEmpty ? nil : "contours centred on no difference (\(s.measure.isRatio ? "\(s.measure.rawValue) = 1" : "RD = 0"))",
      xTitle: s.measure.isRatio ? "\(outcome.prefix(1).uppercased() + outcome.dropFirst()) (log scale)" : "Risk difference",
      xTicks: ticks, footnote: "\(method); pseudo-CI: estimate ± z · SE at \(PlotFormat.tick(s.level.percent))%")
  }
}
